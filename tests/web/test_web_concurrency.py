"""Staff working at once on the default SQLite database, through a real
threaded server on loopback: no request fails for "database is locked".

Every request that writes takes SQLite's write lock at its start and waits
for it (busy_timeout); before, a login or a reveal that had read first was
refused at its first write when another writer had committed in between."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from backoffice import migrate
from backoffice.accounts.models import AuditEntry, LoginAttempt
from backoffice.db import session, unit_of_work
from backoffice.orders.models import Order, OrderEvent
from tests import factories
from tests.served import concurrent_logins, concurrent_writes, in_threads, login, served

PASSWORD = "correct-horse-9"
STAFF = 20


@pytest.fixture
def shop_served(tmp_path, monkeypatch):
    """A fresh SQLite file (WAL), 20 service staff and 30 orders, served on loopback."""
    from backoffice.accounts.operations import create_user
    from backoffice.app import create_app

    url = f"sqlite:///{tmp_path / 'shop.db'}"
    migrate.upgrade(url)
    session.remove()
    app = create_app({"TESTING": True, "DATABASE_URL": url, "SERVER_NAME": None})
    try:
        with app.app_context(), unit_of_work():
            users = [(create_user(f"kefu{i:02d}", PASSWORD, "service").username, PASSWORD) for i in range(STAFF)]
            order_ids = [factories.order(status="paid").id for _ in range(30)]
        with served(app) as base:
            yield app, base, users, order_ids
    finally:
        session.remove()
        session.configure(bind=None)
        app.extensions["engine"].dispose()


def _count(app, query) -> int:
    with app.app_context(), unit_of_work():
        return session.scalar(query)


def test_twenty_staff_log_in_at_the_same_moment(shop_served):
    app, base, users, _ = shop_served
    outcome = concurrent_logins(base, users)
    assert outcome.figures()["count"] == STAFF
    assert outcome.errors == []
    assert _count(app, select(func.count()).select_from(LoginAttempt).where(LoginAttempt.success.is_(True))) == STAFF
    assert _count(app, select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "login")) == STAFF


def test_sixteen_staff_writing_fifty_times_each_at_once(shop_served):
    app, base, users, order_ids = shop_served
    browsers = [None] * 16
    in_threads(16, lambda i: browsers.__setitem__(i, login(base, *users[i])))
    outcome = concurrent_writes(base, browsers, order_ids, 50)
    assert outcome.figures()["count"] == 16 * 50
    assert outcome.errors == []
    # every write is there: a third reveals, a third restock dates, a third holds and releases
    reveals = _count(app, select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "pii.view"))
    restocks = _count(app, select(func.count()).select_from(OrderEvent).where(OrderEvent.kind == "restock_date"))
    assert (reveals, restocks) == (16 * 17, 16 * 17)
    numbered = _count(app, select(func.count(func.distinct(Order.restock_number))).where(
        Order.restock_number.is_not(None)))
    assert numbered >= 1


def test_a_get_that_writes_without_saying_so_is_caught(shop_served):
    """The net under the rule: a GET view that writes must be marked
    ``@db.writes`` (it would otherwise take the lock late and could fail)."""
    from flask import Blueprint

    from backoffice.accounts import audit
    from backoffice.accounts.security import public
    from backoffice.db import writes

    app, _, _, _ = shop_served
    bp = Blueprint("probe", __name__)

    @bp.route("/probe/unmarked")
    @public
    def unmarked():
        audit.record("export", "probe")
        session.flush()
        return "written"

    @bp.route("/probe/marked")
    @public
    @writes
    def marked():
        audit.record("export", "probe")
        session.flush()
        return "written"

    app.register_blueprint(bp)
    client = app.test_client()
    with pytest.raises(RuntimeError, match="writes without @db.writes"):
        client.get("/probe/unmarked")
    assert client.get("/probe/marked").status_code == 200
    assert _count(app, select(func.count()).select_from(AuditEntry).where(AuditEntry.target == "probe")) == 1

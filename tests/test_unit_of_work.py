"""One unit of work per request: a failing request leaves nothing behind."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from backoffice.accounts import audit
from backoffice.accounts.models import AuditEntry
from backoffice.accounts.security import requires
from backoffice.db import writes


def test_a_request_that_fails_half_way_saves_nothing(app, login_as, db):
    @requires("dashboard.view")
    @writes  # a GET that writes says so (it takes the write lock at its start on SQLite)
    def half_done():
        audit.record("export", "orders", rows=10)
        raise RuntimeError("the disk is full")

    app.add_url_rule("/half-done", "half_done", half_done)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    client = login_as("service")
    before = db.scalar(select(func.count()).select_from(AuditEntry))
    response = client.get("/half-done")
    assert response.status_code == 500
    assert "服务器出错了" in response.get_data(as_text=True)
    assert db.scalar(select(func.count()).select_from(AuditEntry)) == before


def test_a_request_that_succeeds_is_committed_once(app, login_as, db):
    @requires("dashboard.view")
    @writes
    def export():
        audit.record("export", "orders", rows=10)
        return "ok"

    app.add_url_rule("/export-test", "export_test", export)
    client = login_as("service")
    assert client.get("/export-test").status_code == 200
    assert db.scalar(select(AuditEntry).where(AuditEntry.action == "export")).detail == {"rows": 10}


def test_friendly_404_in_chinese(login_as):
    response = login_as("service").get("/no-such-page")
    assert response.status_code == 404 and "页面不存在" in response.get_data(as_text=True)


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok", "database": "ok"}


def test_a_writer_unit_of_work_is_not_refused_its_write_by_another_commit(tmp_path):
    """SQLite refuses, at once, the first write of a deferred transaction that
    read before another writer committed ("database is locked", the intake
    job's failure when a pull committed meanwhile). A writer unit of work takes
    the write lock first, so the other writer waits instead."""
    import sqlite3

    import pytest
    from sqlalchemy import text

    from backoffice.db import make_engine, session, unit_of_work

    path = tmp_path / "writers.db"
    engine = make_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER)")
        conn.exec_driver_sql("INSERT INTO counters VALUES ('orders', 0)")

    def other_writer(timeout: float) -> None:
        other = sqlite3.connect(path, timeout=timeout, isolation_level=None)
        try:
            other.execute("UPDATE counters SET value = value + 10")
        finally:
            other.close()

    session.remove()
    session.configure(bind=engine)
    try:
        with pytest.raises(Exception, match="database is locked"):
            with unit_of_work():
                session.execute(text("SELECT value FROM counters")).scalar()
                other_writer(timeout=5)  # commits between our read and our write
                session.execute(text("UPDATE counters SET value = value + 1"))

        with unit_of_work(writer=True):
            seen = session.execute(text("SELECT value FROM counters")).scalar()
            with pytest.raises(sqlite3.OperationalError, match="database is locked"):
                other_writer(timeout=0.2)  # must wait for us now
            session.execute(text("UPDATE counters SET value = :v"), {"v": seen + 1})
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT value FROM counters").scalar() == 11
    finally:
        session.remove()
        session.configure(bind=None)
        engine.dispose()


def test_a_refused_change_rolls_back_only_itself(app, db):
    """refusable(): the change runs in a savepoint; a refusal undoes it alone and is kept to show."""
    from backoffice.accounts.models import User
    from backoffice.errors import OperationError
    from backoffice.web.refusals import refusable

    kept = User(username="kept-before", display_name="Kept", role="service", password_hash="x")
    db.add(kept)
    db.flush()
    with refusable() as refused:
        db.add(User(username="undone-inside", display_name="Undone", role="service", password_hash="x"))
        db.flush()
        raise OperationError("库存不足", "quantity")
    assert refused and refused.message == "库存不足" and refused.field == "quantity"
    names = set(db.scalars(select(User.username)))
    assert "kept-before" in names and "undone-inside" not in names
    with refusable() as refused:
        kept.display_name = "Changed"
    assert not refused and refused.message == "" and kept.display_name == "Changed"
    with pytest.raises(ZeroDivisionError), refusable():
        1 / 0  # anything but a refusal propagates

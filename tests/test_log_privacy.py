"""Personal data stays out of logs: SQL parameters are hidden, database
errors and job failures are scrubbed before they are logged or stored."""
from __future__ import annotations

import logging

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.exc import DBAPIError

from backoffice.accounts.security import requires
from backoffice.db import make_engine
from backoffice.jobs import JobRun, run_job
from backoffice.logsafe import error_text, scrub
from backoffice.orders.models import Order
from tests import factories

PHONE = "13766501234"
NAME = "欧阳娜娜"


def _duplicate_number(db):
    """An order with a phone whose number is already taken: IntegrityError."""
    first = factories.order()
    db.add(Order(number=first.number, platform="taobao", shop=first.shop, platform_order_id="T-dup",
                 receiver_name=NAME, receiver_phone=PHONE, address_raw="北京市朝阳区", status="paid", goods_fen=100, paid_fen=100))
    db.flush()


def _missing_platform(db):
    """An order with a phone but no platform: NOT NULL (PostgreSQL quotes the whole row)."""
    first = factories.order()
    db.add(Order(number="202612-999999", platform=None, shop=first.shop, platform_order_id="T-null",
                 receiver_name=NAME, receiver_phone=PHONE, address_raw="北京市朝阳区", status="paid", goods_fen=100, paid_fen=100))
    db.flush()


def _too_long(db):
    """A phone in a statement with a name too long for its column (PostgreSQL: DataError).
    Written past the ORM, whose flush refuses such values before the database sees them."""
    first = factories.order()
    db.execute(update(Order).where(Order.id == first.id).values(receiver_name=NAME * 40, receiver_phone=PHONE))


@pytest.mark.parametrize("make_error", [_duplicate_number, _missing_platform, _too_long])
def test_database_errors_neither_show_nor_log_the_parameters(db, caplog, make_error):
    if make_error is _too_long and db.get_bind().dialect.name == "sqlite":
        pytest.skip("SQLite does not enforce column lengths")
    with caplog.at_level(logging.ERROR):
        try:
            with db.begin_nested():
                make_error(db)
        except DBAPIError as exc:
            error = exc
            logging.getLogger("backoffice.test").exception("intake of order %s failed", 7)
        else:
            pytest.fail("the database took the row")
    # PostgreSQL's own DETAIL line may quote the row; what is logged or stored never does.
    assert "SQL parameters hidden" in str(error) and PHONE not in error_text(error)
    assert "intake of order 7 failed" in caplog.text and type(error).__name__ in caplog.text
    assert PHONE not in caplog.text and NAME not in caplog.text


def test_the_sql_echo_log_shows_no_parameter(database_url, app, caplog):
    engine = make_engine(database_url, echo=True)
    try:
        with caplog.at_level(logging.INFO, logger="sqlalchemy.engine"), engine.connect() as conn:
            assert conn.execute(text("SELECT :phone"), {"phone": PHONE}).scalar() == PHONE
    finally:
        engine.dispose()
    assert "SELECT" in caplog.text and "parameters hidden" in caplog.text
    assert PHONE not in caplog.text


def test_a_failed_job_stores_and_logs_no_phone(db, caplog):
    factories.shop("taobao")
    db.commit()

    def work(counts):
        counts["processed"] = 1
        _missing_platform(db)

    with pytest.raises(DBAPIError), caplog.at_level(logging.ERROR):
        try:
            run_job("intake_orders", work)
        except DBAPIError:
            logging.getLogger("huey").exception("Unhandled exception in task")
            raise
    error = db.scalar(select(JobRun.error).order_by(JobRun.id.desc()))
    assert error.startswith("IntegrityError") and PHONE not in error and NAME not in error
    assert "Unhandled exception in task" in caplog.text and PHONE not in caplog.text and NAME not in caplog.text


def test_a_failed_job_whose_message_quotes_a_phone_stores_it_masked(db):
    def work(counts):
        raise ValueError(f"快递100：手机号 {PHONE} 与运单不符")

    with pytest.raises(ValueError):
        run_job("track_parcels", work)
    error = db.scalar(select(JobRun.error).order_by(JobRun.id.desc()))
    assert error == "ValueError: 快递100：手机号 137****1234 与运单不符"


def test_a_failing_request_logs_no_phone(app, client, make_user, caplog):
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production: the error is logged, a 500 page shown

    @app.route("/_test/fails")
    @requires("orders.view")
    def fails():
        raise RuntimeError(f"receiver {PHONE} at 010-62345678 could not be saved")

    client.login(make_user("service").username)
    with caplog.at_level(logging.ERROR):
        response = client.get("/_test/fails?q=" + PHONE)
    assert response.status_code == 500
    assert "RuntimeError: receiver 137****1234 at 010-****5678" in caplog.text
    assert PHONE not in caplog.text and "62345678" not in caplog.text


@pytest.mark.parametrize("raw, shown", [
    ('DETAIL:  Key (receiver_phone)=(13812345678) already exists.', "DETAIL:  Key (receiver_phone)=(…) already exists."),
    ("DETAIL:  Failing row contains (5, null, 张三, 13812345678).", "DETAIL:  Failing row contains (…)."),
    ('invalid input syntax for type integer: "张三"', 'invalid input syntax for type integer: "…"'),
    ("order 202612-000194, platform order 3141592653589793", "order 202612-000194, platform order 3141592653589793"),
    ("call +86 13812345678 or 0312-6234567", "call +86 138****5678 or 0312-****4567"),
])
def test_scrub_hides_quoted_values_and_phones_but_keeps_ids(raw, shown):
    assert scrub(raw) == shown

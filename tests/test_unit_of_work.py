"""One unit of work per request: a failing request leaves nothing behind."""
from __future__ import annotations

from sqlalchemy import func, select

from backoffice.accounts import audit
from backoffice.accounts.models import AuditEntry
from backoffice.web.security import requires


def test_a_request_that_fails_half_way_saves_nothing(app, login_as, db):
    @requires("dashboard.view")
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

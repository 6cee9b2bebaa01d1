from __future__ import annotations

import pytest
from sqlalchemy import select

from backoffice.accounts.models import AuditEntry
from tests import factories


@pytest.fixture
def order(db):
    o = factories.order(receiver_name="欧阳娜娜", phone="15930216688", detail="朝阳北大街 1688 号 3 单元 502")
    db.commit()
    return o.id


@pytest.mark.parametrize("role", ["service", "supervisor", "admin", "warehouse"])
def test_order_pages_show_personal_data_masked(login_as, order, role):
    client = login_as(role)
    for page in ("/orders/", f"/orders/{order}"):
        html = client.get(page).get_data(as_text=True)
        assert "欧***" in html and "159****6688" in html
        assert "欧阳娜娜" not in html and "15930216688" not in html and "1688 号" not in html


@pytest.mark.parametrize("role", ["service", "supervisor", "admin"])
def test_revealing_is_explicit_and_audited(login_as, order, db, role):
    client = login_as(role)
    response = client.post(f"/orders/{order}/receiver", token_from=f"/orders/{order}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "欧阳娜娜" in html and "15930216688" in html and "朝阳北大街 1688 号 3 单元 502" in html
    entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "pii.view"))
    assert entry.target == f"order:{order}" and entry.username == f"{role}-user"


def test_warehouse_cannot_reveal_and_nothing_is_logged(login_as, order, db):
    client = login_as("warehouse")
    assert "显示完整信息" not in client.get(f"/orders/{order}").get_data(as_text=True)
    response = client.post(f"/orders/{order}/receiver", token_from=f"/orders/{order}")
    assert response.status_code == 403
    assert db.scalar(select(AuditEntry).where(AuditEntry.action == "pii.view")) is None


def test_the_audit_page_lists_and_filters_entries(login_as, order, db):
    from backoffice.orders.models import Order

    number = db.get(Order, order).number
    service = login_as("service")
    service.post(f"/orders/{order}/receiver", token_from=f"/orders/{order}")
    supervisor = login_as("supervisor")
    html = supervisor.get("/audit?action=pii.view").get_data(as_text=True)
    assert "查看个人信息" in html and "service-user" in html and f"/orders/{order}" in html
    assert f"订单 {number}" in html and "订单 #" not in html
    fragment = supervisor.get("/audit?action=login", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in fragment and "登录" in fragment and "查看个人信息" not in fragment

"""Refund-only requests worked through the browser: approve, intercept, answer."""
from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from backoffice.aftersales.models import InterceptTask, RefundRequest
from backoffice.cases.models import MoneyMovement
from backoffice.orders.models import Order
from tests import factories


def _request(db, **order_kw):
    order = factories.order(**order_kw)
    request = factories.refund(order, "refund_only", "pending")
    db.commit()
    return order.id, request.id


def test_unshipped_order_is_refunded_once_and_its_shipment_cancelled(login_as, db):
    order_id, request_id = _request(db, memo="老客户")
    service = login_as("service")
    queue = service.get("/aftersales/refund-only").get_data(as_text=True)
    assert "卖家备注：老客户" in queue and "同意退款并取消发货" in queue and "原路退回" in queue
    response = service.post(f"/aftersales/refund-only/{request_id}/approve", token_from="/aftersales/refund-only")
    assert response.status_code == 302
    assert "已同意退款" in service.get("/aftersales/refund-only").get_data(as_text=True)
    again = service.post(f"/aftersales/refund-only/{request_id}/approve", token_from="/aftersales/refund-only",
                         follow_redirects=True)
    assert "已经处理过" in again.get_data(as_text=True)
    assert db.scalar(select(func.count()).select_from(MoneyMovement)) == 1
    payment = db.scalar(select(MoneyMovement))
    assert (payment.kind, payment.amount_fen, payment.status) == ("refund", 5300, "pending")
    assert db.get(Order, order_id).status == "closed"
    assert db.get(RefundRequest, request_id).status == "refunded"


def test_printed_waybill_goes_through_the_warehouse(login_as, db):
    order_id, request_id = _request(db)
    order = db.get(Order, order_id)
    order.waybill_printed_at, order.tracking_number = dt.datetime.now(dt.timezone.utc), "YT7512345678901"
    db.commit()
    service = login_as("service")
    refused = service.post(f"/aftersales/refund-only/{request_id}/approve", token_from="/aftersales/refund-only",
                           follow_redirects=True)
    assert "不能在此同意退款" in refused.get_data(as_text=True)
    assert db.scalar(select(MoneyMovement.id)) is None

    service.post(f"/aftersales/refund-only/{request_id}/intercept", token_from="/aftersales/refund-only")
    warehouse = login_as("warehouse")
    page = warehouse.get("/aftersales/intercepts").get_data(as_text=True)
    assert "YT7512345678901" in page
    scanned = warehouse.post("/aftersales/intercepts", {"code": "YT7512345678901", "outcome": "pulled"},
                             token_from="/aftersales/intercepts", follow_redirects=True)
    assert "已记录" in scanned.get_data(as_text=True)
    assert db.scalar(select(InterceptTask.status)) == "pulled"

    queue = service.get("/aftersales/refund-only").get_data(as_text=True)
    assert "已拦截：同意退款" in queue
    service.post(f"/aftersales/refund-only/{request_id}/approve", token_from="/aftersales/refund-only")
    assert db.get(RefundRequest, request_id).status == "refunded"


def test_a_parcel_that_left_gets_the_refuse_delivery_reply(login_as, db):
    order_id, request_id = _request(db)
    db.get(Order, order_id).waybill_printed_at = dt.datetime.now(dt.timezone.utc)
    db.commit()
    service = login_as("service")
    service.post(f"/aftersales/refund-only/{request_id}/intercept", token_from="/aftersales/refund-only")
    task_id = db.scalar(select(InterceptTask.id))
    warehouse = login_as("warehouse")
    warehouse.post(f"/aftersales/intercepts/{task_id}/left", token_from="/aftersales/intercepts")
    queue = service.get("/aftersales/refund-only").get_data(as_text=True)
    assert "请买家拒收" in queue and "直接拒收" in queue
    twice = warehouse.post(f"/aftersales/intercepts/{task_id}/pulled", token_from="/aftersales/intercepts",
                           follow_redirects=True)
    assert "已经回复过" in twice.get_data(as_text=True)
    assert db.get(InterceptTask, task_id).status == "left"


def test_unknown_scans_are_answered_clearly(login_as):
    warehouse = login_as("warehouse")
    response = warehouse.post("/aftersales/intercepts", {"code": "SF000", "outcome": "pulled"},
                              token_from="/aftersales/intercepts", follow_redirects=True)
    assert "没有待处理的拦截：SF000" in response.get_data(as_text=True)


def test_shipped_orders_get_the_already_shipped_reply(login_as, db):
    _request(db, status="shipped")
    html = login_as("service").get("/aftersales/refund-only").get_data(as_text=True)
    assert "已发货：请收货后退货" in html and "运费险" in html


@pytest.mark.parametrize("query, expected", [
    ("kind=flash&price=15&severity=minor", "2.00 至 5.00 元"),
    ("kind=flash&price=15&severity=unusable", "全额退款。"),
    ("kind=normal&price=53&severity=major", "5.00 至 10.00 元"),
    ("kind=normal&price=abc&severity=major", "不是有效的金额"),
])
def test_compensation_lookup_page(login_as, query, expected):
    assert expected in login_as("service").get(f"/aftersales/compensation?{query}").get_data(as_text=True)


def test_compensation_command_line(tmp_path):
    from backoffice import migrate

    url = f"sqlite:///{tmp_path / 'cli.db'}"
    migrate.upgrade(url)
    env = dict(os.environ, BACKOFFICE_INSTANCE_PATH=str(tmp_path), BACKOFFICE_DATABASE_URL=url)
    script = str(Path(sys.executable).with_name("backoffice"))

    def ask(*args):
        out = subprocess.run([script, "aftersales", "compensation", *args, "--json"], env=env,
                             capture_output=True, text=True, timeout=60)
        assert out.returncode == 0, out.stderr
        return json.loads(out.stdout)

    assert ask("--kind", "flash", "--price", "15", "--severity", "minor") == {
        "min": "2.00", "max": "5.00", "full_refund": False, "needs_approval_over": "5.00"}
    assert ask("--kind", "flash", "--price", "18.9", "--severity", "unusable")["min"] == "5.00"
    assert ask("--kind", "flash", "--price", "18.89", "--severity", "unusable")["full_refund"] is True
    assert ask("--kind", "normal", "--price", "99", "--severity", "major")["max"] == "10.00"


def test_supervisors_edit_the_rules_and_the_change_is_audited(login_as, db):
    from backoffice.accounts.models import AuditEntry
    from backoffice.aftersales.models import ReturnReason
    from backoffice.cases.models import CompensationRule
    from backoffice.service.models import QuickReply

    boss = login_as("supervisor")
    rule_id = db.scalar(select(CompensationRule.id).where(CompensationRule.item_kind == "flash",
                                                          CompensationRule.severity == "minor",
                                                          CompensationRule.price_below_fen == 1890))
    bad = boss.post("/aftersales/rules", {"table": "policy", "id": rule_id, "amount_min": "6", "amount_max": "3"},
                    token_from="/aftersales/rules", follow_redirects=True)
    assert "最低金额高于最高金额" in bad.get_data(as_text=True)
    boss.post("/aftersales/rules", {"table": "policy", "id": rule_id, "amount_min": "3", "amount_max": "6"},
              token_from="/aftersales/rules")
    rule = db.get(CompensationRule, rule_id)
    assert (rule.amount_min_fen, rule.amount_max_fen) == (300, 600)
    boss.post("/aftersales/rules", {"table": "return_reason", "name": "尺寸不合适"}, token_from="/aftersales/rules")
    assert db.scalar(select(ReturnReason.counts_against_shop).where(ReturnReason.name == "尺寸不合适")) is False
    twice = boss.post("/aftersales/rules", {"table": "refusal_reason", "name": "商品已使用"},
                      token_from="/aftersales/rules", follow_redirects=True)
    assert "原因“商品已使用”已存在" in twice.get_data(as_text=True)
    reply_id = db.scalar(select(QuickReply.id).where(QuickReply.code == "fill_tracking"))
    boss.post("/aftersales/rules", {"table": "reply", "id": reply_id, "title": "补填单号",
                                    "body": "亲，请补填退货单号 {order_number}", "active": "y"},
              token_from="/aftersales/rules")
    assert db.get(QuickReply, reply_id).body == "亲，请补填退货单号 {order_number}"
    assert db.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "rule.change")) == 3
    assert login_as("service").get("/aftersales/rules").status_code == 403

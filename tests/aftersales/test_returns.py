"""Returns received by scan, inspected, restocked and reconciled (SPEC §4.2)."""
from __future__ import annotations

import datetime as dt
import io

from openpyxl import load_workbook
from sqlalchemy import func, select

from backoffice.aftersales.models import RefundRequest, ReturnParcel
from backoffice.aftersales.reconciliation import ReturnRow, reconcile
from backoffice.cases.models import MoneyMovement
from backoffice.catalog.models import Product, Sku, Supplier
from backoffice.orders.models import OrderLine
from tests import factories


def returned_order(db, kind="normal", model="955", supplier="包之恋", reason="不喜欢", tracking="YT1234567890"):
    sup = db.scalar(select(Supplier).where(Supplier.name == supplier)) or Supplier(name=supplier, pinyin_code="x")
    product = Product(supplier=sup, model=model, kind=kind, name="时尚锁扣单肩腋下包",
                      listing_code=f"code-{model}-{kind}", cost_fen=4200)
    sku = Sku(product=product, code=f"code-{model}-{kind}-heise", color="黑色", price_fen=5700, on_hand=3,
              location="A-01-1")
    db.add(sku)
    order = factories.order(status="completed", paid_fen=5700)
    order.lines[0].sku_id = None
    db.flush()
    order.lines.append(OrderLine(sku_id=sku.id, sku_code=sku.code, title="时尚锁扣单肩腋下包 黑色", quantity=1,
                                 price_fen=5700))
    request = factories.refund(order, "return", "awaiting_return")
    request.reason, request.return_tracking_number = reason, tracking
    db.commit()
    return request.id, sku.id


def scan(client, code):
    return client.post("/aftersales/returns", {"code": code}, token_from="/aftersales/returns",
                       headers={"HX-Request": "true"}).get_data(as_text=True)


def test_scan_finds_the_request_and_inspection_refunds_and_restocks(login_as, db):
    request_id, sku_id = returned_order(db)
    desk = login_as("warehouse")
    html = scan(desk, "yt1234567890")
    assert 'data-sound="found"' in html and "不喜欢" in html and "要求买家修改" not in html
    again = scan(desk, "YT1234567890")
    assert 'data-sound="repeat"' in again and "已经扫描过" in again
    assert db.scalar(select(func.count()).select_from(ReturnParcel)) == 1
    parcel_id = db.scalar(select(ReturnParcel.id))
    response = desk.post(f"/aftersales/returns/{parcel_id}/inspect", {
        "item_matches": "y", "original_packaging": "y", "condition": "good", "outcome": "refund",
        "restock_location": "B-02-3"}, token_from=f"/aftersales/returns/{parcel_id}/inspect")
    assert response.status_code == 302
    parcel = db.get(ReturnParcel, parcel_id)
    assert (parcel.outcome, parcel.refund_fen, parcel.restock_mark, parcel.restock_location) == \
        ("refund", 5700, "包之恋955", "B-02-3")
    sku = db.get(Sku, sku_id)
    assert (sku.on_hand, sku.location) == (4, "B-02-3")
    assert db.get(RefundRequest, request_id).status == "refunded"
    twice = desk.post(f"/aftersales/returns/{parcel_id}/inspect", {"outcome": "refund"},
                      token_from=f"/aftersales/returns/{parcel_id}/inspect")
    assert twice.status_code == 422 and "已经验过货" in twice.get_data(as_text=True)
    assert db.scalar(select(func.count()).select_from(MoneyMovement)) == 1


def test_reasons_against_the_shop_get_the_change_reason_reply(login_as, db):
    returned_order(db, reason="质量问题")
    html = scan(login_as("service"), "YT1234567890")
    assert "请买家修改" in html and "七天无理由" in html


def test_unmatched_parcels_are_registered_and_linked_later(login_as, db):
    request_id, _ = returned_order(db, tracking=None)
    desk = login_as("warehouse")
    html = scan(desk, "SF9988776655")
    assert 'data-sound="missing"' in html and "无名包裹" in html
    number = db.get(RefundRequest, request_id).order.number
    parcel_id = db.scalar(select(ReturnParcel.id))
    desk.post(f"/aftersales/returns/unmatched/{parcel_id}/link", {"order_number": number},
              token_from="/aftersales/returns")
    request = db.get(RefundRequest, request_id)
    assert request.status == "received" and request.return_tracking_number == "SF9988776655"


def test_a_unique_item_without_packaging_is_refused(login_as, db):
    request_id, sku_id = returned_order(db, kind="unique", model="D-GP-01", supplier="大明")
    desk = login_as("warehouse")
    scan(desk, "YT1234567890")
    parcel_id = db.scalar(select(ReturnParcel.id))
    url = f"/aftersales/returns/{parcel_id}/inspect"
    refused = desk.post(url, {"item_matches": "y", "condition": "good", "outcome": "refund"}, token_from=url)
    assert refused.status_code == 422 and "原包装" in refused.get_data(as_text=True)
    assert db.scalar(select(MoneyMovement.id)) is None and db.get(Sku, sku_id).on_hand == 3
    ok = desk.post(url, {"item_matches": "y", "condition": "good", "outcome": "refuse",
                         "refusal_reason": "孤品无原包装"}, token_from=url)
    assert ok.status_code == 302
    assert db.get(RefundRequest, request_id).status == "refused"
    assert db.get(ReturnParcel, parcel_id).restock_mark is None


def test_register_page_and_excel_export_are_audited(login_as, db):
    returned_order(db)
    service = login_as("service")
    scan(service, "YT1234567890")
    assert "YT1234567890" in service.get("/aftersales/returns/register").get_data(as_text=True)
    response = service.get("/aftersales/returns/register.xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.values)
    assert rows[0][:3] == ("签收时间", "退货单号", "订单号") and rows[1][1] == "YT1234567890"
    from backoffice.accounts.models import AuditEntry

    assert db.scalar(select(AuditEntry.detail).where(AuditEntry.action == "export")) == {"rows": 1}
    assert login_as("warehouse").get("/aftersales/returns/register.xlsx").status_code == 403


NOW = dt.datetime(2026, 11, 23, 12, tzinfo=dt.timezone.utc)


def row(i, received_hours_ago=None, refunded=0, outcome=None, amount=5700, platform=None):
    received = NOW - dt.timedelta(hours=received_hours_ago) if received_hours_ago is not None else None
    return ReturnRow(i, f"202611-{i:06d}", f"YT{i}", amount, "received", received, refunded, outcome, platform)


def test_reconciliation_puts_the_discrepancies_first():
    rows = [
        row(1, 2, 5700, "refund"),                      # fine
        row(2, 30, 0, None),                            # received, not refunded after 24 h
        row(3, None, 5700, None),                       # refunded, never received
        row(4, 3, 0, None),                             # received 3 h ago: still in time
        row(5, 5, 5000, "refund"),                      # amount differs
        row(6, 40, 0, "refuse"),                        # refused: nothing owed
        row(7, 4, 5700, "refund", platform="SUCCESS"),  # platform agrees
        row(8, 4, 0, None, platform="SUCCESS"),         # platform refunded, we did not
    ]
    result = reconcile(rows, NOW)
    assert [(r.row.request_id, r.problems) for r in result[:4]] == [
        (3, ("refunded_not_received",)),
        (2, ("received_not_refunded",)),
        (5, ("amount_differs",)),
        (8, ("platform_differs",)),
    ]
    assert all(not r.problems for r in result[4:])


def test_reconciliation_page(login_as, db):
    request_id, _ = returned_order(db)
    request = db.get(RefundRequest, request_id)
    db.add(MoneyMovement(order_id=request.order_id, refund_request_id=request_id, kind="refund", amount_fen=5700,
                         idempotency_key="x1"))
    db.commit()
    html = login_as("supervisor").get("/aftersales/returns/reconciliation").get_data(as_text=True)
    assert "已退款但未收到退货" in html


def test_a_whole_list_is_received_at_once_with_the_same_rules(login_as, db):
    request_id, _ = returned_order(db, tracking="YT1234567890")
    desk = login_as("warehouse")
    scan(desk, "YT1234567890")
    response = desk.post("/aftersales/returns/batch", {"codes": "yt1234567890\nSF0001\n\nSF0001\nSF0002"},
                         token_from="/aftersales/returns", follow_redirects=True)
    assert "签收 0 件，已扫描过 1 件，无名包裹 2 件" in response.get_data(as_text=True)
    assert sorted(db.scalars(select(ReturnParcel.tracking_number))) == ["SF0001", "SF0002", "YT1234567890"]

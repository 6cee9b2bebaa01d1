"""Compensation payments, missing-item / lost-parcel / courier-problem cases,
reships and courier claims, worked through the browser (SPEC §3.2, §4.3, §4.4)."""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from sqlalchemy import func, select

from backoffice.cases import rules as case_rules
from backoffice.cases.compensation import Offer, PolicyRow
from backoffice.cases.models import SYMPTOMS, AfterSalesCase, CaseEvidence, CompensationPayment, CourierClaim, MoneyMovement, Reship
from backoffice.catalog.models import Sku
from backoffice.orders.models import Order
from backoffice.outbox import OutboxMessage
from tests import factories

ADDRESS = "浙江省杭州市西湖区文三路 90 号东部软件园 3 号楼"


def count(db, model) -> int:
    return db.scalar(select(func.count()).select_from(model))


def token_of(html: str) -> str:
    return re.search(r'name="token" value="([0-9a-f]+)"', html).group(1)


def png(size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def stocked_order(db, on_hand=5, code="daming-D-998-20-heise"):
    sku = factories.parcel_sku(code)
    sku.on_hand, sku.reserved = on_hand, 0
    order = factories.parcel_order(ADDRESS, [(sku, 1)], memo="老客户，优先处理")
    order.status, order.tracking_number = "shipped", "YT7512345678901"
    db.commit()
    return order.number, order.id, sku.id


# -- compensation -------------------------------------------------------------------
def _pay_form(service, **fields):
    page = service.get("/aftersales/compensation/pay").get_data(as_text=True)
    data = {"item_kind": "normal", "severity": "minor", "price": "59.00", "token": token_of(page), **fields}
    return data, service.post("/aftersales/compensation/pay", data, token_from="/aftersales/compensation/pay")


def test_compensation_in_range_is_paid_once_and_queued_for_the_platform(login_as, db):
    number, order_id, _ = stocked_order(db)
    service = login_as("service")
    shown = service.get("/aftersales/compensation/pay?item_kind=normal&price=59&severity=minor").get_data(as_text=True)
    assert "5.00" in shown and "10.00" in shown and "主管" in shown  # the policy's range, before paying
    data, first = _pay_form(service, order_number=number, amount="8", reason="五金轻微划痕")
    assert first.status_code == 302
    again = service.post("/aftersales/compensation/pay", data, token_from="/aftersales/compensation/pay",
                         follow_redirects=True)  # the same form sent twice
    assert "只记录了一次" in again.get_data(as_text=True)
    movement = db.scalar(select(MoneyMovement))
    assert count(db, MoneyMovement) == 1 and count(db, CompensationPayment) == 1
    assert (movement.kind, movement.amount_fen, movement.order_id) == ("partial_refund", 800, order_id)
    message = db.scalar(select(OutboxMessage).where(OutboxMessage.kind == "payout"))
    assert message.status == "pending" and message.payload["amount_fen"] == 800
    page = service.get("/aftersales/compensation/pay").get_data(as_text=True)
    assert "待发送到平台" in page


def test_compensation_over_the_range_waits_for_a_supervisor(login_as, db):
    number, order_id, _ = stocked_order(db)
    service = login_as("service")
    _, response = _pay_form(service, order_number=number, amount="15", reason="买家不接受 10 元")
    assert response.status_code == 302
    payment = db.scalar(select(CompensationPayment))
    payment_id = payment.id
    assert payment.status == "awaiting_approval" and count(db, MoneyMovement) == 0
    refused = service.post(f"/aftersales/compensation/payments/{payment_id}/approve",
                           token_from="/aftersales/compensation/pay")
    assert refused.status_code == 403 and count(db, MoneyMovement) == 0

    boss = login_as("supervisor")
    assert "买家不接受 10 元" in boss.get("/aftersales/compensation/pay").get_data(as_text=True)
    boss.post(f"/aftersales/compensation/payments/{payment_id}/approve", token_from="/aftersales/compensation/pay")
    twice = boss.post(f"/aftersales/compensation/payments/{payment_id}/approve",
                      token_from="/aftersales/compensation/pay", follow_redirects=True)
    assert "已经决定" in twice.get_data(as_text=True)
    db.expire_all()
    movement = db.scalar(select(MoneyMovement))
    assert count(db, MoneyMovement) == 1 and movement.amount_fen == 1500 and movement.approved_by_id is not None
    assert db.get(CompensationPayment, payment_id).status == "paid"


def test_below_the_range_also_needs_approval_and_a_rejection_pays_nothing(login_as, db):
    number, _, _ = stocked_order(db)
    service = login_as("service")
    _pay_form(service, order_number=number, amount="1")
    payment_id = db.scalar(select(CompensationPayment.id))
    boss = login_as("supervisor")
    boss.post(f"/aftersales/compensation/payments/{payment_id}/reject", token_from="/aftersales/compensation/pay")
    db.expire_all()
    assert db.get(CompensationPayment, payment_id).status == "rejected" and count(db, MoneyMovement) == 0


def test_unusable_cheap_flash_item_is_refunded_in_full(login_as, db):
    number, order_id, _ = stocked_order(db)
    service = login_as("service")
    _pay_form(service, order_number=number, item_kind="flash", price="15.90", severity="unusable", amount="")
    movement = db.scalar(select(MoneyMovement))
    assert (movement.amount_fen, movement.kind) == (1590, "partial_refund")
    assert db.scalar(select(CompensationPayment.full_refund))


@pytest.mark.parametrize("fields, message", [
    ({"order_number": "202611-999999", "amount": "8"}, "订单 202611-999999 不存在"),
    ({"amount": "abc"}, "不是有效的金额"),
    ({"amount": "0"}, "金额必须大于 0"),
    ({"amount": "80"}, "只剩"),  # more than the order's 59 yuan
])
def test_bad_compensation_input_changes_nothing(login_as, db, fields, message):
    number, _, _ = stocked_order(db)
    service = login_as("service")
    _, response = _pay_form(service, **{"order_number": number, **fields})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count(db, MoneyMovement) == 0 and count(db, CompensationPayment) == 0 and count(db, OutboxMessage) == 0


def test_the_dispatcher_leaves_payouts_pending_until_it_can_send_them(app, login_as, db):
    from backoffice.sync.dispatch import dispatch

    number, _, _ = stocked_order(db)
    _pay_form(login_as("service"), order_number=number, amount="6")
    with app.app_context():
        result = dispatch()
    assert (result.delivered, result.failed, result.retried) == (0, 0, 0)
    db.expire_all()
    assert db.scalar(select(OutboxMessage.status).where(OutboxMessage.kind == "payout")) == "pending"


# -- missing items ------------------------------------------------------------------
def _open(service, number, kind="missing_items", **fields):
    response = service.post("/aftersales/cases", {"order_number": number, "kind": kind,
                                                  "description": "少了一个挂件", **fields},
                            token_from="/aftersales/cases")
    return response


def _upload(service, case_id, kind, data, name="photo.png"):
    return service.post(f"/aftersales/cases/{case_id}/evidence", {"kind": kind, "photo": (io.BytesIO(data), name)},
                        token_from=f"/aftersales/cases/{case_id}", content_type="multipart/form-data")


def test_missing_items_need_the_three_photos_then_reship_from_stock(app, login_as, db):
    number, order_id, sku_id = stocked_order(db, on_hand=3)
    service = login_as("service")
    assert _open(service, number).status_code == 302
    case_id = db.scalar(select(AfterSalesCase.id))
    page = service.get(f"/aftersales/cases/{case_id}").get_data(as_text=True)
    assert "卖家备注：</strong>老客户" in page and "快递面单" in page and "补发或退款" in page  # the quick reply
    early = service.post(f"/aftersales/cases/{case_id}/confirm", token_from=f"/aftersales/cases/{case_id}")
    assert early.status_code == 422 and "还缺少" in early.get_data(as_text=True)

    not_image = _upload(service, case_id, "waybill", b"%PDF-1.4 not a photo", "waybill.pdf")
    assert not_image.status_code == 422 and "waybill.pdf" in not_image.get_data(as_text=True)
    too_big = _upload(service, case_id, "waybill", b"\x89PNG" + b"0" * (8 * 1024 * 1024), "huge.png")
    assert too_big.status_code == 422 and "8 MB" in too_big.get_data(as_text=True)
    assert count(db, CaseEvidence) == 0
    for kind in ("waybill", "items", "box"):
        assert _upload(service, case_id, kind, png()).status_code == 302
    stored = db.scalars(select(CaseEvidence.stored_name)).all()
    assert len(stored) == 3 and all((Path(app.instance_path) / "case_evidence" / s).is_file() for s in stored)
    evidence_id = db.scalar(select(CaseEvidence.id))
    shown = service.get(f"/aftersales/cases/evidence/{evidence_id}")
    assert shown.status_code == 200 and shown.mimetype == "image/png"

    service.post(f"/aftersales/cases/{case_id}/confirm", token_from=f"/aftersales/cases/{case_id}")
    response = service.post(f"/aftersales/cases/{case_id}/reship", {"lines": "daming-D-998-20-heise, 1"},
                            token_from=f"/aftersales/cases/{case_id}")
    assert response.status_code == 302
    again = service.post(f"/aftersales/cases/{case_id}/reship", {"lines": "daming-D-998-20-heise, 1"},
                         token_from=f"/aftersales/cases/{case_id}")
    assert again.status_code == 422 and "已经处理" in again.get_data(as_text=True)
    db.expire_all()
    reship = db.scalar(select(Reship))
    new_order = db.get(Order, reship.order_id)
    assert count(db, Reship) == 1 and reship.original_order_id == order_id
    assert new_order.stock_reserved and new_order.paid_fen == 0 and number in new_order.seller_memo
    assert new_order.receiver_name == "李娜" and new_order.platform == "manual"
    assert db.get(Sku, sku_id).reserved == 1
    assert db.get(AfterSalesCase, case_id).outcome == "reship"


def test_no_stock_means_no_reship_and_the_refund_is_offered(login_as, db):
    number, order_id, _ = stocked_order(db, on_hand=0)
    service = login_as("service")
    _open(service, number, kind="lost_parcel")
    case_id = db.scalar(select(AfterSalesCase.id))
    service.post(f"/aftersales/cases/{case_id}/confirm", token_from=f"/aftersales/cases/{case_id}")
    response = service.post(f"/aftersales/cases/{case_id}/reship", {"lines": "daming-D-998-20-heise, 1"},
                            token_from=f"/aftersales/cases/{case_id}")
    text = response.get_data(as_text=True)
    assert response.status_code == 409 and "库存不足" in text and "改为退款" in text
    orders_before = count(db, Order)
    assert count(db, Reship) == 0

    service.post(f"/aftersales/cases/{case_id}/refund", {"amount": "59"}, token_from=f"/aftersales/cases/{case_id}")
    twice = service.post(f"/aftersales/cases/{case_id}/refund", {"amount": "59"},
                         token_from=f"/aftersales/cases/{case_id}")
    assert twice.status_code == 422 and "已经处理" in twice.get_data(as_text=True)
    movement = db.scalar(select(MoneyMovement))
    assert count(db, MoneyMovement) == 1 and (movement.kind, movement.amount_fen) == ("refund", 5900)
    assert count(db, Order) == orders_before

    # the order is refunded in full: a compensation on top is refused
    _, extra = _pay_form(service, order_number=number, amount="5")
    assert extra.status_code == 422 and count(db, MoneyMovement) == 1


def test_an_unknown_order_opens_no_case_and_one_open_case_per_kind(login_as, db):
    number, _, _ = stocked_order(db)
    service = login_as("service")
    unknown = _open(service, "202611-424242")
    assert unknown.status_code == 422 and "202611-424242 不存在" in unknown.get_data(as_text=True)
    _open(service, number)
    second = _open(service, number)
    assert second.status_code == 422 and "已有未结束" in second.get_data(as_text=True)
    assert count(db, AfterSalesCase) == 1


# -- courier problems and claims ---------------------------------------------------------
def test_stalled_parcel_is_treated_as_lost_then_claimed_from_the_courier(login_as, db):
    number, order_id, _ = stocked_order(db)
    service = login_as("service")
    no_symptom = _open(service, number, kind="courier_problem")
    assert no_symptom.status_code == 422
    _open(service, number, kind="courier_problem", symptom="stalled")
    case_id = db.scalar(select(AfterSalesCase.id))
    page = service.get(f"/aftersales/cases/{case_id}").get_data(as_text=True)
    assert "多日无物流" in page and "向快递索赔" in page
    wrong = service.post(f"/aftersales/cases/{case_id}/follow-up", {"action": "ask_warehouse"},
                         token_from=f"/aftersales/cases/{case_id}")
    assert wrong.status_code == 422
    service.post(f"/aftersales/cases/{case_id}/follow-up", {"action": "chase_courier", "note": "圆通客服说在查"},
                 token_from=f"/aftersales/cases/{case_id}")
    service.post(f"/aftersales/cases/{case_id}/follow-up", {"action": "treat_as_lost"},
                 token_from=f"/aftersales/cases/{case_id}")
    db.expire_all()
    case = db.get(AfterSalesCase, case_id)
    assert (case.kind, case.status) == ("lost_parcel", "confirmed")
    assert [e.kind for e in case.events] == ["opened", "chase_courier", "treat_as_lost"]

    service.post(f"/aftersales/cases/{case_id}/claim", {"tracking_number": "YT7512345678901", "price": "59"},
                 token_from=f"/aftersales/cases/{case_id}")
    duplicate = service.post("/aftersales/claims", {"order_number": number, "tracking_number": "yt7512345678901",
                                                    "price": "59"}, token_from="/aftersales/claims")
    assert duplicate.status_code == 422 and "已经索赔" in duplicate.get_data(as_text=True)
    claim_id = db.scalar(select(CourierClaim.id))
    no_amount = service.post(f"/aftersales/claims/{claim_id}/settle", {"status": "paid"},
                             token_from="/aftersales/claims", follow_redirects=True)
    assert "快递赔付的金额" in no_amount.get_data(as_text=True)
    service.post(f"/aftersales/claims/{claim_id}/settle", {"status": "paid", "outcome": "45"},
                 token_from="/aftersales/claims")
    db.expire_all()
    claim = db.get(CourierClaim, claim_id)
    assert (claim.order_id, claim.price_fen, claim.status, claim.outcome_fen) == (order_id, 5900, "paid", 4500)
    assert "YT7512345678901" in service.get("/aftersales/claims").get_data(as_text=True)


def test_pickup_only_parcel_found_after_asking_the_warehouse(login_as, db):
    number, _, _ = stocked_order(db)
    service = login_as("service")
    _open(service, number, kind="courier_problem", symptom="pickup_only")
    case_id = db.scalar(select(AfterSalesCase.id))
    assert "预扫描" in service.get(f"/aftersales/cases/{case_id}").get_data(as_text=True)
    for action in ("ask_warehouse", "found"):
        service.post(f"/aftersales/cases/{case_id}/follow-up", {"action": action},
                     token_from=f"/aftersales/cases/{case_id}")
    db.expire_all()
    case = db.get(AfterSalesCase, case_id)
    assert (case.status, case.outcome) == ("resolved", "found") and count(db, MoneyMovement) == 0


# -- reconciliation -----------------------------------------------------------------------
def test_every_refund_compensation_and_reship_appears_once_in_the_reconciliation(login_as, db):
    number, _, _ = stocked_order(db, on_hand=2)
    other, _, _ = stocked_order(db, on_hand=2)
    service = login_as("service")
    _pay_form(service, order_number=number, amount="6")
    _open(service, number, kind="lost_parcel")
    _open(service, other, kind="lost_parcel")
    first, second = db.scalars(select(AfterSalesCase.id).order_by(AfterSalesCase.id)).all()
    for case_id in (first, second):
        service.post(f"/aftersales/cases/{case_id}/confirm", token_from=f"/aftersales/cases/{case_id}")
    service.post(f"/aftersales/cases/{first}/reship", {"lines": "daming-D-998-20-heise, 1"},
                 token_from=f"/aftersales/cases/{first}")
    service.post(f"/aftersales/cases/{second}/refund", {"amount": "30"}, token_from=f"/aftersales/cases/{second}")
    page = service.get("/aftersales/returns/reconciliation").get_data(as_text=True)
    keys = re.findall(r'data-key="([^"]+)"', page)
    payment_id = db.scalar(select(CompensationPayment.id))
    reship_id = db.scalar(select(Reship.id))
    assert sorted(keys) == sorted([f"compensation:{payment_id}", f"case:{second}", f"reship:{reship_id}"])


# -- the rules, pure -------------------------------------------------------------------------
def test_every_courier_symptom_has_its_listed_action():
    assert set(case_rules.SYMPTOM_ACTIONS) == set(SYMPTOMS)
    assert case_rules.SYMPTOM_ACTIONS["stalled"].follow_ups[0] == case_rules.TREAT_AS_LOST
    assert case_rules.SYMPTOM_ACTIONS["slow"].follow_ups[0] == case_rules.CHASE_COURIER
    assert all(case_rules.FOUND in a.follow_ups for a in case_rules.SYMPTOM_ACTIONS.values())


def test_missing_items_need_all_three_photos():
    assert case_rules.missing_evidence("missing_items", {"waybill"}) == ["items", "box"]
    assert case_rules.missing_evidence("missing_items", {"waybill", "items", "box"}) == []
    assert case_rules.missing_evidence("lost_parcel", set()) == []


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])  # the machine is shared
@given(low=st.integers(0, 5000), span=st.integers(0, 5000), amount=st.integers(1, 20000))
def test_approval_is_needed_exactly_outside_the_range(low, span, amount):
    row = PolicyRow("normal", 0, None, "minor", low, low + span, False)
    need = case_rules.approval_needed(Offer(low, low + span, False, low + span, row), amount)
    assert (need is None) == (low <= amount <= low + span)
    assert need in (None, "above", "below")


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(paid=st.integers(0, 10**7), refunds=st.lists(st.integers(1, 10**6), max_size=20))
def test_refunds_granted_one_by_one_never_exceed_what_was_paid(paid, refunds):
    total = 0
    for amount in refunds:
        if amount <= case_rules.refundable_fen(paid, total):
            total += amount
    assert 0 <= total <= paid

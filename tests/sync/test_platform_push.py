"""Refund answers and stock levels go to the platforms from the outbox,
written with the change and received by the platform exactly once."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from backoffice.aftersales.models import RefundRequest, ReturnParcel
from backoffice.jobs import JobRun
from backoffice.outbox import OutboxMessage
from backoffice.sync.dispatch import dispatch
from backoffice.timeutil import utcnow
from integrations.base import AlreadyDone, InvalidRequest, RefundDecision, StockLevel, supports
from integrations.simulators.core import SimRefund
from integrations.timeutil import now_utc
from tests import factories
from tests.simulated import connect, start_simulator, visible_orders

PUSH_PLATFORMS = ("taobao", "pinduoduo", "douyin")


@pytest.fixture(params=PUSH_PLATFORMS)
def sim(request):
    simulator = start_simulator(request.param, orders=40, hours=6)
    yield simulator
    simulator.stop()


def add_refund(sim, order, refund_id: str, goods_returned=False, minutes_ago=10) -> SimRefund:
    refund = SimRefund(refund_id, order.id, "requested", order.paid_fen, "不想要了",
                       now_utc().replace(microsecond=0) - dt.timedelta(minutes=minutes_ago),
                       goods_returned=goods_returned)
    sim.book.add_refund(refund)
    return refund


def test_which_platforms_take_refund_answers_and_stock():
    assert [p for p in ("taobao", "pinduoduo", "douyin", "mogujie") if supports(p, "decide_refund")] == \
        list(PUSH_PLATFORMS)
    assert [p for p in ("taobao", "pinduoduo", "douyin", "mogujie") if supports(p, "push_stock")] == \
        list(PUSH_PLATFORMS)


def test_a_refund_answer_is_applied_once_and_a_repeat_is_recognised(sim):
    adapter = connect(sim)
    orders = [o for o in visible_orders(sim).values()][:3]
    agreed, refused, returned = (add_refund(sim, o, str(660000 + n), goods_returned=n == 2)
                                 for n, o in enumerate(orders))
    adapter.decide_refund(RefundDecision(agreed.id, agreed.order_id, True, agreed.amount_fen))
    with pytest.raises(AlreadyDone):
        adapter.decide_refund(RefundDecision(agreed.id, agreed.order_id, True, agreed.amount_fen))
    adapter.decide_refund(RefundDecision(refused.id, refused.order_id, False, refused.amount_fen,
                                         reason="已发货，请收货后退货"))
    with pytest.raises(InvalidRequest):  # answered otherwise already: a real error
        adapter.decide_refund(RefundDecision(refused.id, refused.order_id, True, refused.amount_fen))
    adapter.decide_refund(RefundDecision(returned.id, returned.order_id, True, returned.amount_fen,
                                         goods_returned=True))
    assert [(r.status, r.decisions_applied) for r in (agreed, refused, returned)] == [
        ("succeeded", 1), ("refused", 1), ("agreed", 1)]


def test_stock_levels_are_set_absolutely(sim):
    adapter = connect(sim)
    adapter.push_stock([StockLevel("BAG-TOTE-BLK", 12), StockLevel("BAG-CROSS-RED", 0)])
    adapter.push_stock([StockLevel("BAG-TOTE-BLK", 11)])
    assert sim.book.stock == {"BAG-TOTE-BLK": 11, "BAG-CROSS-RED": 0}
    assert sim.book.stock_updates == [("BAG-TOTE-BLK", 12), ("BAG-CROSS-RED", 0), ("BAG-TOTE-BLK", 11)]


def pulled_request(db, login_as, sim, order_status: str):
    """A refund on one of the simulator's orders, pulled by "sync now"; returns ids."""
    shop_id = factories.connected_shop(sim, "皮具旗舰店").id
    db.commit()
    order = next(o for o in visible_orders(sim).values() if o.status == order_status)
    refund = add_refund(sim, order, "650001")
    login_as("supervisor").post(f"/sync/shops/{shop_id}/pull", token_from="/sync/")
    request = db.scalar(select(RefundRequest).where(RefundRequest.platform_refund_id == "650001"))
    return shop_id, request.id, refund


def deliver_with_faults(db, sim, shop_id):
    """Rate limits and a 5xx on the way; dispatch until nothing is due."""
    sim.faults.set(rate_limit=2, server_error=1)
    for _ in range(4):
        db.execute(OutboxMessage.__table__.update().values(next_attempt_at=utcnow()))
        db.commit()
        dispatch(adapters={shop_id: connect(sim)})
    return db.execute(select(OutboxMessage.kind, OutboxMessage.status)).all()


def test_approving_a_pulled_refund_tells_the_platform_once(app, db, login_as, sim):
    shop_id, request_id, refund = pulled_request(db, login_as, sim, "to_ship")
    service = login_as("service")
    queue = service.get("/aftersales/refund-only").get_data(as_text=True)
    assert "同意退款" in queue
    service.post(f"/aftersales/refund-only/{request_id}/approve", token_from="/aftersales/refund-only")
    assert db.get(RefundRequest, request_id).status == "refunded"
    message = db.scalar(select(OutboxMessage))
    assert (message.kind, message.payload["agree"], message.payload["platform_refund_id"]) == \
        ("refund", True, "650001")
    # a crash after the platform took it, before we recorded it: the repeat counts as delivered
    connect(sim).decide_refund(RefundDecision("650001", refund.order_id, True, refund.amount_fen))
    assert deliver_with_faults(db, sim, shop_id) == [("refund", "delivered")]
    assert (refund.status, refund.decisions_applied) == ("succeeded", 1)


def test_refusing_a_refund_only_of_a_shipped_order_tells_the_platform_why(app, db, login_as, sim):
    shop_id, request_id, refund = pulled_request(db, login_as, sim, "shipped")
    service = login_as("service")
    queue = service.get("/aftersales/refund-only").get_data(as_text=True)
    assert "拒绝仅退款" in queue
    service.post(f"/aftersales/refund-only/{request_id}/refuse", token_from="/aftersales/refund-only")
    assert db.get(RefundRequest, request_id).status == "refused"
    assert deliver_with_faults(db, sim, shop_id) == [("refund", "delivered")]
    assert (refund.status, refund.decisions_applied) == ("refused", 1)


def test_refusing_is_only_for_parcels_on_their_way(app, db, login_as):
    request = factories.refund(factories.order(status="paid"))
    request_id = request.id
    db.commit()
    service = login_as("service")
    page = service.post(f"/aftersales/refund-only/{request_id}/refuse", token_from="/aftersales/refund-only",
                        follow_redirects=True).get_data(as_text=True)
    assert db.get(RefundRequest, request_id).status == "pending"
    assert db.scalar(select(OutboxMessage)) is None
    assert "已在路上" in page


def test_a_manual_order_refund_queues_nothing(app, db, make_user):
    from backoffice.aftersales.operations import approve_refund_only

    user = make_user("service")
    request = factories.refund(factories.order(status="paid", platform="manual"))
    with app.test_request_context():
        approve_refund_only(request.id, user)
        assert db.get(RefundRequest, request.id).status == "refunded"
        assert db.scalar(select(OutboxMessage)) is None
        db.commit()


def test_push_stock_sends_the_available_quantities_of_listed_skus_once(app, db, sim):
    from backoffice.sync.tasks import push_stock

    shop_id = factories.connected_shop(sim, "皮具旗舰店").id
    listed = factories.listing(status="published")
    listed.shop_id = shop_id
    sku = listed.product.skus[0]
    sku.on_hand, sku.reserved = 9, 2
    hidden = factories.listing(status="draft")
    hidden.shop_id = shop_id
    code, sku_id = sku.code, sku.id
    db.commit()
    with app.app_context():
        push_stock()
        push_stock()  # nothing changed: nothing more to send
    messages = db.scalars(select(OutboxMessage)).all()
    assert [(m.kind, m.payload["levels"]) for m in messages] == [("stock", [[code, 7]])]
    assert deliver_with_faults(db, sim, shop_id) == [("stock", "delivered")]
    assert sim.book.stock == {code: 7} and sim.book.stock_updates == [(code, 7)]
    db.get(type(sku), sku_id).reserved = 9  # all of it reserved
    db.commit()
    with app.app_context():
        push_stock()
    assert deliver_with_faults(db, sim, shop_id)[-1] == ("stock", "delivered")
    assert sim.book.stock == {code: 0}
    runs = db.execute(select(JobRun.status, JobRun.counts).where(JobRun.job == "push_stock")).all()
    assert [r.status for r in runs] == ["succeeded"] * 3 and runs[0].counts == {"shops": 1, "queued": 1}


def test_inspecting_a_pulled_return_tells_the_platform_the_refunded_amount_once(app, db, login_as, sim):
    shop_id = factories.connected_shop(sim, "皮具旗舰店").id
    db.commit()
    order = next(o for o in visible_orders(sim).values() if o.status == "shipped")
    refund = add_refund(sim, order, "670001", goods_returned=True)
    login_as("supervisor").post(f"/sync/shops/{shop_id}/pull", token_from="/sync/")
    request = db.scalar(select(RefundRequest).where(RefundRequest.platform_refund_id == "670001"))
    assert request.kind == "return"
    request.return_tracking_number = "YT7700000001"  # the buyer filled it in on the platform
    db.commit()
    request_id, partial_fen = request.id, refund.amount_fen - 500
    desk = login_as("warehouse")
    desk.post("/aftersales/returns", {"code": "YT7700000001"}, token_from="/aftersales/returns")
    parcel_id = db.scalar(select(ReturnParcel.id).where(ReturnParcel.refund_request_id == request_id))
    response = desk.post(f"/aftersales/returns/{parcel_id}/inspect", {
        "item_matches": "y", "original_packaging": "y", "condition": "good", "outcome": "partial",
        "partial": f"{partial_fen / 100:.2f}"}, token_from=f"/aftersales/returns/{parcel_id}/inspect")
    assert response.status_code == 302, response.get_data(as_text=True)
    message = db.scalar(select(OutboxMessage))
    assert (message.kind, message.payload["agree"], message.payload["amount_fen"],
            message.payload["goods_returned"]) == ("refund", True, partial_fen, True)
    assert deliver_with_faults(db, sim, shop_id) == [("refund", "delivered")]
    assert (refund.status, refund.decisions_applied) == ("agreed", 1)


def test_a_message_of_a_shop_not_connected_waits_without_blocking_the_others(app, db, sim):
    from backoffice.outbox import enqueue

    unconnected = factories.shop("mogujie", "蘑菇街小店")  # no API access: its shipments go out by spreadsheet
    unconnected.auth_status = "none"
    db.flush()
    waiting = enqueue(unconnected.id, "shipment", "shipment:mogujie:M1001",
                      {"platform_order_id": "M1001", "courier_code": "yuantong", "tracking_number": "YT1234567890123"})
    shop_id = factories.connected_shop(sim, "皮具旗舰店").id
    levels = {"levels": [["BAG-TOTE-BLK", 7]]}
    enqueue(shop_id, "stock", "stock:1", levels)
    db.commit()
    waiting_id = waiting.id
    with app.app_context():
        result = dispatch(adapters={shop_id: connect(sim)})
    assert (result.delivered, result.failed, result.retried) == (1, 0, 0)
    db.expire_all()
    assert sim.book.stock == {"BAG-TOTE-BLK": 7}
    message = db.get(OutboxMessage, waiting_id)
    assert (message.status, message.attempts, message.last_error) == ("pending", 0, None)

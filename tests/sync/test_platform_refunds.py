"""Refunds and returns pulled from the platforms become after-sales requests,
once each, moving forward as the platform reports; the periodic pull takes
orders and refunds in without anyone pressing "sync now"."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from backoffice.aftersales.models import REFUND_STATUSES, RefundRequest
from backoffice.aftersales.platform_refunds import FINAL, STATUS, next_status
from backoffice.jobs import JobRun
from backoffice.orders.models import Order
from integrations.simulators.core import SimRefund
from integrations.timeutil import now_utc
from tests import factories
from tests.simulated import start_simulator, visible_orders

ADAPTER_STATES = ("requested", "agreed", "refused", "closed", "succeeded")


@pytest.mark.parametrize("kind", sorted(STATUS))
def test_every_adapter_refund_state_has_a_status_of_ours(kind):
    assert set(STATUS[kind]) == set(ADAPTER_STATES)
    assert set(STATUS[kind].values()) <= set(REFUND_STATUSES)


@pytest.mark.parametrize("current, reported, expected", [
    (None, "pending", "pending"),
    ("pending", "awaiting_return", "awaiting_return"),
    ("awaiting_return", "pending", "awaiting_return"),  # a late, older report
    ("received", "awaiting_return", "received"),  # the returns desk is ahead of the platform
    ("refunded", "pending", "refunded"),  # approved here, the platform not told yet
    ("pending", "refused", "refused"),
])
def test_a_report_moves_a_request_forward_only(current, reported, expected):
    assert next_status(current, reported) == expected


@given(st.lists(st.sampled_from(REFUND_STATUSES), min_size=1, max_size=8))
def test_a_final_status_is_never_left(reports):
    status = None
    for reported in reports:
        before, status = status, next_status(status, reported)
        if before in FINAL:
            assert status == before


def add_refunds(sim, orders, states, minutes_ago=10):
    now = now_utc().replace(microsecond=0)
    for n, (order, state) in enumerate(zip(orders, states)):
        sim.book.add_refund(SimRefund(str(770000 + n), order.id, state, order.paid_fen - 100 * n, "七天无理由退货",
                                      now - dt.timedelta(minutes=minutes_ago, seconds=n), goods_returned=n % 2 == 1))


def requests_of(db, shop_id):
    rows = db.execute(select(RefundRequest.platform_refund_id, RefundRequest.kind, RefundRequest.status,
                             RefundRequest.amount_fen)
                      .join(Order).where(Order.shop_id == shop_id).order_by(RefundRequest.platform_refund_id)).all()
    return [tuple(r) for r in rows]


@pytest.mark.parametrize("platform", ["taobao", "douyin", "pinduoduo"])
def test_pulled_refunds_land_in_the_refund_only_queue_and_the_returns_list(app, db, login_as, platform):
    sim = start_simulator(platform, orders=40, hours=6)
    try:
        shop_id = factories.connected_shop(sim, "皮具旗舰店").id
        db.commit()
        orders = [o for o in visible_orders(sim).values() if o.status in ("shipped", "completed")][:3]
        add_refunds(sim, orders, ["requested", "requested", "agreed"])
        supervisor = login_as("supervisor")
        supervisor.post(f"/sync/shops/{shop_id}/pull", token_from="/sync/")
        assert requests_of(db, shop_id) == [
            ("770000", "refund_only", "pending", orders[0].paid_fen),
            ("770001", "return", "pending", orders[1].paid_fen - 100),
            ("770002", "refund_only", "refunded", orders[2].paid_fen - 200)]
        run = db.scalar(select(JobRun).where(JobRun.job == "intake_refunds"))
        assert run.status == "succeeded" and run.counts["created"] == 3
        service = login_as("service")
        queue = service.get("/aftersales/refund-only").get_data(as_text=True)
        assert orders[0].id in queue and orders[2].id not in queue
        returns = service.get("/aftersales/?kind=return").get_data(as_text=True)
        assert "退货退款" in returns

        # The platform moves on: the refund succeeds and the return is agreed; pulled again, nothing doubles.
        later = now_utc().replace(microsecond=0) - dt.timedelta(minutes=4)
        for refund_id, state in (("770000", "succeeded"), ("770001", "agreed")):
            refund = sim.book.refunds[refund_id]
            refund.status, refund.modified = state, later
        supervisor.post(f"/sync/shops/{shop_id}/pull", token_from="/sync/")
        assert [(r[0], r[2]) for r in requests_of(db, shop_id)] == [
            ("770000", "refunded"), ("770001", "awaiting_return"), ("770002", "refunded")]
        assert db.scalar(select(func.count()).select_from(RefundRequest)) == 3
        page = supervisor.get("/sync/").get_data(as_text=True)
        assert "将拉取的退款转为售后申请" in page
    finally:
        sim.stop()


def test_a_refund_waits_in_the_inbox_until_its_order_is_taken_in(app, db):
    from backoffice.sync import operations as ops
    from backoffice.sync.inbox_intake import process_refunds

    shop_id = factories.shop("taobao").id
    refund = {"platform": "taobao", "platform_refund_id": "99001", "platform_order_id": "4000123",
              "status": "requested", "platform_status": "WAIT_SELLER_AGREE", "amount_fen": 15900,
              "reason": "颜色不喜欢", "modified_at": "2026-11-23T01:00:00+00:00", "goods_returned": False}
    ops.store_inbox(shop_id, "refund", [("99001", dt.datetime(2026, 11, 23, 1, tzinfo=dt.timezone.utc), refund)])
    batch, _ = process_refunds(shop_id)
    assert (batch.processed, batch.waiting) == (0, 1)
    factories.order(platform="taobao", paid_fen=15900).platform_order_id = "4000123"
    db.flush()
    batch, _ = process_refunds(shop_id)
    assert (batch.processed, batch.created) == (1, 1)
    request = db.scalar(select(RefundRequest).where(RefundRequest.platform_refund_id == "99001"))
    assert (request.kind, request.status, request.amount_fen, request.reason) == \
        ("refund_only", "pending", 15900, "颜色不喜欢")


def test_the_periodic_pull_turns_platform_orders_into_orders(app, db):
    from backoffice.sync.tasks import pull_all_shops

    sim = start_simulator("douyin", orders=50, hours=6)
    try:
        shop_id = factories.connected_shop(sim, "抖音旗舰店").id
        db.commit()
        with app.app_context():  # the jobs run at once, in this app
            pull_all_shops()
        assert db.scalar(select(func.count()).select_from(Order).where(Order.shop_id == shop_id)) == \
            len(visible_orders(sim))
        jobs = db.scalars(select(JobRun.job).where(JobRun.shop_id == shop_id).order_by(JobRun.id)).all()
        assert jobs == ["pull_orders", "intake_orders", "pull_refunds", "intake_refunds"]
    finally:
        sim.stop()


def test_the_simulators_demo_refunds_reach_the_refund_only_queue_and_the_returns(app, db, login_as):
    """`backoffice simulate --refunds N` (used by `make run`): refunds only before shipping, returns after."""
    sim = start_simulator("douyin", orders=60, hours=12)
    try:
        sim.book.generate_refunds(8, seed=3)
        expected = {r.id: ("return" if r.goods_returned else "refund_only") for r in sim.book.refunds.values()}
        shipped = {o.id for o in sim.book.orders.values() if o.status != "to_ship"}
        assert len(expected) == 8 and all((kind == "return") == (sim.book.refunds[rid].order_id in shipped)
                                          for rid, kind in expected.items())
        shop_id = factories.connected_shop(sim, "抖音小店").id
        db.commit()
        login_as("supervisor").post(f"/sync/shops/{shop_id}/pull", token_from="/sync/")
        assert {r[0]: r[1] for r in requests_of(db, shop_id)} == expected
    finally:
        sim.stop()

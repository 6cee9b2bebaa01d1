"""Platform orders pulled from a simulator become orders through the one intake."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from backoffice.jobs import JobRun
from backoffice.orders.models import Order
from backoffice.sync.inbox_intake import ORDER_STATUS, incoming_order
from backoffice.sync.models import InboxRecord
from tests import factories
from tests.simulated import start_simulator, visible_orders

PAYLOAD = {
    "platform": "taobao", "platform_order_id": "3829103384", "status": "to_ship", "platform_status": "WAIT_SELLER_SEND_GOODS",
    "created_at": "2026-11-22T02:15:00+00:00", "modified_at": "2026-11-22T02:16:00+00:00", "paid_fen": 5300,
    "receiver": {"name": "张丽", "phone": "13812345678", "province": "河北省", "city": "保定市", "district": "竞秀区",
                 "address": "朝阳北大街1688号"},
    "lines": [{"platform_line_id": "1", "sku_code": "daming-D-998-20-heise", "title": "韩版链条斜挎小方包 黑色",
               "quantity": 1, "price_fen": 5300}],
    "buyer_note": "请尽快发货",
}


def test_a_pulled_order_maps_to_the_intake():
    incoming = incoming_order("taobao", 7, PAYLOAD)
    assert (incoming.platform, incoming.shop_id, incoming.platform_order_id, incoming.status) == \
        ("taobao", 7, "3829103384", "paid")
    assert incoming.receiver.full_address() == "河北省保定市竞秀区朝阳北大街1688号"
    assert incoming.lines[0].sku_code == "daming-D-998-20-heise" and incoming.paid_fen == 5300
    assert incoming.platform_modified_at == dt.datetime(2026, 11, 22, 2, 16, tzinfo=dt.timezone.utc)
    assert incoming.buyer_message == "请尽快发货"


@pytest.mark.parametrize("state, ours", sorted(ORDER_STATUS.items()))
def test_every_adapter_state_has_an_order_status(state, ours):
    from backoffice.orders.models import ORDER_STATUSES

    assert ours in ORDER_STATUSES


def test_sync_now_ends_with_the_orders_in_the_order_list(app, db, login_as):
    sim = start_simulator("douyin", orders=60, hours=6)
    try:
        shop_id = factories.connected_shop(sim, "抖音旗舰店").id
        db.commit()
        supervisor = login_as("supervisor")
        supervisor.post(f"/sync/shops/{shop_id}/pull", token_from="/sync/")
        expected = len(visible_orders(sim))
        assert db.scalar(select(func.count()).select_from(Order).where(Order.shop_id == shop_id)) == expected
        assert db.scalar(select(func.count()).select_from(InboxRecord)
                         .where(InboxRecord.shop_id == shop_id, InboxRecord.processed_at.is_(None))) == 0
        pull_run = db.scalar(select(JobRun).where(JobRun.job == "pull_orders"))
        assert pull_run.status == "succeeded" and pull_run.counts["taken_in"] == expected  # made on the way
        run = db.scalar(select(JobRun).where(JobRun.job == "intake_orders"))
        assert run.status == "succeeded" and run.counts["created"] == 0  # nothing was left for it
        supervisor.post(f"/sync/shops/{shop_id}/pull", token_from="/sync/")  # again: nothing doubles
        assert db.scalar(select(func.count()).select_from(Order).where(Order.shop_id == shop_id)) == expected
    finally:
        sim.stop()


def test_a_batch_the_intake_refuses_is_left_to_the_intake_job(app, db, login_as, monkeypatch):
    """The pull still stores what it read (unprocessed) and its checkpoint moves;
    the intake job that follows takes the orders in (or shows why it cannot)."""
    from backoffice.sync import inbox_intake

    real_intake, calls = inbox_intake.intake, []

    def refuses_once(batch, source):
        calls.append(len(batch))
        if len(calls) == 1:
            raise ValueError("unknown status 'weird' for order 1")
        return real_intake(batch, source=source)

    monkeypatch.setattr(inbox_intake, "intake", refuses_once)
    sim = start_simulator("taobao", orders=40, hours=6)
    try:
        shop_id = factories.connected_shop(sim, "淘宝店").id
        db.commit()
        login_as("supervisor").post(f"/sync/shops/{shop_id}/pull", token_from="/sync/")
        expected = len(visible_orders(sim))
        pull_run = db.scalar(select(JobRun).where(JobRun.job == "pull_orders"))
        assert pull_run.status == "succeeded" and pull_run.counts["taken_in"] == 0
        assert pull_run.counts["written"] == expected
        run = db.scalar(select(JobRun).where(JobRun.job == "intake_orders"))
        assert run.status == "succeeded" and run.counts["created"] == expected
        assert db.scalar(select(func.count()).select_from(Order).where(Order.shop_id == shop_id)) == expected
        assert db.scalar(select(func.count()).select_from(InboxRecord)
                         .where(InboxRecord.shop_id == shop_id, InboxRecord.processed_at.is_(None))) == 0
    finally:
        sim.stop()


def test_the_order_payload_is_the_generic_payload_of_the_dto():
    from backoffice.outbox import to_payload
    from backoffice.sync.operations import order_payload
    from tests.simulated import connect, horizon, start_simulator

    sim = start_simulator("taobao", orders=30, hours=3)
    try:
        adapter = connect(sim)
        end = horizon(adapter)
        pulled = [o for page in adapter.order_pages(end - dt.timedelta(hours=4), end) for o in page]
        assert len(pulled) == 30
        assert [order_payload(o) for o in pulled] == [to_payload(o) for o in pulled]
    finally:
        sim.stop()

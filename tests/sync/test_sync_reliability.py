"""Pulls into the inbox and deliveries from the outbox against the simulators,
with faults injected: afterwards the inbox holds exactly the platform's
orders, each once, in its latest state, and every message reached the
platform exactly once."""
from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import select

from backoffice import outbox
from backoffice.db import session
from backoffice.orders.models import Order
from backoffice.outbox import OutboxMessage
from backoffice.shops.models import Shop
from backoffice.sync.dispatch import dispatch
from backoffice.sync.models import SyncCheckpoint
from backoffice.sync.pulling import pull
from backoffice.timeutil import utcnow
from integrations.base import AuthExpired, Shipment
from integrations.timeutil import now_utc
from tests import factories
from tests.simulated import ORDER_PLATFORMS, connect, start_simulator, visible_orders
from tests.sync_support import committed, inbox_count, inbox_state  # noqa: F401


@pytest.fixture(params=ORDER_PLATFORMS)
def sim(request):
    simulator = start_simulator(request.param, orders=1200, hours=50)
    yield simulator
    simulator.stop()


def new_shop(sim) -> int:
    shop = factories.connected_shop(sim)
    session.commit()
    shop_id = shop.id
    session.remove()
    return shop_id


def platform_truth(sim) -> dict[str, tuple]:
    return {oid: o.modified for oid, o in visible_orders(sim).items()}


def inbox_truth(shop_id) -> dict[str, dt.datetime]:
    return {pid: modified for pid, (modified, _) in inbox_state(shop_id).items()}


def orders_truth(shop_id) -> dict[str, dt.datetime]:
    rows = session.execute(select(Order.platform_order_id, Order.platform_modified_at)
                           .where(Order.shop_id == shop_id)).all()
    session.rollback()
    assert len(rows) == len({pid for pid, _ in rows})  # never twice
    return dict(rows)


def catch_up(sim, shop_id, adapter) -> None:
    """A later pull, once the platform's clock is past the orders that changed."""
    sim.clock = lambda: now_utc() + dt.timedelta(minutes=4)
    pull(shop_id, adapter=adapter, now=now_utc() + adapter.settle_lag + dt.timedelta(seconds=2))


def test_a_pull_with_every_fault_injected_ends_with_exactly_the_platforms_orders(sim, committed):
    shop_id = new_shop(sim)
    adapter = connect(sim)
    sim.faults.set(rate_limit=3, server_error=2, timeout=1, malformed=2, change_during_pull=25, spread=3)
    first = pull(shop_id, adapter=adapter)
    assert first.windows >= 3 and first.records >= len(platform_truth(sim)) - 25
    catch_up(sim, shop_id, adapter)
    assert inbox_truth(shop_id) == platform_truth(sim)  # each once, in its latest version
    statuses = {pid: status for pid, (_, status) in inbox_state(shop_id).items()}
    assert statuses == {oid: o.status for oid, o in visible_orders(sim).items()}
    assert orders_truth(shop_id) == platform_truth(sim)  # made into orders on the way, each once, latest


def test_the_checkpoint_moves_only_past_whole_windows_and_a_crash_resumes_without_loss(sim, committed,
                                                                                       monkeypatch):
    from backoffice.sync import pulling

    monkeypatch.setattr(pulling, "COMMIT_EVERY", 0.0)  # commit every page, so the crash lands mid-window
    shop_id = new_shop(sim)
    adapter = connect(sim)

    class Crash(Exception):
        pass

    def crash_on_page(n):
        if n == 5:
            raise Crash("worker killed")

    with pytest.raises(Crash):
        pull(shop_id, adapter=adapter, on_page=crash_on_page)
    cp = session.scalar(select(SyncCheckpoint).where(SyncCheckpoint.shop_id == shop_id))
    synced, lease = cp.synced_until, cp.lease_owner
    session.rollback()
    assert lease is None  # released on the way out
    stored = inbox_count(shop_id)
    assert stored > 0
    # the window that crashed is not marked done; the windows before it are
    assert synced is None or synced < max(platform_truth(sim).values())
    assert stored < len(platform_truth(sim))
    pull(shop_id, adapter=adapter)
    assert inbox_truth(shop_id) == platform_truth(sim)
    assert orders_truth(shop_id) == platform_truth(sim)


def test_two_pulls_of_one_shop_never_run_at_once(sim, committed):
    shop_id = new_shop(sim)
    results = []

    def run():
        try:
            results.append(pull(shop_id, adapter=connect(sim)))
        finally:
            session.remove()

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ran = [r for r in results if not r.skipped]
    assert len(results) == 3 and len(ran) >= 1
    assert all("another pull" in r.skipped for r in results if r.skipped)
    assert inbox_truth(shop_id) == platform_truth(sim)
    assert orders_truth(shop_id) == platform_truth(sim)


def test_an_expired_token_marks_the_shop_for_reauthorisation(sim, committed):
    shop_id = new_shop(sim)
    sim.faults.set(expired_token=True)
    with pytest.raises(AuthExpired):
        pull(shop_id, adapter=connect(sim))
    shop = session.get(Shop, shop_id)
    assert shop.auth_status == "expired" and shop.auth_error
    cp = session.scalar(select(SyncCheckpoint).where(SyncCheckpoint.shop_id == shop_id))
    assert cp.synced_until is None and cp.lease_owner is None
    session.rollback()


def test_outbox_messages_reach_the_platform_exactly_once(sim, committed):
    shop_id = new_shop(sim)
    to_ship = [o for o in visible_orders(sim).values() if o.status == "to_ship"][:12]
    # written in the transaction of the change; a rolled-back change leaves no message
    for n, order in enumerate(to_ship):
        outbox.enqueue(shop_id, "shipment", f"ship:{order.id}", {
            "platform_order_id": order.id, "courier_code": "zhongtong", "tracking_number": f"7831{n:010d}"})
    outbox.enqueue(shop_id, "shipment", f"ship:{to_ship[0].id}", {"platform_order_id": "ignored"})  # same key
    session.commit()
    outbox.enqueue(shop_id, "shipment", "ship:rolled-back", {"platform_order_id": "x"})
    session.rollback()
    # a crash after the platform accepted the first one, before we recorded it
    connect(sim).confirm_shipment(Shipment(to_ship[0].id, "zhongtong", "78310000000000"))
    # rate limits (retried at once) and a 5xx (retried by a later dispatch), two dispatchers at once
    sim.faults.set(rate_limit=2, server_error=1)
    results = []

    def run():
        try:
            results.append(dispatch(adapters={shop_id: connect(sim)}))
        finally:
            session.remove()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # whatever failed transiently is due again later: run until nothing is pending
    for _ in range(5):
        session.execute(OutboxMessage.__table__.update().values(next_attempt_at=utcnow()))
        session.commit()
        results.append(dispatch(adapters={shop_id: connect(sim)}))
    statuses = session.scalars(select(OutboxMessage.status)).all()
    session.rollback()
    assert sorted(statuses) == ["delivered"] * 12
    assert [o.shipments_applied for o in to_ship] == [1] * 12
    assert all(o.status == "shipped" for o in to_ship)


def test_a_message_the_platform_refuses_is_failed_and_shown(sim, committed):
    shop_id = new_shop(sim)
    done = next(o for o in visible_orders(sim).values() if o.status == "completed")
    outbox.enqueue(shop_id, "shipment", f"ship:{done.id}", {
        "platform_order_id": done.id, "courier_code": "yunda", "tracking_number": "4312345678901"})
    session.commit()
    result = dispatch(adapters={shop_id: connect(sim)})
    message = session.scalar(select(OutboxMessage))
    assert (result.failed, message.status, message.attempts) == (1, "failed", 1)
    assert message.last_error
    session.rollback()


def test_a_token_past_its_expiry_is_not_sent_and_the_shop_asks_for_reauthorisation(committed):
    sim = start_simulator("taobao", orders=50)
    try:
        shop = factories.connected_shop(sim, expires_in=dt.timedelta(days=1))
        shop.token_expires_at = utcnow() - dt.timedelta(minutes=1)
        session.commit()
        shop_id = shop.id
        adapter = connect(sim)
        with pytest.raises(AuthExpired):
            pull(shop_id, adapter=adapter)
        assert adapter.client.transport.calls == 0 and sim.requests == 0
        assert session.get(Shop, shop_id).auth_status == "expired"
        session.rollback()
    finally:
        sim.stop()

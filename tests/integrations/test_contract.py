"""The shared contract: every order platform's adapter against its simulator,
over real HTTP on 127.0.0.1 (signatures, limits, paging, envelopes, faults)."""
from __future__ import annotations

import datetime as dt

import pytest

from integrations.base import AlreadyDone, AuthExpired, InvalidRequest, RateLimited, Shipment, SignatureRejected, registered
from integrations.simulators.core import SimRefund
from integrations.timeutil import now_utc
from tests.simulated import ORDER_PLATFORMS, connect, horizon, pull_span, start_simulator, visible_orders


@pytest.fixture(params=ORDER_PLATFORMS)
def sim(request):
    simulator = start_simulator(request.param, orders=450, hours=2)
    yield simulator
    simulator.stop()


def span(adapter):
    end = horizon(adapter)
    return end - dt.timedelta(hours=2, minutes=10), end


def test_every_platform_is_registered():
    assert set(ORDER_PLATFORMS) | {"kuaidi100"} <= set(registered())


def test_a_pull_returns_every_order_once_exactly_as_the_platform_holds_it(sim):
    adapter = connect(sim)
    pulled = pull_span(adapter, *span(adapter))
    expected = visible_orders(sim)
    assert set(pulled) == set(expected)
    for oid, order in pulled.items():
        truth = expected[oid]
        assert order.platform == sim.platform
        assert order.status == truth.status, (oid, order.platform_status)
        assert order.modified_at == truth.modified and order.created_at == truth.created
        assert order.paid_fen == truth.paid_fen
        assert (order.receiver.name, order.receiver.phone, order.receiver.address) == (truth.name, truth.phone,
                                                                                        truth.street)
        assert order.receiver.province == truth.place[0]
        assert [(line.sku_code, line.quantity, line.price_fen) for line in order.lines] == [
            (sku, qty, price) for _, sku, _, qty, price in truth.lines]
        assert order.buyer_note == truth.note


def test_pages_are_read_backwards_and_no_page_is_larger_than_the_limit(sim):
    adapter = connect(sim)
    start, end = span(adapter)
    start = end - adapter.max_window if adapter.max_window < dt.timedelta(hours=2) else start
    pages = list(adapter.order_pages(start, end))
    assert all(len(p) <= 100 for p in pages)
    if len(pages) > 1:
        assert pages[0][0].modified_at >= pages[-1][-1].modified_at  # newest page first


def test_a_window_longer_than_the_platform_allows_is_refused(sim):
    adapter = connect(sim)
    end = horizon(adapter)
    with pytest.raises(InvalidRequest):
        list(adapter.order_pages(end - adapter.max_window - dt.timedelta(minutes=1), end))


def test_a_wrong_secret_is_a_signature_error_and_not_retried(sim):
    adapter = connect(sim, secret="not-the-secret")
    with pytest.raises(SignatureRejected):
        list(adapter.order_pages(horizon(adapter) - dt.timedelta(minutes=20), horizon(adapter)))
    assert adapter.client.transport.calls == 1


def test_an_expired_token_says_so_and_is_not_retried(sim):
    sim.faults.set(expired_token=True)
    adapter = connect(sim)
    with pytest.raises(AuthExpired):
        list(adapter.order_pages(horizon(adapter) - dt.timedelta(minutes=20), horizon(adapter)))
    assert adapter.client.transport.calls == 1


def test_a_clock_off_by_more_than_ten_minutes_is_refused(sim):
    sim.clock = lambda: now_utc() + dt.timedelta(minutes=15)
    adapter = connect(sim)
    with pytest.raises(InvalidRequest):
        list(adapter.order_pages(horizon(adapter) - dt.timedelta(minutes=20), horizon(adapter)))


def test_rate_limits_5xx_timeouts_and_malformed_answers_are_retried_with_nothing_lost(sim):
    sim.faults.set(rate_limit=2, server_error=1, timeout=1, malformed=1)
    adapter = connect(sim)
    pulled = pull_span(adapter, *span(adapter))
    assert set(pulled) == set(visible_orders(sim))
    assert sim.faults.take() is None  # every fault was met and survived
    assert adapter.client.transport.calls >= 5 + 2


def test_a_lasting_rate_limit_gives_up_after_the_last_attempt(sim):
    sim.faults.set(rate_limit=100)
    adapter = connect(sim)
    with pytest.raises(RateLimited):
        list(adapter.order_pages(horizon(adapter) - dt.timedelta(minutes=20), horizon(adapter)))
    assert adapter.client.transport.calls == adapter.client.transport.retry.attempts


def test_orders_changing_during_a_pull_are_not_lost(sim):
    adapter = connect(sim)
    start, end = span(adapter)
    sim.faults.set(change_during_pull=15)
    first = pull_span(adapter, start, end)
    changed = {oid for oid, o in visible_orders(sim).items() if o.modified > end}
    # what changed moved past the window's end; the next window reads it in its new state
    assert changed and set(first) | changed == set(visible_orders(sim))
    later = pull_span(adapter, end, horizon(adapter) + adapter.settle_lag + dt.timedelta(seconds=1)) \
        if sim.platform != "pinduoduo" else {}
    for oid in changed & set(later):
        assert later[oid].status == visible_orders(sim)[oid].status


def test_a_shipment_is_confirmed_once_and_a_repeat_is_recognised(sim):
    adapter = connect(sim)
    order = next(o for o in visible_orders(sim).values() if o.status == "to_ship")
    shipment = Shipment(order.id, "zhongtong", "78312345678901")
    adapter.confirm_shipment(shipment)
    with pytest.raises(AlreadyDone):
        adapter.confirm_shipment(shipment)
    assert order.shipment == ("zhongtong", "78312345678901") and order.shipments_applied == 1
    assert order.status == "shipped"
    with pytest.raises(InvalidRequest):  # a different parcel for a shipped order is a real error
        adapter.confirm_shipment(Shipment(order.id, "yuantong", "YT0000000001"))


def test_refunds_are_pulled_with_their_states_and_amounts(sim):
    adapter = connect(sim)
    end = horizon(adapter)
    orders = [o for o in visible_orders(sim).values() if o.status in ("shipped", "completed")][:4]
    states = ["requested", "agreed", "refused", "succeeded"]
    for n, (order, state) in enumerate(zip(orders, states)):
        sim.book.add_refund(SimRefund(str(880000 + n), order.id, state, order.paid_fen - 100 * n, "七天无理由退货",
                                      end - dt.timedelta(minutes=10 + n), goods_returned=n % 2 == 0))
    pulled = [r for page in adapter.refund_pages(end - dt.timedelta(minutes=25), end) for r in page]
    assert sorted((r.platform_order_id, r.status, r.amount_fen, r.goods_returned) for r in pulled) == sorted(
        (o.id, s, o.paid_fen - 100 * n, n % 2 == 0) for n, (o, s) in enumerate(zip(orders, states)))


@pytest.mark.parametrize("platform", ORDER_PLATFORMS)
def test_an_adapter_declares_exactly_the_operations_it_offers(platform):
    """features is the one answer to "can this platform do X": it names every
    operation the adapter implements and none it leaves to the refusing default."""
    from integrations.base import _REGISTRY, OPERATIONS, PlatformAdapter

    adapter = _REGISTRY[platform]
    assert issubclass(adapter, PlatformAdapter)
    implemented = {name for name in OPERATIONS if getattr(adapter, name) is not getattr(PlatformAdapter, name)}
    assert adapter.features == implemented


def test_an_operation_outside_the_features_is_refused_by_name():
    from integrations.base import Credentials, Unsupported, adapter_for, supports

    assert not supports("mogujie", "publish_listing")
    with pytest.raises(KeyError):
        supports("taobao", "publish_listings")  # a misspelt operation is an error, not a quiet "no"
    adapter = adapter_for("mogujie", Credentials("k", "s", "t", "http://127.0.0.1:9"))
    with pytest.raises(Unsupported):
        adapter.push_stock([])

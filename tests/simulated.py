"""Helpers for tests that talk to the platform simulators over real HTTP."""
from __future__ import annotations

import datetime as dt

from integrations.base import Credentials, adapter_for
from integrations.simulators import simulator_for
from integrations.timeutil import now_utc
from integrations.transport import RetryPolicy
from integrations.windows import windows

ORDER_PLATFORMS = ("taobao", "pinduoduo", "douyin", "mogujie")
FAST = {"timeout": (2.0, 0.5), "retry": RetryPolicy(attempts=6, base_delay=0.005, max_delay=0.02)}


def start_simulator(platform: str, orders: int = 0, hours: float = 2.0, seed: int = 7):
    sim = simulator_for(platform)
    sim.faults.timeout_seconds = 0.8
    now = now_utc().replace(microsecond=0)
    if orders:
        sim.book.generate(orders, now - dt.timedelta(hours=hours), now - dt.timedelta(minutes=5), seed=seed)
    sim.start()
    return sim


def connect(sim, platform: str | None = None, secret: str | None = None, **transport):
    creds = Credentials(sim.app_key, secret or sim.app_secret, sim.access_token, sim.url)
    return adapter_for(platform or sim.platform, creds, **{**FAST, **transport})


def pull_span(adapter, start: dt.datetime, end: dt.datetime) -> dict[str, object]:
    """The latest version of every order modified in [start, end], window by window."""
    seen: dict[str, object] = {}
    for s, e in windows(start, end, adapter.max_window):
        for page in adapter.order_pages(s, e):
            for order in page:
                if order.platform_order_id not in seen or seen[order.platform_order_id].modified_at <= order.modified_at:
                    seen[order.platform_order_id] = order
    return seen


def visible_orders(sim) -> dict:
    visible = getattr(sim, "visible", lambda o: True)
    return {o.id: o for o in sim.book.orders.values() if visible(o)}


def horizon(adapter) -> dt.datetime:
    return now_utc().replace(microsecond=0) - adapter.settle_lag

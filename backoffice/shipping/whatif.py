"""Replay a draft rule set over recent orders before publishing (read-only)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from backoffice.db import session
from backoffice.orders.models import Order
from backoffice.shipping.models import RuleSet
from backoffice.shipping.parcels import parcels_for_orders
from backoffice.shipping.routing import Decision
from backoffice.shipping.rulesets import published_rule_set, router_for
from backoffice.timeutil import utcnow

CHUNK = 1000


@dataclass(frozen=True)
class Change:
    order_id: int
    order_number: str
    place: str
    before: Decision
    after: Decision


@dataclass
class Replay:
    days: int
    orders: int = 0
    courier_changes: int = 0
    freight_before_fen: int = 0
    freight_after_fen: int = 0
    changes: list[Change] = field(default_factory=list)


def replay(draft: RuleSet, days: int = 30, now: dt.datetime | None = None, show: int = 500) -> Replay:
    """Route every order of the last `days` days with the published rules and
    with the draft; list the parcels whose courier, status, surcharge or freight differ."""
    current = published_rule_set()
    before_router, after_router = router_for(current), router_for(draft)
    since = (now or utcnow()) - dt.timedelta(days=days)
    result = Replay(days=days)
    last_id = 0
    while True:
        orders = list(session.scalars(
            select(Order).where(Order.ordered_at >= since, Order.id > last_id,
                                Order.status.notin_(("cancelled", "closed")))
            .order_by(Order.id).limit(CHUNK).options(selectinload(Order.lines))))
        if not orders:
            break
        last_id = orders[-1].id
        parcels = parcels_for_orders(orders, before_router.names, current.default_item_weight_g)
        for order in orders:
            parcel = parcels[order.id]
            before, after = before_router.route(parcel), after_router.route(parcel)
            result.orders += 1
            result.freight_before_fen += before.freight_fen or 0
            result.freight_after_fen += after.freight_fen or 0
            if before.courier_code != after.courier_code:
                result.courier_changes += 1
            if (before.courier_code, before.status, before.surcharge_fen, before.freight_fen) != (
                    after.courier_code, after.status, after.surcharge_fen, after.freight_fen):
                if len(result.changes) < show:
                    result.changes.append(Change(order.id, order.number, parcel.place, before, after))
    return result

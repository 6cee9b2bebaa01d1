"""Stock reservation (下单减库存): reserve at order, release on cancel or
refund, consume when shipped. Rows of the SKUs are locked in id order before
deciding, so concurrent orders never reserve more than is on hand."""
from __future__ import annotations

from collections import Counter
from typing import Iterable, Sequence

from sqlalchemy import bindparam, select, update

from backoffice.catalog.models import Sku
from backoffice.db import session

_skus = Sku.__table__
_CHUNK = 900


def lock_available(sku_ids: Iterable[int]) -> dict[int, int]:
    """Lock the SKU rows (ascending ids) and return what is free of each."""
    ids = sorted(set(sku_ids))
    available: dict[int, int] = {}
    for start in range(0, len(ids), _CHUNK):
        rows = session.execute(select(_skus.c.id, _skus.c.on_hand - _skus.c.reserved)
                               .where(_skus.c.id.in_(ids[start:start + _CHUNK]))
                               .order_by(_skus.c.id).with_for_update())
        available.update(rows.all())
    return available


def plan(demands: Sequence[dict[int, int] | None], available: dict[int, int]) -> list[bool]:
    """Pure: for each order's demand {sku_id: qty} (None: cannot be reserved,
    e.g. an unknown SKU), whether it is reserved in full. Orders are served in
    the given order; ``available`` is reduced by what is reserved."""
    granted = []
    for demand in demands:
        ok = bool(demand)
        if ok:
            for s, q in demand.items():
                if available.get(s, 0) < q:
                    ok = False
                    break
            if ok:
                for s, q in demand.items():
                    available[s] -= q
        granted.append(ok)
    return granted


def add_reserved(deltas: Counter, consume: bool = False) -> None:
    """reserved += delta per SKU (negative releases); ``consume`` also takes
    the goods off the shelf (on_hand -= released)."""
    rows = [{"sku": s, "delta": q} for s, q in sorted(deltas.items()) if q]
    if not rows:
        return
    values = {"reserved": _skus.c.reserved + bindparam("delta")}
    if consume:
        values["on_hand"] = _skus.c.on_hand + bindparam("delta")
    session.execute(update(_skus).where(_skus.c.id == bindparam("sku")).values(**values), rows)
    for obj in list(session.identity_map.values()):  # loaded SKUs would show the old figures
        if isinstance(obj, Sku) and obj.id in deltas:
            session.expire(obj, ["reserved", "on_hand"])


def demand_of(lines) -> Counter | None:
    demand: Counter = Counter()
    for line in lines:
        if line.sku_id is None:
            return None
        demand[line.sku_id] += line.quantity
    return demand


def reserve_order(order) -> bool:
    """Try to reserve an order's stock now (after a restock); True when done."""
    if order.stock_reserved:
        return True
    demand = demand_of(order.lines)
    ok = plan([demand], lock_available(demand or ()))[0]
    if ok:
        add_reserved(demand)
        order.stock_reserved, order.stock_status, order.restock_date = True, "in_stock", None
    else:
        order.stock_status = "short" if demand is not None else "unknown"
    session.flush()
    return ok


def release_order(order, consume: bool = False) -> None:
    """Give the order's reserved stock back (cancel, refund), or with
    ``consume`` take it off the shelf (shipped)."""
    if not order.stock_reserved:
        return
    demand = demand_of(order.lines) or Counter()
    add_reserved(Counter({s: -q for s, q in demand.items()}), consume=consume)
    order.stock_reserved = False
    session.flush()

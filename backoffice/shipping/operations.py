"""The only code that changes shipping data. Flushes, never commits."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from backoffice.db import session
from backoffice.orders.models import Order, OrderEvent
from backoffice.shipping.models import RoutingDecision
from backoffice.shipping.parcels import parcels_for_orders
from backoffice.shipping.routing import Decision, Parcel
from backoffice.shipping.rulesets import published_rule_set, router_for


def _inputs(p: Parcel) -> dict:
    return {"place": p.place, "province_code": p.province_code, "city_code": p.city_code,
            "district_code": p.district_code, "items": p.items, "weight_g": p.weight_g,
            "amount_fen": p.amount_fen, "flash_sale": p.flash_sale, "requested": p.requested,
            "tags": sorted(p.tags)}


def route_orders(order_ids: list[int], user_id: int | None = None) -> dict[int, RoutingDecision]:
    """Route orders with the published rules and record each decision. Orders
    whose waybill is printed keep their courier (the parcel is already labelled)."""
    rule_set = published_rule_set()
    router = router_for(rule_set)
    orders = session.scalars(select(Order).where(Order.id.in_(order_ids))
                             .options(selectinload(Order.lines))).all()
    parcels = parcels_for_orders(list(orders), router.names, rule_set.default_item_weight_g)
    results = {}
    for order in orders:
        parcel = parcels[order.id]
        decision: Decision = router.route(parcel)
        row = RoutingDecision(order_id=order.id, rule_set_id=rule_set.id, courier_code=decision.courier_code,
                              status=decision.status, rule_name=decision.rule, surcharge_fen=decision.surcharge_fen,
                              freight_fen=decision.freight_fen, reasons=list(decision.reasons),
                              inputs=_inputs(parcel))
        session.add(row)
        if order.waybill_printed_at is None and order.status == "paid":
            order.courier_code = decision.courier_code
        session.add(OrderEvent(order_id=order.id, user_id=user_id, kind="routed",
                               message=f"快递规则 v{rule_set.version}：{router.name(decision.courier_code) or '未分配'}"
                                       f"（{decision.rule or '无规则'}）",
                               data={"decision_status": decision.status}))
        results[order.id] = row
    session.flush()
    return results


def latest_decisions(order_ids: list[int]) -> dict[int, RoutingDecision]:
    """The newest decision of each order, in one query."""
    if not order_ids:
        return {}
    rows = session.scalars(select(RoutingDecision).where(RoutingDecision.order_id.in_(order_ids))
                           .order_by(RoutingDecision.order_id, RoutingDecision.id)).all()
    return {row.order_id: row for row in rows}



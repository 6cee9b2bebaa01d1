"""The only code that changes shipping data. Flushes, never commits."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from backoffice import outbox
from backoffice.db import session
from backoffice.orders.models import Order, OrderEvent
from backoffice.shipping.models import RoutingDecision
from backoffice.shipping.parcels import parcels_for_orders
from backoffice.shipping.routing import Decision, Parcel
from backoffice.shipping.rulesets import published_rule_set, router_for
from integrations.base import Shipment


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
    newest = (select(func.max(RoutingDecision.id)).where(RoutingDecision.order_id.in_(order_ids))
              .group_by(RoutingDecision.order_id))
    rows = session.scalars(select(RoutingDecision).where(RoutingDecision.id.in_(newest))
                           .options(selectinload(RoutingDecision.rule_set))).all()
    return {row.order_id: row for row in rows}




# -- waves ----------------------------------------------------------------------
def create_wave(*, start=None, end=None, shop_id: int | None = None, courier_code: str | None = None,
                single_first: bool = True, max_count: int = 200, user_id: int | None = None):
    """Take paid, unprinted, unheld orders not in another wave into a new wave."""
    from backoffice.errors import OperationError
    from backoffice.shipping.models import Wave, WaveOrder

    in_wave = select(WaveOrder.order_id)
    query = select(Order.id, Order.ordered_at).where(
        Order.status == "paid", Order.waybill_printed_at.is_(None), Order.on_hold.is_(False),
        Order.id.notin_(in_wave))
    if start is not None:
        query = query.where(Order.ordered_at >= start)
    if end is not None:
        query = query.where(Order.ordered_at < end)
    if shop_id:
        query = query.where(Order.shop_id == shop_id)
    if courier_code:
        query = query.where(Order.courier_code == courier_code)
    if single_first:
        from sqlalchemy import func

        from backoffice.orders.models import OrderLine

        items = (select(func.sum(OrderLine.quantity)).where(OrderLine.order_id == Order.id)
                 .correlate(Order).scalar_subquery())
        query = query.order_by((items > 1).asc(), Order.ordered_at, Order.id)
    else:
        query = query.order_by(Order.ordered_at, Order.id)
    ids = [row.id for row in session.execute(query.limit(max_count))]
    if not ids:
        raise OperationError("没有符合条件的待发货订单")
    wave = Wave(criteria={"start": start.isoformat() if start else None, "end": end.isoformat() if end else None,
                          "shop_id": shop_id, "courier_code": courier_code, "single_first": single_first,
                          "max_count": max_count}, created_by_id=user_id)
    wave.items = [WaveOrder(order_id=order_id, position=i) for i, order_id in enumerate(ids)]
    session.add(wave)
    session.flush()
    return wave


def mark_wave_printed(wave, user_id: int | None = None) -> int:
    """Printing the waybills: merge and refund rules now treat these parcels as labelled."""
    from backoffice.timeutil import utcnow

    now = utcnow()
    wave.printed_at = wave.printed_at or now
    orders = session.scalars(select(Order).where(Order.id.in_([i.order_id for i in wave.items]),
                                                 Order.waybill_printed_at.is_(None))).all()
    for order in orders:
        order.waybill_printed_at = now
        session.add(OrderEvent(order_id=order.id, user_id=user_id, kind="waybill_printed",
                               message=f"波次 {wave.id} 打印快递单", data={"wave_id": wave.id}))
    session.flush()
    return len(orders)


# -- waybills and shipping ----------------------------------------------------------
def _courier(code: str | None):
    from backoffice.errors import OperationError
    from backoffice.shipping.models import Courier

    courier = session.get(Courier, code) if code else None
    if courier is None:
        raise OperationError("订单还没有分配快递，请先分配快递")
    return courier


def set_tracking_number(order: Order, number: str, user_id: int | None = None, source: str = "manual") -> str:
    """A tracking number entered, scanned or from the waybill provider, checked against the courier's format."""
    from backoffice.errors import OperationError
    from backoffice.shipping.tracking import check

    courier = _courier(order.courier_code)
    clean, problem = check(number, courier.tracking_pattern, courier.name)
    if problem:
        raise OperationError(f"订单 {order.number}：{problem}", field="tracking_number")
    parcel = parcel_orders(order)  # a merged parcel shares one waybill
    taken = session.scalar(select(Order.number).where(Order.tracking_number == clean,
                                                      Order.id.not_in([o.id for o in parcel])).limit(1))
    if taken:
        raise OperationError(f"单号 {clean} 已用于订单 {taken}", field="tracking_number")
    for member in parcel:
        if member.tracking_number != clean:
            member.tracking_number = clean
            member.courier_code = order.courier_code
            session.add(OrderEvent(order_id=member.id, user_id=user_id, kind="tracking_number",
                                   message=f"{courier.name} 单号 {clean}（{'电子面单' if source == 'provider' else '手工录入'}）",
                                   data={"source": source}))
    session.flush()
    return clean


def parcel_orders(order: Order) -> list[Order]:
    """The orders travelling in the same parcel: the merge group's members, or the order alone."""
    if order.merge_group_id is None:
        return [order]
    from backoffice.orders.models import MergeGroup

    group = session.get(MergeGroup, order.merge_group_id)
    if group is None or group.status != "merged":
        return [order]
    return list(session.scalars(select(Order).where(Order.merge_group_id == group.id).order_by(Order.id)))


def assign_waybills(order_ids: list[int], client, user_id: int | None = None) -> int:
    """Ask the electronic-waybill provider for numbers for the orders that have a courier and none yet."""
    from backoffice.errors import OperationError
    from integrations.waybill.client import WaybillError, WaybillRequest

    orders = session.scalars(select(Order).where(Order.id.in_(order_ids), Order.tracking_number.is_(None),
                                                 Order.courier_code.isnot(None))
                             .options(selectinload(Order.lines))).all()
    by_number = {o.number: o for o in orders}
    try:
        waybills = client.request_numbers([
            WaybillRequest(o.number, o.courier_code, o.receiver_name, o.receiver_phone,
                           "".join(p for p in (o.province, o.city, o.district, o.address_detail) if p) or o.address_raw,
                           o.item_count) for o in orders])
    except WaybillError as exc:
        raise OperationError(str(exc)) from exc
    for waybill in waybills:
        order = by_number.get(waybill.order_number)
        if order is not None and waybill.courier_code == order.courier_code:
            set_tracking_number(order, waybill.tracking_number, user_id, source="provider")
    return len(waybills)


def ship_order(order: Order, tracking_number: str | None = None, user_id: int | None = None) -> None:
    """Hand the parcel to the courier: record the number, and queue the shipment
    confirmation to the platform order (sent after commit by the sync jobs)."""
    from backoffice.errors import OperationError
    from backoffice.shipping.models import ShipmentConfirmation
    from backoffice.timeutil import utcnow

    parcel = parcel_orders(order)
    for member in parcel:
        if member.status != "paid":
            raise OperationError(f"订单 {member.number} 不是待发货状态，不能发货")
        if member.on_hold:
            raise OperationError(f"订单 {member.number} 已挂起，不能发货")
    if tracking_number:
        set_tracking_number(order, tracking_number, user_id)
    if not order.tracking_number:
        raise OperationError(f"订单 {order.number} 没有快递单号", field="tracking_number")
    from backoffice.shops.models import PULL_PLATFORMS

    now = utcnow()
    for member in parcel:  # each platform order is confirmed on its platform with the shared waybill
        member.status, member.shipped_at = "shipped", now
        session.add(ShipmentConfirmation(order_id=member.id, platform=member.platform, shop_id=member.shop_id,
                                         platform_order_id=member.platform_order_id, courier_code=order.courier_code,
                                         tracking_number=order.tracking_number))
        if member.platform in PULL_PLATFORMS:  # sent after commit by the dispatcher, exactly once
            outbox.enqueue(member.shop_id, "shipment", f"shipment:{member.platform}:{member.platform_order_id}",
                    {"platform_order_id": member.platform_order_id, "courier_code": order.courier_code,
                     "tracking_number": order.tracking_number})
        session.add(OrderEvent(order_id=member.id, user_id=user_id, kind="shipped",
                               message=f"已发货 {order.tracking_number}" + (
                                   f"（合单，共 {len(parcel)} 个订单）" if len(parcel) > 1 else ""), data={}))
    session.flush()


def record_packed(order: Order, user_id: int | None = None) -> None:
    """The packing check confirmed every item of the order."""
    from backoffice.shipping.models import WaveOrder
    from backoffice.timeutil import utcnow

    now = utcnow()
    for item in session.scalars(select(WaveOrder).where(WaveOrder.order_id == order.id)):
        item.packed_at = now
    session.add(OrderEvent(order_id=order.id, user_id=user_id, kind="packed", message="验货通过", data={}))
    session.flush()


def decide_by_hand(order: Order, courier_code: str, free_shipping: bool, user_id: int | None,
                   user_name: str = "") -> RoutingDecision:
    """A supervisor settles a parcel the rules sent to a person (needs approval,
    no route): a new decision on top of the rules' one, which stays on record."""
    from backoffice.errors import OperationError
    from backoffice.money import fen_to_yuan

    previous = latest_decisions([order.id]).get(order.id)
    if previous is None:
        raise OperationError(f"订单 {order.number} 还没有分配过快递")
    if order.waybill_printed_at is not None:
        raise OperationError(f"订单 {order.number} 已打印快递单，不能再改快递")
    courier = _courier(courier_code)
    surcharge = 0 if free_shipping else previous.surcharge_fen
    reasons = [f"主管{user_name}指定{courier.name}" + ("，包邮（免补运费）" if free_shipping and previous.surcharge_fen
                                                   else f"，买家补运费 {fen_to_yuan(previous.surcharge_fen)} 元"
                                                   if surcharge else "")]
    row = RoutingDecision(order_id=order.id, rule_set_id=previous.rule_set_id, courier_code=courier.code,
                          status="surcharge" if surcharge else "ok", rule_name="主管决定", surcharge_fen=surcharge,
                          freight_fen=previous.freight_fen if courier.code == previous.courier_code else None,
                          reasons=reasons + [f"（原规则：{previous.rule_name or '无'}）"], inputs=previous.inputs)
    session.add(row)
    order.courier_code = courier.code
    session.add(OrderEvent(order_id=order.id, user_id=user_id, kind="routed", message=reasons[0],
                           data={"decision_status": row.status}))
    session.flush()
    return row


@outbox.handles("shipment")
def deliver_shipment(payload: dict, adapter) -> None:
    adapter.confirm_shipment(Shipment(**payload))

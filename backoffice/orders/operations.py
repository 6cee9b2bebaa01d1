"""Changes to orders beyond intake: merging (合单) and undoing it, customer
service decisions on proposals, cancelling, restock dates and livestream price
changes. Flushes, never commits."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from backoffice.db import session
from backoffice.errors import OperationError
from backoffice.money import fen_to_yuan as format_yuan
from backoffice.orders import numbering, settings, stock
from backoffice.orders.merge import MergeCandidate, MergeDecision, MergeRules, decide
from backoffice.orders.models import MergeGroup, Order, OrderEvent, OrderLine, PriceChange, open_refund_order_ids
from backoffice.timeutil import utcnow

REASON_TEXT = {"same_shop": "同一店铺", "same_buyer": "同一买家", "same_receiver": "收件人姓名、电话、地址相同"}


def merge_rules() -> MergeRules:
    return MergeRules.from_settings(settings.get("merge_mode"), settings.get("merge_rules"),
                                    settings.get("merge_no_merge_words"))


def load_candidates(order_ids: list[int] | None = None, partnered_only: bool = False) -> list[MergeCandidate]:
    """Every order not yet shipped (awaiting payment or paid), as plain data, in
    one query. ``partnered_only``: only orders whose receiver (merge key) has
    another open order, the only ones that can be grouped when the rules
    require the same receiver; the index ix_orders_open_merge_key finds them."""
    refunding = open_refund_order_ids()
    open_ = Order.status.in_(("pending", "paid"))
    query = select(  # in MergeCandidate's field order
        Order.id, Order.shop_id, Order.buyer_id, Order.receiver_name, Order.receiver_phone, Order.region_code,
        Order.address_detail, Order.status, Order.shipped_at.is_not(None), Order.waybill_printed_at.is_not(None),
        Order.id.in_(refunding), Order.on_hold, Order.cash_on_delivery, Order.seller_memo, Order.merge_excluded,
        Order.merge_group_id.is_not(None), Order.merge_key,
    ).where(open_)
    if order_ids is not None:
        query = query.where(Order.id.in_([int(i) for i in order_ids]))
    if partnered_only:
        shared = (select(Order.merge_key).where(open_, Order.merge_key.is_not(None))
                  .group_by(Order.merge_key).having(func.count() > 1))
        query = query.where(Order.merge_key.is_not(None), Order.merge_key.in_(shared))
    # Straight to the driver: per-row result processing would cost more than the
    # query over 100,000 orders. The only literals are our constants and ints.
    session.flush()  # the driver does not autoflush
    conn = session.connection()
    sql = str(query.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
    cursor = conn.connection.driver_connection.cursor()
    try:
        cursor.execute(sql)
        rows = cursor.fetchall()
    finally:
        cursor.close()
    return list(map(MergeCandidate._make, rows))  # SQLite's booleans stay 0/1: decide() only tests truth


def propose(decision: MergeDecision) -> list[MergeGroup]:
    """Store the decision's groups as proposals for customer service. A group
    a person rejected is not proposed again; stale proposals are dropped."""
    known = {tuple(g.order_ids): g for g in session.scalars(
        select(MergeGroup).where(MergeGroup.status.in_(("proposed", "rejected"))))}
    wanted = {p.order_ids: p for p in decision.groups}
    for ids, group in known.items():
        if group.status == "proposed" and ids not in wanted:
            session.delete(group)
    created = []
    for ids, proposal in wanted.items():
        if ids in known:
            continue
        group = MergeGroup(status="proposed", mode=merge_rules().mode, order_ids=list(ids),
                           reasons=list(proposal.reasons))
        session.add(group)
        created.append(group)
    session.flush()
    return created


@dataclass
class MergeRun:
    proposed: int
    merged: int
    under_minimum: int


def run_merge(apply: bool, user_id: int | None = None) -> MergeRun:
    """Detect merges over all open orders; propose them, and with ``apply``
    merge them at once (after a livestream)."""
    rules = merge_rules()
    proposals = propose(decide(load_candidates(partnered_only=rules.by_receiver), rules))
    merged = under = 0
    if apply:
        for group in session.scalars(select(MergeGroup).where(MergeGroup.status == "proposed")).all():
            apply_merge(group, user_id)
            merged += 1
            under += group.under_minimum
    return MergeRun(len(proposals), merged, under)


def apply_merge(group: MergeGroup, user_id: int | None) -> MergeGroup:
    """Merge a proposal: every platform order is kept and linked to the group,
    which holds the sums; checked again against the rules first."""
    if group.status != "proposed":
        raise OperationError(_l("This merge was already decided."))
    ids = [int(i) for i in group.order_ids]
    decision = decide(load_candidates(ids), merge_rules())
    if [p.order_ids for p in decision.groups] != [tuple(sorted(ids))]:
        raise OperationError(_l("These orders can no longer be merged: %(why)s", why=_why(decision)))
    orders = session.scalars(select(Order).where(Order.id.in_(ids)).order_by(Order.id)
                             .options(selectinload(Order.lines))).all()
    memos = []
    for o in orders:
        if o.seller_memo and o.seller_memo not in memos:
            memos.append(o.seller_memo)
        o.merge_group_id = group.id
    group.goods_fen = sum(o.goods_fen for o in orders)
    group.paid_fen = sum(o.paid_fen for o in orders)
    group.weight_g = sum(o.weight_g for o in orders)
    group.item_count = sum(o.item_count for o in orders)
    group.memo = " | ".join(memos) or None
    group.under_minimum = group.paid_fen < settings.get("merge_minimum_fen")
    group.status, group.decided_at, group.decided_by_id = "merged", utcnow(), user_id
    numbers = "、".join(o.number for o in orders)
    why = "、".join(REASON_TEXT.get(r, r) for r in group.reasons)
    for o in orders:
        message = f"与 {numbers} 合并发货（{why}）；合计 {format_yuan(group.paid_fen)} 元"
        if group.under_minimum:
            message += f"，未满 {format_yuan(settings.get('merge_minimum_fen'))} 元，需联系买家"
        session.add(OrderEvent(order=o, user_id=user_id, kind="merged", message=message,
                               data={"group": group.id, "orders": ids}))
    session.flush()
    return group


def unmerge(group: MergeGroup, user_id: int | None) -> None:
    """Undo a merge: the orders are exactly as before, each on its own."""
    if group.status != "merged":
        raise OperationError(_l("Only a merged group can be undone."))
    for o in group.orders:
        o.merge_group_id = None
        session.add(OrderEvent(order=o, user_id=user_id, kind="unmerged", message="已取消合并，恢复为单独订单",
                               data={"group": group.id}))
    group.status, group.decided_at, group.decided_by_id = "undone", utcnow(), user_id
    session.flush()


def reject(group: MergeGroup, user_id: int | None) -> None:
    if group.status != "proposed":
        raise OperationError(_l("This merge was already decided."))
    group.status, group.decided_at, group.decided_by_id = "rejected", utcnow(), user_id
    session.flush()


def exclude_from_merging(order: Order, user_id: int | None) -> None:
    """A person marks the order 不合并: it leaves every proposal."""
    order.merge_excluded = True
    session.add(OrderEvent(order=order, user_id=user_id, kind="merge_excluded", message="已设为不合并"))
    for group in session.scalars(select(MergeGroup).where(MergeGroup.status == "proposed")).all():
        if order.id in group.order_ids:
            rest = [i for i in group.order_ids if i != order.id]
            if len(rest) < 2:
                session.delete(group)
            else:
                group.order_ids = rest
    session.flush()


def buyer_message_under_minimum(group: MergeGroup) -> str:
    return settings.get("under_minimum_message").format(amount=format_yuan(group.paid_fen),
                                                        minimum=format_yuan(settings.get("merge_minimum_fen")))


def cancel(order: Order, user_id: int | None, reason: str) -> None:
    """Cancel an order that has not shipped; its reserved stock is released."""
    if order.status not in ("pending", "paid") or order.shipped_at is not None:
        raise OperationError(_l("Only an order that has not shipped can be cancelled."))
    stock.release_order(order)
    if order.merge_group_id is not None:
        _leave_group(order, user_id)
    order.status = "cancelled"
    session.add(OrderEvent(order=order, user_id=user_id, kind="cancelled", message=f"订单取消：{reason}"))
    session.flush()


def _leave_group(order: Order, user_id: int | None) -> None:
    group = order.merge_group
    if group is not None and group.status == "merged":
        unmerge(group, user_id)


def set_restock_date(order: Order, day: dt.date, user_id: int | None) -> str:
    """Record when a short order's goods are back and ask purchasing to restock
    under a production/batch number of the month they are due (SPEC §2);
    returns the message for the buyer. A new date keeps the number, unless it
    moves the goods to another month."""
    if order.restock_number is None or order.restock_date is None or \
            (order.restock_date.year, order.restock_date.month) != (day.year, day.month):
        order.restock_number = numbering.next_batch_number(day)
    order.restock_date = day
    items = "、".join(f"{line.sku_code} × {line.quantity}" for line in order.lines)
    session.add(OrderEvent(order=order, user_id=user_id, kind="restock_date",
                           message=f"缺货，预计 {day.month}月{day.day}日 到货；已请采购补货（{items}），"
                                   f"生产批号 {order.restock_number}",
                           data={"restock_number": order.restock_number, "restock_date": day.isoformat()}))
    session.flush()
    return short_stock_message(order)


def short_stock_message(order: Order) -> str:
    items = "、".join(line.title for line in order.lines)
    day = f"{order.restock_date.month}月{order.restock_date.day}日" if order.restock_date else "近期"
    return settings.get("short_stock_message").format(items=items, restock_date=day)


def change_price(line: OrderLine, new_price_fen: int, asked_by: str, approver_id: int, note: str = "") -> PriceChange:
    """A livestream price change (改价) on a flash-sale line, with who asked and who approved."""
    order = line.order
    if not line.flash_sale:
        raise OperationError(_l("Only flash-sale items get livestream price changes."))
    if order.status not in ("pending", "paid") or order.merge_group_id is not None:
        raise OperationError(_l("The price can only change before the order is merged or shipped."))
    if new_price_fen < 0 or not asked_by.strip():
        raise OperationError(_l("Give the new price and who asked for it."))
    change = PriceChange(order_line_id=line.id, old_price_fen=line.price_fen, new_price_fen=new_price_fen,
                         asked_by=asked_by.strip(), approved_by_id=approver_id, note=note or None)
    delta = (new_price_fen - line.price_fen) * line.quantity
    line.price_fen = new_price_fen
    order.goods_fen += delta
    order.paid_fen += delta
    session.add(change)
    session.add(OrderEvent(order=order, user_id=approver_id, kind="price_change",
                           message=f"直播改价：{line.title} {format_yuan(change.old_price_fen)} → "
                                   f"{format_yuan(new_price_fen)} 元（{asked_by.strip()} 要求）"))
    session.flush()
    return change


def _why(decision: MergeDecision) -> str:
    from backoffice.orders.labels import label

    return "; ".join(f"{oid}: {', '.join(label('merge_reason', r) for r in reasons)}"
                     for oid, reasons in sorted(decision.blocked.items())) or "-"


def set_hold(orders: list[Order], on_hold: bool, user_id: int | None) -> None:
    for o in orders:
        if o.on_hold != on_hold:
            o.on_hold = on_hold
            session.add(OrderEvent(order=o, user_id=user_id, kind="hold",
                                   message="暂停发货" if on_hold else "恢复发货"))
    session.flush()


def why_not_merged(order: Order) -> tuple[str, ...]:
    """The reasons this open order is not in a merge, judged with the orders
    that share its phone number (the decision needs only those)."""
    if order.merge_group_id is not None:
        return ()
    ids = list(session.scalars(select(Order.id).where(Order.receiver_phone == order.receiver_phone,
                                                      Order.status.in_(("pending", "paid")))))
    decision = decide(load_candidates(ids), merge_rules())
    if any(order.id in p.order_ids for p in decision.groups):
        return ("proposable",)
    return decision.blocked.get(order.id, ())


def update_settings(values: dict) -> None:
    for key, value in values.items():
        settings.put(key, value)

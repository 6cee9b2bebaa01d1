"""The one intake operation every order source uses (sync, manual form, file
import, demo). An idempotent upsert keyed on (platform, shop, platform order
id): a known order changes only when the platform's state is newer; a new
order gets its internal number and its stock reserved in the same
transaction. Works in batches with set-based statements (no per-row queries).
"""
from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Sequence

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from backoffice import bulk
from backoffice.addresses.parser import ParsedAddress, parse_address
from backoffice.catalog.models import Product, Sku
from backoffice.db import session
from backoffice.orders import numbering, operations, settings, stock
from backoffice.orders.incoming import IncomingOrder
from backoffice.orders.merge import receiver_key
from backoffice.orders.models import ORDER_STATUSES, Order, OrderEvent, OrderLine
from backoffice.orders.numbers import number_formatter, period_of
from backoffice.timeutil import to_local, utcnow

# Without modification times, a status only moves forward.
STATUS_RANK = {"pending": 0, "paid": 1, "shipped": 2, "completed": 3, "cancelled": 4, "closed": 4}
RESERVING = ("pending", "paid")  # 下单减库存: reserved from the moment the order is placed
SOURCE_NAMES = {"sync": "平台同步", "manual": "手工录入", "file": "文件导入", "demo": "演示数据"}
STATUS_NAMES = {"pending": "待付款", "paid": "待发货", "shipped": "已发货", "completed": "已完成",
                "cancelled": "已取消", "closed": "已关闭"}
_CHUNK = 500


@dataclass
class IntakeResult:
    created: list[int] = field(default_factory=list)  # order ids, in the given order
    updated: list[int] = field(default_factory=list)
    unchanged: int = 0


@functools.lru_cache(maxsize=50_000)
def parse(text: str) -> ParsedAddress:
    return parse_address(text)


def intake(incoming: Sequence[IncomingOrder], source: str, user_id: int | None = None) -> IntakeResult:
    """Upsert the orders into the current unit of work (flushes, never commits)."""
    session.flush()
    result = IntakeResult()
    batch: dict[tuple, IncomingOrder] = {}
    for order in incoming:
        if order.status not in ORDER_STATUSES:
            raise ValueError(f"unknown status {order.status!r} for order {order.platform_order_id}")
        batch[order.key] = order  # a source repeating an order: the last copy counts
    now = utcnow()
    day_of = {o.key: to_local(o.ordered_at or now).date() for o in batch.values()}
    # The month counters are locked first, always: a concurrent import of the
    # same orders then has committed or waits for us, so what we see as new is
    # new, and every writer takes its locks in the same order (counters, SKUs).
    last = numbering.lock("order", {period_of(d) for d in day_of.values()})
    _update_known(batch, result, user_id)
    if batch:
        _create(batch, day_of, last, now, source, user_id, result)
    return result


def _known_ids(keys) -> dict[tuple, int]:
    by_shop: dict[tuple, list[str]] = defaultdict(list)
    for platform, shop_id, poid in keys:
        by_shop[(platform, shop_id)].append(poid)
    conn = session.connection()
    found = {}
    for (platform, shop_id), poids in by_shop.items():
        rows = bulk.select_in(conn, "SELECT platform_order_id, id FROM orders WHERE platform = ? AND shop_id = ? "
                                    "AND platform_order_id", poids, (platform, shop_id))
        found.update({(platform, shop_id, poid): oid for poid, oid in rows})
    return found


def _update_known(batch: dict, result: IntakeResult, user_id: int | None) -> None:
    known = _known_ids(batch.keys())
    if not known:
        return
    ids = list(known.values())
    states = {}  # re-imports are mostly unchanged: decide on three columns, load only the newer orders
    for start in range(0, len(ids), _CHUNK):
        states.update({row.id: row for row in session.execute(
            select(Order.id, Order.status, Order.platform_modified_at).where(Order.id.in_(ids[start:start + _CHUNK])))})
    newer = [oid for key, oid in known.items() if is_newer(states[oid], batch[key])]
    orders = {}
    for start in range(0, len(newer), _CHUNK):
        orders.update({o.id: o for o in session.scalars(
            select(Order).where(Order.id.in_(newer[start:start + _CHUNK])).options(selectinload(Order.lines)))})
    for key, oid in known.items():
        incoming = batch.pop(key)
        if oid in orders and apply_newer(orders[oid], incoming, user_id):
            result.updated.append(oid)
        else:
            result.unchanged += 1
    session.flush()


def is_newer(order, incoming: IncomingOrder) -> bool:
    """``order``: anything with the order's status and platform_modified_at."""
    if incoming.platform_modified_at and order.platform_modified_at:
        return incoming.platform_modified_at > order.platform_modified_at
    return STATUS_RANK[incoming.status] > STATUS_RANK[order.status]


def apply_newer(order: Order, incoming: IncomingOrder, user_id: int | None) -> bool:
    """Bring a known order up to the platform's newer state; False if it is not newer."""
    if not is_newer(order, incoming):
        return False
    changes = []
    if incoming.status != order.status:
        changes.append(f"状态 {STATUS_NAMES[order.status]} → {STATUS_NAMES[incoming.status]}")
        if incoming.status in ("cancelled", "closed"):
            stock.release_order(order)
            if order.merge_group is not None and order.merge_group.status == "merged":
                operations.unmerge(order.merge_group, user_id)  # the others ship without it
        elif incoming.status in ("shipped", "completed"):
            stock.release_order(order, consume=True)
        order.status = incoming.status
    for attr, label in (("buyer_message", "买家留言"), ("seller_memo", "卖家备注")):
        if getattr(incoming, attr) is not None and getattr(incoming, attr) != getattr(order, attr):
            setattr(order, attr, getattr(incoming, attr))
            changes.append(f"{label}已更新")
    order.paid_at = incoming.paid_at or order.paid_at
    order.platform_status = incoming.platform_status or order.platform_status
    order.platform_modified_at = incoming.platform_modified_at or order.platform_modified_at
    session.add(OrderEvent(order=order, user_id=user_id, kind="platform_update",
                           message="平台订单更新：" + ("；".join(changes) or "无内容变化"),
                           data={"platform_status": incoming.platform_status}))
    return True


def _create(batch: dict, day_of: dict, last: dict[str, int], now: dt.datetime, source: str,
            user_id: int | None, result: IntakeResult) -> None:
    # The hot path of every large pull or import: plain loops and tuples, one
    # pass per table, values that repeat (days, notes, SKUs) worked out once.
    keys, new = list(batch), list(batch.values())
    skus = _skus({line.sku_code for o in new for line in o.lines})
    demands: list[dict | None] = []
    for o in new:
        demand: dict | None = {}
        reserving = o.status in RESERVING
        for line in o.lines:
            sku = skus.get(line.sku_code)
            if sku is None or not reserving:
                demand = None
                break
            demand[sku[0]] = demand.get(sku[0], 0) + line.quantity
        demands.append(demand)
    wanted = {s for d in demands if d for s in d}
    granted = stock.plan(demands, stock.lock_available(wanted))

    numbers = _numbers(keys, new, day_of, last, now)
    reserved: dict[int, int] = {}
    source_name = SOURCE_NAMES.get(source, source)
    conn = session.connection()
    stamp = bulk.time_param(conn)  # rows are built in the driver's form: no second pass over them
    now_param = stamp(now)
    order_rows, notes = [], []
    for key, o, demand, ok in zip(keys, new, demands, granted):
        receiver = o.receiver
        address = parse(receiver.full_address())
        weight = 0
        for line in o.lines:
            sku = skus.get(line.sku_code)
            if sku is not None and sku[2]:
                weight += sku[2] * line.quantity
        if ok:
            for sku_id, quantity in demand.items():
                reserved[sku_id] = reserved.get(sku_id, 0) + quantity
        goods = sum(line.price_fen * line.quantity for line in o.lines) if o.goods_fen is None else o.goods_fen
        paid = goods + o.freight_fen - o.discount_fen if o.paid_fen is None else o.paid_fen
        stock_status = "in_stock" if ok else ("short" if demand is not None else "unknown")
        ordered_at = stamp(o.ordered_at or now)
        name, phone, detail = receiver.name.strip(), receiver.phone.strip(), address.detail or None
        number = numbers[key]
        order_rows.append((
            number, o.platform, o.shop_id, o.platform_order_id, o.buyer_id, name,
            phone, address.province, address.city, address.district, detail,
            receiver.address.strip(), address.region_code, address.problem, goods, o.freight_fen,
            o.discount_fen, paid, o.status, ok, stock_status, o.buyer_message, o.seller_memo, o.cash_on_delivery,
            False, ordered_at, stamp(o.paid_at) if o.paid_at or o.status == "pending" else ordered_at,
            o.platform_status, stamp(o.platform_modified_at), source, weight, False, now_param, now_param,
            receiver_key(name, phone, address.region_code, detail)))
        notes.append(f"订单由{source_name}建立，编号 {number}；{_STOCK_NOTES[stock_status]}"
                     + ("；地址需人工核对" if address.problem else ""))
    bulk.insert_rows(conn, Order.__table__, _ORDER_COLUMNS, order_rows, converted=True)
    ids = _ids_of([row[0] for row in order_rows])
    line_rows, event_rows = [], []
    plain = bulk.json_text({"source": source})  # the many orders without extras: encoded once
    for oid, o, note in zip(ids, new, notes):
        for line in o.lines:
            sku = skus.get(line.sku_code)
            line_rows.append((oid, sku[0] if sku else None, line.sku_code,
                              (line.title or (sku[1] if sku else line.sku_code))[:128], line.quantity,
                              line.price_fen, line.flash_sale))
        event_rows.append((oid, now_param, user_id, "created", note,
                           bulk.json_text({"source": source, **o.extra}) if o.extra else plain))
    bulk.insert_rows(conn, OrderLine.__table__, _LINE_COLUMNS, line_rows, converted=True)
    bulk.insert_rows(conn, OrderEvent.__table__, _EVENT_COLUMNS, event_rows, converted=True)
    stock.add_reserved(reserved)
    numbering.advance("order", last)
    result.created.extend(ids)


def _numbers(keys: list, new: list[IncomingOrder], day_of: dict, last: dict[str, int],
             now: dt.datetime) -> dict[tuple, str]:
    """The next numbers of each month, handed out in order time; ``last`` is advanced."""
    pattern = settings.get("order_number_pattern")
    days: dict[dt.date, tuple] = {}  # day -> (period, its formatter)
    numbers = {}
    for key, o in sorted(zip(keys, new), key=lambda ko: ko[1].ordered_at or now):
        day = day_of[key]
        if day not in days:
            days[day] = (period_of(day), number_formatter(pattern, day))
        period, formatted = days[day]
        last[period] += 1
        numbers[key] = formatted(last[period])
    return numbers


_STOCK_NOTES = {"in_stock": "库存充足，已锁定库存", "short": "缺货", "unknown": "未锁定库存"}
_ORDER_COLUMNS = (
    "number", "platform", "shop_id", "platform_order_id", "buyer_id", "receiver_name", "receiver_phone", "province",
    "city", "district", "address_detail", "address_raw", "region_code", "address_problem", "goods_fen",
    "freight_fen", "discount_fen", "paid_fen", "status", "stock_reserved", "stock_status", "buyer_message",
    "seller_memo", "cash_on_delivery", "on_hold", "ordered_at", "paid_at", "platform_status",
    "platform_modified_at", "source", "weight_g", "merge_excluded", "created_at", "updated_at", "merge_key")
_LINE_COLUMNS = ("order_id", "sku_id", "sku_code", "title", "quantity", "price_fen", "flash_sale")
_EVENT_COLUMNS = ("order_id", "at", "user_id", "kind", "message", "data")


def _ids_of(numbers: list[str]) -> list[int]:
    found = dict(bulk.select_in(session.connection(), "SELECT number, id FROM orders WHERE number", numbers))
    return [found[n] for n in numbers]


def _skus(codes: set[str]) -> dict[str, tuple[int, str, int | None]]:
    """SKU code -> (id, display title, weight in grams)."""
    found = {}
    codes_list = sorted(codes)
    for start in range(0, len(codes_list), _CHUNK):
        rows = session.execute(select(Sku.code, Sku.id, Product.name, Sku.color, Product.weight_g)
                               .join(Product, Sku.product_id == Product.id)
                               .where(Sku.code.in_(codes_list[start:start + _CHUNK])))
        found.update({code: (sid, f"{name} {color}", weight) for code, sid, name, color, weight in rows})
    return found

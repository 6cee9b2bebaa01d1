"""Building routing inputs (Parcel) from an address text or from orders."""
from __future__ import annotations

import datetime as dt
from typing import Iterable, Mapping

from sqlalchemy import func, select

from backoffice.addresses.parser import ParsedAddress, parse_address
from backoffice.catalog.models import Product, Sku
from backoffice.db import local_date, session
from backoffice.orders.models import Order
from backoffice.shipping.routing import Parcel
from backoffice.timeutil import to_local


def place_of(parsed: ParsedAddress) -> str:
    names = [parsed.province, parsed.city if parsed.city != parsed.province else None, parsed.district]
    return "".join(n for n in names if n)


def parcel_from_address(parsed: ParsedAddress, *, items: int = 1, weight_g: int = 800, amount_fen: int = 0,
                        flash_sale: bool = False, requested: str | None = None,
                        tags: Iterable[str] = ()) -> Parcel:
    return Parcel(parsed.province_code, parsed.city_code, parsed.district_code, place_of(parsed), items,
                  weight_g, amount_fen, flash_sale, requested, frozenset(tags))


def requested_courier(texts: Iterable[str | None], names: Mapping[str, str]) -> str | None:
    """The courier a buyer's message or the seller's memo names (备注快递), if exactly one."""
    text = " ".join(t for t in texts if t)
    found = {code for code, name in names.items() if name and name in text}
    return found.pop() if len(found) == 1 else None


def day_totals(orders: list[Order]) -> dict[tuple[str | None, int, dt.date], int]:
    """What each buyer paid in each shop on each Shanghai day: one query for the batch."""
    keys = {(o.buyer_id, o.shop_id, to_local(o.ordered_at).date()) for o in orders if o.buyer_id}
    if not keys:
        return {}
    day = local_date(Order.ordered_at)
    rows = session.execute(
        select(Order.buyer_id, Order.shop_id, day, func.sum(Order.paid_fen))
        .where(Order.buyer_id.in_({k[0] for k in keys}), Order.status.notin_(("cancelled", "closed")))
        .group_by(Order.buyer_id, Order.shop_id, day)).all()
    totals = {}
    for buyer, shop, date, total in rows:
        date = date if isinstance(date, dt.date) else dt.date.fromisoformat(str(date))
        totals[(buyer, shop, date)] = int(total or 0)
    return totals


def parcels_for_orders(orders: list[Order], names: Mapping[str, str], default_item_weight_g: int) -> dict[int, Parcel]:
    """Parcels for orders whose lines are loaded; SKUs' weights and product tags in one query."""
    sku_ids = {line.sku_id for o in orders for line in o.lines if line.sku_id}
    skus: dict[int, tuple[int | None, list[str]]] = {}
    if sku_ids:
        skus = {sid: (weight, tags or []) for sid, weight, tags in session.execute(
            select(Sku.id, Product.weight_g, Product.tags).join(Product).where(Sku.id.in_(sku_ids)))}
    totals = day_totals(orders)
    parcels = {}
    for o in orders:
        parsed = parse_address(o.address_raw)
        if not parsed.resolved and parsed.province_code is None:
            parsed = parse_address(f"{o.province or ''}{o.city or ''}{o.district or ''}{o.address_detail or ''}")
        weight, tags = 0, set()
        for line in o.lines:
            w, product_tags = skus.get(line.sku_id, (None, ()))
            weight += (w or default_item_weight_g) * line.quantity
            tags.update(product_tags)
        amount = totals.get((o.buyer_id, o.shop_id, to_local(o.ordered_at).date()), o.paid_fen)
        parcels[o.id] = parcel_from_address(
            parsed, items=o.item_count, weight_g=weight, amount_fen=amount,
            flash_sale=any(line.flash_sale for line in o.lines),
            requested=requested_courier((o.buyer_message, o.seller_memo), names), tags=tags)
    return parcels


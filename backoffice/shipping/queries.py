"""Read-only loading of what the shipping pages and documents show, in few queries."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from backoffice.catalog.models import Sku
from backoffice.db import session
from backoffice.orders.models import Order
from backoffice.shipping.documents import Slip, SlipLine
from backoffice.shipping.models import WaveOrder
from backoffice.shipping.rulesets import courier_names


def wave_orders(wave_id: int) -> list[Order]:
    return list(session.scalars(
        select(Order).join(WaveOrder, WaveOrder.order_id == Order.id).where(WaveOrder.wave_id == wave_id)
        .order_by(WaveOrder.position).options(selectinload(Order.lines), selectinload(Order.shop))))


def slips_for(orders: list[Order]) -> list[Slip]:
    names = courier_names(active_only=False)
    sku_ids = {line.sku_id for o in orders for line in o.lines if line.sku_id}
    skus = {}
    if sku_ids:
        skus = {sid: (color, location) for sid, color, location in session.execute(
            select(Sku.id, Sku.color, Sku.location).where(Sku.id.in_(sku_ids)))}
    slips = []
    for o in orders:
        address = "".join(p for p in (o.province, o.city if o.city != o.province else None, o.district,
                                      o.address_detail) if p) or o.address_raw
        lines = tuple(SlipLine(line.sku_code, line.title, *(skus.get(line.sku_id) or ("", "")), line.quantity)
                      for line in o.lines)
        slips.append(Slip(o.number, o.platform_order_id, o.shop.name, names.get(o.courier_code, ""),
                          o.tracking_number or "", o.receiver_name, o.receiver_phone, address,
                          o.seller_memo or "", tuple(SlipLine(sl.sku_code, sl.title, sl.color or "",
                                                              sl.location or "", sl.quantity) for sl in lines),
                          " ".join(p for p in (o.province, o.city if o.city != o.province else None, o.district)
                                   if p)))
    return slips

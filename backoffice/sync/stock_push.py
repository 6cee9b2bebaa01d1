"""Stock levels for the platforms: what each shop sells, as available now.

A push is one outbox message per shop holding every listed SKU's available
quantity (absolute, so a repeat is harmless); nothing is queued when the
levels are the same as in the shop's last push."""
from __future__ import annotations

from sqlalchemy import select

from backoffice import outbox
from backoffice.catalog.models import Listing, Sku
from backoffice.db import session
from backoffice.outbox import OutboxMessage
from backoffice.shops.models import Shop
from backoffice.timeutil import utcnow
from integrations.base import StockLevel, supports


def stock_shops() -> list[int]:
    """Connected shops whose platform takes stock levels through its API."""
    shops = session.execute(select(Shop.id, Shop.platform).where(
        Shop.active.is_(True), Shop.auth_status == "ok", Shop.credentials_encrypted.is_not(None)))
    return [shop_id for shop_id, platform in shops if supports(platform, "push_stock")]


def levels_for(shop_id: int) -> list[list]:
    """[sku code, available] for every SKU of the products published in the shop."""
    rows = session.execute(
        select(Sku.code, Sku.on_hand - Sku.reserved)
        .join(Listing, Listing.product_id == Sku.product_id)
        .where(Listing.shop_id == shop_id, Listing.status == "published").order_by(Sku.code))
    return [[code, max(0, available)] for code, available in rows]


def queue_stock(shop_id: int) -> int:
    """Queue the shop's levels when they changed since its last push; returns how many."""
    levels = levels_for(shop_id)
    last = session.scalar(select(OutboxMessage.payload).where(
        OutboxMessage.shop_id == shop_id, OutboxMessage.kind == "stock").order_by(OutboxMessage.id.desc()).limit(1))
    if not levels or (last and last["levels"] == levels):
        return 0
    outbox.enqueue(shop_id, "stock", f"stock:{shop_id}:{utcnow().isoformat()}", {"levels": levels})
    return len(levels)


@outbox.handles("stock")
def deliver_stock(payload: dict, adapter) -> None:
    adapter.push_stock([StockLevel(sku, quantity) for sku, quantity in payload["levels"]])

"""What every order source hands to the intake operation.

Plain dataclasses with no database or Flask in them: platform adapters (sync),
the manual order form and the spreadsheet import all build these and call
``backoffice.orders.intake.intake``. Money is integer fen, times are
timezone-aware (UTC or any offset).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class IncomingReceiver:
    """Who the parcel goes to. Give ``address`` as the full text the platform
    or person wrote; when the platform sends the parts separately, also give
    ``province``/``city``/``district`` (they are joined in front of the text
    for parsing, so either form resolves to official codes)."""

    name: str
    phone: str
    address: str
    province: str | None = None
    city: str | None = None
    district: str | None = None

    def full_address(self) -> str:
        text = self.address.strip()
        if not (self.province or self.city or self.district):
            return text
        parts = [p for p in (self.province, self.city, self.district) if p]
        prefix = "".join(p for p in parts if p not in text)
        return prefix + text


@dataclass(frozen=True)
class IncomingLine:
    sku_code: str  # our SKU code (商家编码) as set on the platform
    quantity: int
    price_fen: int  # unit price actually charged
    title: str = ""  # the platform's title; our product name is used when empty
    flash_sale: bool = False  # livestream flash-sale item (秒杀)


@dataclass(frozen=True)
class IncomingOrder:
    """One platform order. (platform, shop_id, platform_order_id) identifies it:
    importing it again changes nothing unless the platform's state is newer."""

    platform: str  # taobao mogujie pinduoduo douyin live manual
    shop_id: int
    platform_order_id: str
    receiver: IncomingReceiver
    lines: list[IncomingLine]
    status: str = "paid"  # one of orders.models.ORDER_STATUSES, mapped by the adapter
    buyer_id: str | None = None  # platform account / nickname
    goods_fen: int | None = None  # None: the sum of the lines
    freight_fen: int = 0
    discount_fen: int = 0
    paid_fen: int | None = None  # None: goods + freight - discount
    ordered_at: dt.datetime | None = None  # None: now
    paid_at: dt.datetime | None = None
    platform_status: str | None = None  # the platform's own status word, kept for people
    platform_modified_at: dt.datetime | None = None  # newer state wins on re-import
    buyer_message: str | None = None
    seller_memo: str | None = None
    cash_on_delivery: bool = False
    extra: dict = field(default_factory=dict)  # anything the source wants on the timeline

    @property
    def key(self) -> tuple[str, int, str]:
        return (self.platform, self.shop_id, self.platform_order_id)

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backoffice.db import Base
from backoffice.timeutil import utcnow

# pending: awaiting payment; paid: to ship; shipped: handed to the courier;
# completed: buyer confirmed; cancelled / closed: will never ship.
ORDER_STATUSES = ("pending", "paid", "shipped", "completed", "cancelled", "closed")
OPEN_STATUSES = ("paid",)


class Order(Base):
    __tablename__ = "orders"
    __table_args__ = (
        UniqueConstraint("platform", "shop_id", "platform_order_id"),
        CheckConstraint("status IN ('pending', 'paid', 'shipped', 'completed', 'cancelled', 'closed')",
                        name="status_known"),
        CheckConstraint("stock_status IN ('unknown', 'in_stock', 'short')", name="stock_status_known"),
        Index("ix_orders_status_id", "status", "id"),  # keyset pages of one status
        Index("ix_orders_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)  # internal: 202611-000123
    platform: Mapped[str] = mapped_column(String(16))
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"))
    platform_order_id: Mapped[str] = mapped_column(String(64))
    buyer_id: Mapped[str | None] = mapped_column(String(64), index=True)  # platform account / nickname
    receiver_name: Mapped[str] = mapped_column(String(64))
    receiver_phone: Mapped[str] = mapped_column(String(32), index=True)
    province: Mapped[str | None] = mapped_column(String(32))
    city: Mapped[str | None] = mapped_column(String(32))
    district: Mapped[str | None] = mapped_column(String(32))
    address_detail: Mapped[str | None] = mapped_column(String(255))
    address_raw: Mapped[str] = mapped_column(String(400))  # as the platform or person wrote it
    region_code: Mapped[str | None] = mapped_column(String(12))  # official district code
    goods_fen: Mapped[int] = mapped_column(default=0)
    freight_fen: Mapped[int] = mapped_column(default=0)
    discount_fen: Mapped[int] = mapped_column(default=0)
    paid_fen: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(String(16), default="paid")
    stock_status: Mapped[str] = mapped_column(String(16), default="unknown")
    buyer_message: Mapped[str | None] = mapped_column(Text)
    seller_memo: Mapped[str | None] = mapped_column(Text)
    on_hold: Mapped[bool] = mapped_column(default=False)
    cash_on_delivery: Mapped[bool] = mapped_column(default=False)
    courier_code: Mapped[str | None] = mapped_column(ForeignKey("couriers.code"))
    tracking_number: Mapped[str | None] = mapped_column(String(40), index=True)
    waybill_printed_at: Mapped[dt.datetime | None]
    ordered_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    paid_at: Mapped[dt.datetime | None]
    shipped_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    lines: Mapped[list["OrderLine"]] = relationship(back_populates="order", order_by="OrderLine.id")
    events: Mapped[list["OrderEvent"]] = relationship(back_populates="order", order_by="OrderEvent.at")
    shop: Mapped["Shop"] = relationship()  # noqa: F821 (sync.models)

    @property
    def item_count(self) -> int:
        return sum(line.quantity for line in self.lines)


class OrderLine(Base):
    __tablename__ = "order_lines"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    sku_id: Mapped[int | None] = mapped_column(ForeignKey("skus.id"), index=True)
    sku_code: Mapped[str] = mapped_column(String(128))  # as the platform sent it
    title: Mapped[str] = mapped_column(String(128))
    quantity: Mapped[int]
    price_fen: Mapped[int]
    flash_sale: Mapped[bool] = mapped_column(default=False)

    order: Mapped[Order] = relationship(back_populates="lines")


class OrderEvent(Base):
    """The order's timeline: who changed what, when."""

    __tablename__ = "order_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(32))
    message: Mapped[str] = mapped_column(Text)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)

    order: Mapped[Order] = relationship(back_populates="events")

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backoffice.db import Base
from backoffice.timeutil import utcnow

PRODUCT_KINDS = ("normal", "streamer", "flash", "unique")
LISTING_STATUSES = ("draft", "ready", "published", "archived")


class Supplier(Base):
    __tablename__ = "suppliers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    pinyin_code: Mapped[str] = mapped_column(String(64))
    # A safe expression over named inputs (cost, weight ...); None = not configured.
    price_formula: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Product(Base):
    __tablename__ = "products"
    __table_args__ = (
        CheckConstraint("kind IN ('normal', 'streamer', 'flash', 'unique')", name="kind_known"),
        UniqueConstraint("supplier_id", "model", "kind", "streamer_name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"), index=True)
    model: Mapped[str] = mapped_column(String(64))  # as written in the supplier's folder
    kind: Mapped[str] = mapped_column(String(16), default="normal")
    streamer_name: Mapped[str | None] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(128))
    listing_code: Mapped[str] = mapped_column(String(96), unique=True)
    cost_fen: Mapped[int]
    length_cm: Mapped[Decimal | None] = mapped_column(Numeric(6, 1))
    width_cm: Mapped[Decimal | None] = mapped_column(Numeric(6, 1))
    height_cm: Mapped[Decimal | None] = mapped_column(Numeric(6, 1))
    weight_g: Mapped[int | None]
    material: Mapped[str | None] = mapped_column(String(32))
    shape: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    supplier: Mapped[Supplier] = relationship()
    skus: Mapped[list["Sku"]] = relationship(back_populates="product", order_by="Sku.id")


class Sku(Base):
    __tablename__ = "skus"
    __table_args__ = (
        CheckConstraint("on_hand >= 0", name="on_hand_not_negative"),
        CheckConstraint("reserved >= 0", name="reserved_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    code: Mapped[str] = mapped_column(String(128), unique=True)
    color: Mapped[str] = mapped_column(String(32))
    size: Mapped[str | None] = mapped_column(String(16))
    price_fen: Mapped[int]
    on_hand: Mapped[int] = mapped_column(default=0)
    reserved: Mapped[int] = mapped_column(default=0)
    location: Mapped[str | None] = mapped_column(String(32))  # warehouse shelf, e.g. A-03-2

    product: Mapped[Product] = relationship(back_populates="skus")

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


class Listing(Base):
    """A product as offered on one platform store: a draft until published."""

    __tablename__ = "listings"
    __table_args__ = (
        UniqueConstraint("product_id", "shop_id"),
        CheckConstraint("status IN ('draft', 'ready', 'published', 'archived')", name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"), index=True)
    title: Mapped[str] = mapped_column(String(128))
    description: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    platform_item_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    product: Mapped[Product] = relationship()
    shop: Mapped["Shop"] = relationship()  # noqa: F821 (sync.models)

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backoffice.db import Base
from backoffice.timeutil import utcnow

PRODUCT_KINDS = ("normal", "streamer", "flash", "unique")
# publishing: handed to the outbox, waiting for the platform's item id
LISTING_STATUSES = ("draft", "ready", "publishing", "published", "archived")


class Supplier(Base):
    __tablename__ = "suppliers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    pinyin_code: Mapped[str] = mapped_column(String(64))
    # A safe expression over named inputs (cost, weight ...); None = not configured.
    price_formula: Mapped[str | None] = mapped_column(String(255))
    # Rounding policy of the formula's result: a step in fen (1 = to the fen) and a mode.
    rounding_step_fen: Mapped[int] = mapped_column(default=1)
    rounding_mode: Mapped[str] = mapped_column(String(16), default="half_up")
    # Letters that start this supplier's flash-sale folders, e.g. RST for 睿思特 ("RST182 小方包").
    flash_prefix: Mapped[str | None] = mapped_column(String(16))
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
    structure: Mapped[str | None] = mapped_column(String(64))
    elements: Mapped[list[Any]] = mapped_column(default=list)
    bag_types: Mapped[list[Any]] = mapped_column(default=list)
    size_class: Mapped[str | None] = mapped_column(String(16))
    # handling tags courier rules can test (易碎, 超大, 液体 ...), see shipping.routing
    tags: Mapped[list[Any]] = mapped_column(default=list)
    # The flash-sale or unique-item number in the codes (miaosha-<n>, 888888-<n>).
    number: Mapped[int | None]
    source_folder: Mapped[str | None] = mapped_column(String(255))  # the supplier folder's name
    # The store whose price formula priced the SKUs (None: the supplier's formula); a new cost is priced alike.
    priced_for: Mapped[str | None] = mapped_column(String(64))
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

    image_path: Mapped[str | None] = mapped_column(String(255))  # under the media folder

    product: Mapped[Product] = relationship(back_populates="skus")

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


class Listing(Base):
    """A product as offered on one platform store: a draft until published."""

    __tablename__ = "listings"
    __table_args__ = (
        UniqueConstraint("product_id", "shop_id"),
        CheckConstraint("status IN ('draft', 'ready', 'publishing', 'published', 'archived')", name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"), index=True)
    title: Mapped[str] = mapped_column(String(128))
    description: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    platform_item_id: Mapped[str | None] = mapped_column(String(64))
    # Generated images in order, paths under the media folder: {"main": [...], "sku": {colour: path},
    # "detail": [...]} (Mogujie's covers are its "main").
    images: Mapped[dict[str, Any]] = mapped_column(default=dict)
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)  # SPEC §1.6, from PlatformRule
    detail_html: Mapped[str | None] = mapped_column(Text)
    # When listing staff last saved the draft by hand; batch regeneration keeps such drafts unless told otherwise.
    edited_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    product: Mapped[Product] = relationship()
    shop: Mapped["Shop"] = relationship()  # noqa: F821 (sync.models)


class ProductImage(Base):
    """A source photo of a product, copied from the supplier folder, with what analysis found."""

    __tablename__ = "product_images"
    __table_args__ = (UniqueConstraint("product_id", "path"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    path: Mapped[str] = mapped_column(String(255))  # under the media folder
    original_name: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))  # see catalog.folders.ROLES
    color: Mapped[str | None] = mapped_column(String(32))
    width: Mapped[int]
    height: Mapped[int]
    dhash: Mapped[str] = mapped_column(String(16))  # 64-bit difference hash, hex
    white_background: Mapped[bool] = mapped_column(default=False)

    product: Mapped[Product] = relationship()


class StorePriceFormula(Base):
    """A store's own price formula (SPEC §1.2: 娜好呀 sells at cost + 15): it overrides the supplier's
    formula for products imported for that store."""

    __tablename__ = "store_price_formulas"
    __table_args__ = (UniqueConstraint("platform", "store"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    store: Mapped[str] = mapped_column(String(64))  # the shop's name, e.g. 娜好呀
    formula: Mapped[str] = mapped_column(String(255))
    rounding_step_fen: Mapped[int] = mapped_column(default=1)
    rounding_mode: Mapped[str] = mapped_column(String(16), default="half_up")


class PinyinOverride(Base):
    """Staff-edited pinyin for words pypinyin gets wrong (polyphones): 藏青色 -> cang qing se."""

    __tablename__ = "pinyin_overrides"

    id: Mapped[int] = mapped_column(primary_key=True)
    word: Mapped[str] = mapped_column(String(32), unique=True)
    pinyin: Mapped[str] = mapped_column(String(128))  # syllables separated by spaces


class VocabularyWord(Base):
    """One word of an editable list: attribute vocabularies (shape, material, element, bag_type)
    and the title word lists (title_main, title_core, title_modifier)."""

    __tablename__ = "vocabulary_words"
    __table_args__ = (UniqueConstraint("list_name", "word"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    list_name: Mapped[str] = mapped_column(String(32), index=True)
    word: Mapped[str] = mapped_column(String(32))
    position: Mapped[int] = mapped_column(default=0)
    # Title words only: attribute values that call for this word (empty = fits every product).
    matches: Mapped[list[Any]] = mapped_column(default=list)


class SizeClass(Base):
    """Size class from the bag's longest side (SPEC §1.3): the first class whose bound exceeds it."""

    __tablename__ = "size_classes"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(16), unique=True)
    below_cm: Mapped[Decimal | None] = mapped_column(Numeric(6, 1))  # None: no upper bound


class PlatformRule(Base):
    """What a platform's listing needs: title limit, image sizes and counts, settings (SPEC §1.4-1.6)."""

    __tablename__ = "platform_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16), unique=True)
    title_limit: Mapped[int]
    cjk_weight: Mapped[int] = mapped_column(default=2)  # how much one Chinese character counts
    image_width: Mapped[int]
    image_height: Mapped[int]
    main_min: Mapped[int]
    main_max: Mapped[int]
    max_image_kb: Mapped[int]
    fit: Mapped[str] = mapped_column(String(8), default="pad")  # crop / pad to the exact size
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)


class ListingTemplate(Base):
    """A staff override of one file of listing_templates/ (e.g. taobao/title.txt)."""

    __tablename__ = "listing_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    source: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

from __future__ import annotations

import datetime as dt
from typing import Any, Callable

from sqlalchemy import CheckConstraint, ForeignKey, Index, Select, String, Text, UniqueConstraint, event, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backoffice.accounts import audit_display
from backoffice.db import Base, JSONType
from backoffice.timeutil import utcnow

# pending: awaiting payment; paid: to ship; shipped: handed to the courier;
# completed: buyer confirmed; cancelled / closed: will never ship.
ORDER_STATUSES = ("pending", "paid", "shipped", "completed", "cancelled", "closed")
OPEN_STATUSES = ("paid",)
# Where an order came from (the intake operation is the same for all).
ORDER_SOURCES = ("sync", "manual", "file", "demo")
MERGE_GROUP_STATUSES = ("proposed", "merged", "rejected", "undone")


class Order(Base):
    __tablename__ = "orders"
    __table_args__ = (
        UniqueConstraint("platform", "shop_id", "platform_order_id"),
        CheckConstraint("status IN ('pending', 'paid', 'shipped', 'completed', 'cancelled', 'closed')",
                        name="status_known"),
        CheckConstraint("stock_status IN ('unknown', 'in_stock', 'short')", name="stock_status_known"),
        Index("ix_orders_status_id", "status", "id"),  # keyset pages of one status
        Index("ix_orders_platform_id", "platform", "id"),
        Index("ix_orders_shop_id_id", "shop_id", "id"),
        Index("ix_orders_ordered_at", "ordered_at"),
        # The list's rare flags: partial indexes in id order, so a flag's newest
        # page is read straight off a small index. The list filters (views.FLAGS)
        # repeat these conditions word for word, which SQLite needs to use them.
        Index("ix_orders_short_id", "id", sqlite_where=text("stock_status = 'short'"),
              postgresql_where=text("stock_status = 'short'")),
        Index("ix_orders_message_id", "id", sqlite_where=text("buyer_message IS NOT NULL"),
              postgresql_where=text("buyer_message IS NOT NULL")),
        Index("ix_orders_address_problem_id", "id", sqlite_where=text("address_problem IS NOT NULL"),
              postgresql_where=text("address_problem IS NOT NULL")),
        Index("ix_orders_on_hold_id", "id", sqlite_where=text("on_hold = 1"), postgresql_where=text("on_hold")),
        Index("ix_orders_merged_id", "id", sqlite_where=text("merge_group_id IS NOT NULL"),
              postgresql_where=text("merge_group_id IS NOT NULL")),
        Index("ix_orders_merge_group_id", "merge_group_id", sqlite_where=text("merge_group_id IS NOT NULL"),
              postgresql_where=text("merge_group_id IS NOT NULL")),
        # Open orders by receiver: merge detection reads only receivers with two or more.
        Index("ix_orders_open_merge_key", "merge_key",
              sqlite_where=text("status IN ('pending', 'paid') AND merge_key IS NOT NULL"),
              postgresql_where=text("status IN ('pending', 'paid') AND merge_key IS NOT NULL")),
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
    source: Mapped[str] = mapped_column(String(16), default="sync", server_default="sync")
    platform_status: Mapped[str | None] = mapped_column(String(32))  # the platform's own word, as sent
    platform_modified_at: Mapped[dt.datetime | None]  # orders a newer platform state after an older one
    address_problem: Mapped[str | None] = mapped_column(String(16))  # addresses.parser PROBLEMS key: a person checks
    stock_reserved: Mapped[bool] = mapped_column(default=False, server_default=false())
    restock_date: Mapped[dt.date | None]
    # Production/batch number (SPEC §2, 26HYL001) of the restock asked of
    # purchasing for this short order, numbered by the month the goods are due.
    restock_number: Mapped[str | None] = mapped_column(String(16))
    weight_g: Mapped[int] = mapped_column(default=0, server_default="0")
    merge_group_id: Mapped[int | None] = mapped_column(ForeignKey("merge_groups.id"))
    merge_excluded: Mapped[bool] = mapped_column(default=False, server_default=false())  # 不合并, set by a person
    merge_key: Mapped[str | None] = mapped_column(String(24))  # merge.receiver_key(); kept up to date below

    lines: Mapped[list["OrderLine"]] = relationship(back_populates="order", order_by="OrderLine.id")
    events: Mapped[list["OrderEvent"]] = relationship(back_populates="order", order_by="OrderEvent.at")
    shop: Mapped["Shop"] = relationship()  # noqa: F821 (sync.models)
    merge_group: Mapped["MergeGroup | None"] = relationship(back_populates="orders")

    @property
    def item_count(self) -> int:
        return sum(line.quantity for line in self.lines)


@event.listens_for(Order, "before_insert")
@event.listens_for(Order, "before_update")
def _keep_merge_key(_mapper, _connection, order: Order) -> None:
    from backoffice.orders.merge import receiver_key

    order.merge_key = receiver_key(order.receiver_name, order.receiver_phone, order.region_code, order.address_detail)


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


class MergeGroup(Base):
    """Open orders shipped together (合单). Every platform order stays a row of
    its own; the group holds the sums. Proposals list their orders in
    ``order_ids``; a merged group is also linked from each order."""

    __tablename__ = "merge_groups"
    __table_args__ = (
        CheckConstraint("status IN ('proposed', 'merged', 'rejected', 'undone')", name="status_known"),
        Index("ix_merge_groups_status_id", "status", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String(16), default="proposed")
    mode: Mapped[str] = mapped_column(String(16))
    order_ids: Mapped[list[Any]] = mapped_column(default=list)
    reasons: Mapped[list[Any]] = mapped_column(default=list)  # rule codes that matched
    goods_fen: Mapped[int] = mapped_column(default=0)
    paid_fen: Mapped[int] = mapped_column(default=0)
    weight_g: Mapped[int] = mapped_column(default=0)
    item_count: Mapped[int] = mapped_column(default=0)
    memo: Mapped[str | None] = mapped_column(Text)
    under_minimum: Mapped[bool] = mapped_column(default=False)  # the buyer is to be messaged
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[dt.datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    orders: Mapped[list[Order]] = relationship(back_populates="merge_group", order_by="Order.id")


class PriceChange(Base):
    """A livestream price change (改价) on a flash-sale line: who asked, who approved."""

    __tablename__ = "price_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_line_id: Mapped[int] = mapped_column(ForeignKey("order_lines.id", ondelete="CASCADE"), index=True)
    old_price_fen: Mapped[int]
    new_price_fen: Mapped[int]
    asked_by: Mapped[str] = mapped_column(String(64))  # the buyer or streamer who asked
    approved_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str | None] = mapped_column(String(255))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    approved_by: Mapped["User"] = relationship()  # noqa: F821 (accounts.models)


class NumberSequence(Base):
    """The last number handed out per kind and month; updated under a row lock
    in the same transaction as the rows it numbers, so numbers have no gaps."""

    __tablename__ = "number_sequences"

    name: Mapped[str] = mapped_column(String(16), primary_key=True)  # order / batch
    period: Mapped[str] = mapped_column(String(8), primary_key=True)  # 202611
    last_value: Mapped[int] = mapped_column(default=0)


class OrderSetting(Base):
    """Editable order rules: number patterns, merge rules, minimum amount,
    buyer message templates (seeded by the migration)."""

    __tablename__ = "order_settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[Any] = mapped_column(JSONType)
    description: Mapped[str] = mapped_column(String(255), default="")


# Which orders have an open refund or return is after-sales' knowledge: it
# registers the query here (backoffice.aftersales.models), so orders never
# imports after-sales. Merging and holds must not run without it.
_OPEN_REFUND_ORDER_IDS: list[Callable[[], Select]] = []


def provide_open_refund_order_ids(query: Callable[[], Select]) -> None:
    _OPEN_REFUND_ORDER_IDS[:] = [query]


def open_refund_order_ids() -> Select:
    """A select of the ids of the orders with an open refund-only or return request."""
    if not _OPEN_REFUND_ORDER_IDS:
        raise RuntimeError("no provider of open refunds registered: import backoffice.models first")
    return _OPEN_REFUND_ORDER_IDS[0]()


def _order_number(ident: int) -> str | None:
    from backoffice.db import session

    order = session.get(Order, ident)
    return order.number if order else None


audit_display.NAME_LOOKUPS["order"] = _order_number  # audit entries written before names were kept

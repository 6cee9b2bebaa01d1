from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backoffice.db import Base
from backoffice.orders.models import provide_open_refund_order_ids
from backoffice.timeutil import utcnow

REFUND_KINDS = ("refund_only", "return")
# pending: waiting for our decision; awaiting_return: return agreed, parcel not
# yet received; received: parcel in, to inspect; then refunded / refused / closed.
REFUND_STATUSES = ("pending", "awaiting_return", "received", "refunded", "refused", "closed")
OPEN_RETURN_STATUSES = ("pending", "awaiting_return", "received")
INTERCEPT_STATUSES = ("open", "pulled", "left")


class RefundRequest(Base):
    __tablename__ = "refund_requests"
    __table_args__ = (
        UniqueConstraint("order_id", "platform_refund_id"),
        CheckConstraint("kind IN ('refund_only', 'return')", name="kind_known"),
        CheckConstraint(
            "status IN ('pending', 'awaiting_return', 'received', 'refunded', 'refused', 'closed')",
            name="status_known",
        ),
        Index("ix_refund_requests_kind_status", "kind", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    platform_refund_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="pending")
    amount_fen: Mapped[int]
    reason: Mapped[str | None] = mapped_column(String(64))
    return_tracking_number: Mapped[str | None] = mapped_column(String(40), index=True)
    note: Mapped[str | None] = mapped_column(Text)
    requested_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[dt.datetime | None]
    platform_status: Mapped[str | None] = mapped_column(String(32))  # as the platform last reported it
    freight_insurance: Mapped[bool] = mapped_column(default=False)

    order: Mapped["Order"] = relationship()  # noqa: F821 (orders.models)
    intercepts: Mapped[list["InterceptTask"]] = relationship(back_populates="refund_request",
                                                             order_by="InterceptTask.id")


class InterceptTask(Base):
    """A request to the warehouse to find and pull a parcel before it leaves (拦截)."""

    __tablename__ = "intercept_tasks"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'pulled', 'left')", name="status_known"),
        Index("ix_intercept_tasks_status_id", "status", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    refund_request_id: Mapped[int] = mapped_column(ForeignKey("refund_requests.id"), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    status: Mapped[str] = mapped_column(String(8), default="open")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    answered_at: Mapped[dt.datetime | None]
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    refund_request: Mapped[RefundRequest] = relationship(back_populates="intercepts")
    order: Mapped["Order"] = relationship()  # noqa: F821


class ReturnReason(Base):
    """Return reasons as the platforms name them; those counting against the
    shop get the "please change the reason" reply."""

    __tablename__ = "return_reasons"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    counts_against_shop: Mapped[bool] = mapped_column(default=True)


RETURN_OUTCOMES = ("refund", "refuse", "partial")


class ReturnParcel(Base):
    """A returned parcel scanned at the returns desk. Unmatched parcels (无名包裹)
    have no request yet and are linked when it appears."""

    __tablename__ = "return_parcels"
    __table_args__ = (
        UniqueConstraint("tracking_number"),
        CheckConstraint("outcome IS NULL OR outcome IN ('refund', 'refuse', 'partial')", name="outcome_known"),
        CheckConstraint("condition IS NULL OR condition IN ('good', 'damaged', 'used')", name="condition_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tracking_number: Mapped[str] = mapped_column(String(40))
    refund_request_id: Mapped[int | None] = mapped_column(ForeignKey("refund_requests.id"), index=True)
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    received_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # inspection
    item_matches: Mapped[bool | None]
    condition: Mapped[str | None] = mapped_column(String(8))
    original_packaging: Mapped[bool | None]
    outcome: Mapped[str | None] = mapped_column(String(8))
    refusal_reason: Mapped[str | None] = mapped_column(String(64))
    refund_fen: Mapped[int | None]
    restock_mark: Mapped[str | None] = mapped_column(String(64))
    restock_location: Mapped[str | None] = mapped_column(String(32))
    inspected_at: Mapped[dt.datetime | None]
    inspected_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str | None] = mapped_column(Text)

    refund_request: Mapped[RefundRequest | None] = relationship()


class RefusalReason(Base):
    """Why a returned item is refused (editable list)."""

    __tablename__ = "refusal_reasons"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    active: Mapped[bool] = mapped_column(default=True)


# -- customer service (SPEC §5): issue register, reviews, complaints, follow-up visits --------


provide_open_refund_order_ids(
    lambda: select(RefundRequest.order_id).where(RefundRequest.status.in_(OPEN_RETURN_STATUSES)))

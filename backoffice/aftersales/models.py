from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backoffice.db import Base
from backoffice.timeutil import utcnow

REFUND_KINDS = ("refund_only", "return")
# pending: waiting for our decision; awaiting_return: return agreed, parcel not
# yet received; received: parcel in, to inspect; then refunded / refused / closed.
REFUND_STATUSES = ("pending", "awaiting_return", "received", "refunded", "refused", "closed")
OPEN_RETURN_STATUSES = ("pending", "awaiting_return", "received")


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

    order: Mapped["Order"] = relationship()  # noqa: F821 (orders.models)

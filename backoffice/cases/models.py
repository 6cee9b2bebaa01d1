"""Customer-service cases (SPEC §3.2, §4.3, §4.4): compensation payments,
missing-item / lost-parcel / courier-problem cases with their evidence,
reships and courier claims."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backoffice.db import Base
from backoffice.timeutil import utcnow

SEVERITIES = ("minor", "major", "unusable")
ITEM_KINDS = ("normal", "flash")
PAYMENT_STATUSES = ("awaiting_approval", "paid", "rejected")
CASE_KINDS = ("missing_items", "lost_parcel", "courier_problem")
# collecting: evidence / answers being gathered; confirmed: the shop owes the
# buyer (reship or refund); resolved: reshipped, refunded or found; closed: not confirmed.
CASE_STATUSES = ("collecting", "confirmed", "resolved", "closed")
CASE_OUTCOMES = ("reship", "refund", "found")
SYMPTOMS = ("pickup_only", "slow", "delivered_not_received", "stalled", "no_tracking")
EVIDENCE_KINDS = ("waybill", "items", "box", "tracking")
CLAIM_STATUSES = ("filed", "paid", "rejected")


class CompensationPayment(Base):
    """One compensation asked for on an order (SPEC §4.3). Inside the policy's
    range it is paid at once; outside it waits for a supervisor. Paid means a
    partial refund MoneyMovement exists (money_movement_id)."""

    __tablename__ = "compensation_payments"
    __table_args__ = (
        UniqueConstraint("form_token"),
        CheckConstraint("status IN ('awaiting_approval', 'paid', 'rejected')", name="status_known"),
        CheckConstraint("amount_fen > 0", name="amount_positive"),
        Index("ix_compensation_payments_status_id", "status", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("aftersales_cases.id"))
    item_kind: Mapped[str] = mapped_column(String(8))
    price_fen: Mapped[int]
    severity: Mapped[str] = mapped_column(String(8))
    amount_fen: Mapped[int]
    full_refund: Mapped[bool] = mapped_column(default=False)
    policy_min_fen: Mapped[int | None]
    policy_max_fen: Mapped[int | None]
    reason: Mapped[str | None] = mapped_column(Text)  # why the amount, as service wrote it
    status: Mapped[str] = mapped_column(String(20))
    form_token: Mapped[str] = mapped_column(String(64))  # one form, one payment (double submit)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    money_movement_id: Mapped[int | None] = mapped_column(ForeignKey("money_movements.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[dt.datetime | None]

    order: Mapped["Order"] = relationship()  # noqa: F821


class AfterSalesCase(Base):
    """A missing-items (缺发少发), lost-parcel or courier-problem case on one order."""

    __tablename__ = "aftersales_cases"
    __table_args__ = (
        CheckConstraint("kind IN ('missing_items', 'lost_parcel', 'courier_problem')", name="kind_known"),
        CheckConstraint("status IN ('collecting', 'confirmed', 'resolved', 'closed')", name="status_known"),
        CheckConstraint("outcome IS NULL OR outcome IN ('reship', 'refund', 'found')", name="outcome_known"),
        CheckConstraint("symptom IS NULL OR symptom IN ('pickup_only', 'slow', 'delivered_not_received', "
                        "'stalled', 'no_tracking')", name="symptom_known"),
        Index("ix_aftersales_cases_status_id", "status", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    symptom: Mapped[str | None] = mapped_column(String(24))  # courier problems (SPEC §3.2)
    status: Mapped[str] = mapped_column(String(12), default="collecting")
    outcome: Mapped[str | None] = mapped_column(String(8))
    description: Mapped[str | None] = mapped_column(Text)  # what the buyer says is missing / wrong
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    confirmed_at: Mapped[dt.datetime | None]
    resolved_at: Mapped[dt.datetime | None]

    order: Mapped["Order"] = relationship()  # noqa: F821
    evidence: Mapped[list["CaseEvidence"]] = relationship(back_populates="case", order_by="CaseEvidence.id")
    events: Mapped[list["CaseEvent"]] = relationship(back_populates="case", order_by="CaseEvent.id")


class CaseEvent(Base):
    """The case's timeline: follow-ups (ask the warehouse, chase the courier), decisions."""

    __tablename__ = "aftersales_case_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("aftersales_cases.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(24))
    message: Mapped[str] = mapped_column(Text)

    case: Mapped[AfterSalesCase] = relationship(back_populates="events")


class CaseEvidence(Base):
    """A photo the buyer sent, stored in the instance folder."""

    __tablename__ = "aftersales_case_evidence"
    __table_args__ = (
        CheckConstraint("kind IN ('waybill', 'items', 'box', 'tracking')", name="kind_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("aftersales_cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    original_name: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(32))
    size_bytes: Mapped[int]
    uploaded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    case: Mapped[AfterSalesCase] = relationship(back_populates="evidence")


class Reship(Base):
    """A reship (补发): a new order linked to the case and the original order, made once."""

    __tablename__ = "reships"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("aftersales_cases.id"), unique=True)
    original_order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    case: Mapped[AfterSalesCase] = relationship()
    original_order: Mapped["Order"] = relationship(foreign_keys=[original_order_id])  # noqa: F821
    order: Mapped["Order"] = relationship(foreign_keys=[order_id])  # noqa: F821


class CourierClaim(Base):
    """A claim against the courier for a lost or damaged parcel (SPEC §3.2)."""

    __tablename__ = "courier_claims"
    __table_args__ = (
        UniqueConstraint("tracking_number"),
        CheckConstraint("status IN ('filed', 'paid', 'rejected')", name="status_known"),
        CheckConstraint("price_fen > 0", name="price_positive"),
        CheckConstraint("outcome_fen IS NULL OR outcome_fen >= 0", name="outcome_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("aftersales_cases.id"), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    tracking_number: Mapped[str] = mapped_column(String(40))
    price_fen: Mapped[int]  # what the parcel was worth, as claimed
    status: Mapped[str] = mapped_column(String(8), default="filed")
    outcome_fen: Mapped[int | None]  # what the courier paid
    note: Mapped[str | None] = mapped_column(Text)
    filed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    filed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    settled_at: Mapped[dt.datetime | None]

    order: Mapped["Order"] = relationship()  # noqa: F821


class CompensationRule(Base):
    """One row of the compensation policy (SPEC §4.3): item kind × price tier ×
    severity → an amount range, or a full refund."""

    __tablename__ = "compensation_rules"
    __table_args__ = (
        CheckConstraint("item_kind IN ('normal', 'flash')", name="item_kind_known"),
        CheckConstraint("severity IN ('minor', 'major', 'unusable')", name="severity_known"),
        CheckConstraint("full_refund OR (amount_min_fen IS NOT NULL AND amount_max_fen IS NOT NULL "
                        "AND amount_min_fen <= amount_max_fen)", name="range_or_full_refund"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_kind: Mapped[str] = mapped_column(String(8))
    price_from_fen: Mapped[int] = mapped_column(default=0)     # inclusive
    price_below_fen: Mapped[int | None]                         # exclusive; None = no upper bound
    severity: Mapped[str] = mapped_column(String(8))
    amount_min_fen: Mapped[int | None]
    amount_max_fen: Mapped[int | None]
    full_refund: Mapped[bool] = mapped_column(default=False)


class MoneyMovement(Base):
    """Every refund and compensation paid to a buyer, recorded once. `status`
    is pending until the platform confirms it (integrations send it)."""

    __tablename__ = "money_movements"
    __table_args__ = (
        CheckConstraint("kind IN ('refund', 'partial_refund', 'compensation')", name="kind_known"),
        CheckConstraint("status IN ('pending', 'sent', 'confirmed')", name="status_known"),
        CheckConstraint("amount_fen > 0", name="amount_positive"),
        UniqueConstraint("idempotency_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    refund_request_id: Mapped[int | None] = mapped_column(ForeignKey("refund_requests.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    amount_fen: Mapped[int]
    status: Mapped[str] = mapped_column(String(12), default="pending")
    idempotency_key: Mapped[str] = mapped_column(String(96))  # e.g. refund:<request id>
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backoffice.db import Base
from backoffice.timeutil import utcnow

ISSUE_STATUSES = ("open", "solved")
REVIEW_RATINGS = ("good", "neutral", "bad")
REVIEW_VERDICTS = ("good", "bad", "neutral")
COMPLAINT_STATUSES = ("open", "answered", "investigated", "closed")
FOLLOW_UP_KINDS = ("new", "regular")


class CustomerIssue(Base):
    """A line of the customer issue register (客户问题登记表): a problem not
    solved at once, with the time and the way promised to the buyer."""

    __tablename__ = "customer_issues"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'solved')", name="status_known"),
        Index("ix_customer_issues_status_pinned", "status", "pinned"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), index=True)
    buyer: Mapped[str] = mapped_column(String(64))  # platform account or nickname as the buyer is known
    problem: Mapped[str] = mapped_column(Text)
    solution: Mapped[str] = mapped_column(Text)  # the way to solve it agreed with the buyer
    promised_at: Mapped[dt.datetime]
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    pinned: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(8), default="open")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    solved_at: Mapped[dt.datetime | None]
    solved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    outcome: Mapped[str | None] = mapped_column(Text)

    order: Mapped["Order | None"] = relationship()  # noqa: F821
    assignee: Mapped["User | None"] = relationship(foreign_keys=[assignee_id])  # noqa: F821


class ShiftHandover(Base):
    """One shift handing the open issues to the next; the next shift acknowledges."""

    __tablename__ = "shift_handovers"

    id: Mapped[int] = mapped_column(primary_key=True)
    handed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    handed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    note: Mapped[str | None] = mapped_column(Text)
    open_issues: Mapped[int] = mapped_column(default=0)
    overdue_issues: Mapped[int] = mapped_column(default=0)
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    acknowledged_at: Mapped[dt.datetime | None]

    handed_by: Mapped["User"] = relationship(foreign_keys=[handed_by_id])  # noqa: F821
    acknowledged_by: Mapped["User | None"] = relationship(foreign_keys=[acknowledged_by_id])  # noqa: F821


class ServiceSettings(Base):
    """The customer-service rules staff edit (one row): what makes a review bad,
    the five-star reply, complaint deadlines, follow-up visit intervals."""

    __tablename__ = "service_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    bad_ratings: Mapped[str] = mapped_column(String(32))  # comma-separated REVIEW_RATINGS
    bad_words: Mapped[str] = mapped_column(Text)  # comma-separated; any of them in the text makes a review bad
    review_reply: Mapped[str] = mapped_column(Text)  # the five-star reply, with {buyer}
    first_answer_hours: Mapped[int]
    investigation_working_days: Mapped[int]
    complaint_follow_up_days: Mapped[int]
    new_customer_visit_days: Mapped[int]
    regular_customer_visit_months: Mapped[int]
    weekly_report_due_hour: Mapped[int]  # on the Monday after the week, Shanghai time
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Review(Base):
    """A buyer's review as pulled from the platform, with our verdict and what followed."""

    __tablename__ = "reviews"
    __table_args__ = (
        UniqueConstraint("shop_id", "platform_review_id"),
        CheckConstraint("rating IN ('good', 'neutral', 'bad')", name="rating_known"),
        CheckConstraint("verdict IN ('good', 'bad', 'neutral')", name="verdict_known"),
        Index("ix_reviews_verdict_reviewed_at", "verdict", "reviewed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"))
    platform_review_id: Mapped[str] = mapped_column(String(64))
    platform_order_id: Mapped[str] = mapped_column(String(64))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), index=True)
    buyer: Mapped[str | None] = mapped_column(String(64))
    rating: Mapped[str] = mapped_column(String(8))
    content: Mapped[str] = mapped_column(Text, default="")
    reviewed_at: Mapped[dt.datetime]
    verdict: Mapped[str] = mapped_column(String(8))
    verdict_reason: Mapped[str] = mapped_column(String(200))
    reply_message_id: Mapped[int | None] = mapped_column(ForeignKey("sync_outbox.id"))  # the queued counter-review
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    shop: Mapped["Shop"] = relationship()  # noqa: F821
    order: Mapped["Order | None"] = relationship()  # noqa: F821
    reply_message: Mapped["OutboxMessage | None"] = relationship()  # noqa: F821


class SupervisorTask(Base):
    """Something only a supervisor decides, raised the moment it happens (a bad review)."""

    __tablename__ = "supervisor_tasks"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'done')", name="status_known"),
        UniqueConstraint("kind", "review_id"),
        Index("ix_supervisor_tasks_status_id", "status", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # bad_review
    review_id: Mapped[int | None] = mapped_column(ForeignKey("reviews.id"))
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(8), default="open")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    done_at: Mapped[dt.datetime | None]
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    outcome: Mapped[str | None] = mapped_column(Text)

    review: Mapped[Review | None] = relationship()


class Complaint(Base):
    """A buyer's complaint with its deadlines, fixed when it is received."""

    __tablename__ = "complaints"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'answered', 'investigated', 'closed')", name="status_known"),
        Index("ix_complaints_received_at", "received_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), index=True)
    buyer: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(String(64))
    courier_code: Mapped[str | None] = mapped_column(ForeignKey("couriers.code"))
    product: Mapped[str | None] = mapped_column(String(128))  # SKU code or product name
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # the staff member complained about
    detail: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="open")
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    first_answer_due: Mapped[dt.datetime]
    first_answered_at: Mapped[dt.datetime | None]
    investigation_due: Mapped[dt.datetime]
    investigated_at: Mapped[dt.datetime | None]
    finding: Mapped[str | None] = mapped_column(Text)
    follow_up_due: Mapped[dt.datetime | None]  # set when the investigation ends
    followed_up_at: Mapped[dt.datetime | None]
    follow_up_note: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    order: Mapped["Order | None"] = relationship()  # noqa: F821
    staff: Mapped["User | None"] = relationship(foreign_keys=[staff_id])  # noqa: F821


class FollowUpVisit(Base):
    """A follow-up visit (回访) made to a buyer; the next one is due from the last."""

    __tablename__ = "follow_up_visits"
    __table_args__ = (
        CheckConstraint("kind IN ('new', 'regular')", name="kind_known"),
        Index("ix_follow_up_visits_buyer", "platform", "buyer_id", "visited_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    buyer_id: Mapped[str] = mapped_column(String(64))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"))
    kind: Mapped[str] = mapped_column(String(8))
    visited_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    visited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str | None] = mapped_column(Text)


class ComplaintReport(Base):
    """The weekly complaint report (Monday–Sunday), submitted by the Monday deadline."""

    __tablename__ = "complaint_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    week_start: Mapped[dt.date] = mapped_column(unique=True)  # a Monday
    submitted_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    summary: Mapped[str] = mapped_column(Text)


class QuickReply(Base):
    """A quick reply (快捷短语) with {placeholders}, attached to a situation."""

    __tablename__ = "quick_replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(48), unique=True)
    title: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(default=True)

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backoffice.db import Base
from backoffice.timeutil import utcnow

PLATFORMS = ("taobao", "mogujie", "pinduoduo", "douyin", "live", "manual")
PULL_PLATFORMS = ("taobao", "pinduoduo", "douyin", "mogujie")  # those with an adapter: pulled and told of changes


class Shop(Base):
    """A store on one platform. Credentials are kept encrypted (integrations issue)."""

    __tablename__ = "shops"
    __table_args__ = (
        UniqueConstraint("platform", "name"),
        CheckConstraint("platform IN ('taobao', 'mogujie', 'pinduoduo', 'douyin', 'live', 'manual')",
                        name="platform_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(64))
    credentials_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)
    auth_status: Mapped[str] = mapped_column(String(16), default="none")  # none / ok / expired
    active: Mapped[bool] = mapped_column(default=True)
    # Not secret, kept beside the encrypted blob so pages can warn before the token runs out.
    token_expires_at: Mapped[dt.datetime | None]
    auth_error: Mapped[str | None] = mapped_column(Text)


class JobRun(Base):
    """One run of a scheduled or on-demand job: when, how it ended, what it did."""

    __tablename__ = "job_runs"
    __table_args__ = (
        CheckConstraint("status IN ('running', 'succeeded', 'failed')", name="status_known"),
        Index("ix_job_runs_job_started_at", "job", "started_at"),
        Index("ix_job_runs_status_lease_until", "status", "lease_until"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(64))
    shop_id: Mapped[int | None] = mapped_column(ForeignKey("shops.id"))
    started_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[dt.datetime | None]
    status: Mapped[str] = mapped_column(String(16), default="running")
    counts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    error: Mapped[str | None] = mapped_column(Text)
    # Who runs it ("host:pid"), and a lease its worker renews while it runs
    # (not on SQLite, whose runs are told alive by their process): a "running"
    # run whose worker is gone is marked failed, then run again from task/params.
    worker: Mapped[str | None] = mapped_column(String(80))
    lease_until: Mapped[dt.datetime | None]
    task: Mapped[str | None] = mapped_column(String(64))  # the queue's task name
    params: Mapped[list[Any] | None] = mapped_column()  # its arguments
    attempt: Mapped[int] = mapped_column(default=1, server_default="1")


class SyncCheckpoint(Base):
    """How far a shop's stream (orders, refunds) is fully pulled, and who is
    pulling it now: the lease keeps two pulls of one shop from running at once
    and expires by itself when a worker dies."""

    __tablename__ = "sync_checkpoints"
    __table_args__ = (UniqueConstraint("shop_id", "stream"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"))
    stream: Mapped[str] = mapped_column(String(16))
    synced_until: Mapped[dt.datetime | None]
    lease_owner: Mapped[str | None] = mapped_column(String(80))
    lease_until: Mapped[dt.datetime | None]
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class InboxRecord(Base):
    """A record as a platform sent it, kept once per (shop, kind, platform id)
    in its latest platform-modified version, until the intake consumes it."""

    __tablename__ = "sync_inbox"
    __table_args__ = (
        UniqueConstraint("shop_id", "kind", "platform_id"),
        Index("ix_sync_inbox_kind_processed_at", "kind", "processed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"))
    kind: Mapped[str] = mapped_column(String(16))  # order, refund, return, review
    platform_id: Mapped[str] = mapped_column(String(64))
    platform_modified_at: Mapped[dt.datetime]
    payload: Mapped[dict[str, Any]]
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    processed_at: Mapped[dt.datetime | None]  # set by the intake; cleared when a newer version arrives


class OutboxMessage(Base):
    """A change to tell a platform, written in the same transaction as the
    change itself and delivered by the dispatcher until acknowledged."""

    __tablename__ = "sync_outbox"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'delivered', 'failed')", name="status_known"),
        Index("ix_sync_outbox_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"))
    kind: Mapped[str] = mapped_column(String(32))  # shipment, refund, stock
    idempotency_key: Mapped[str] = mapped_column(String(128), unique=True)
    payload: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    claimed_until: Mapped[dt.datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[dt.datetime | None]


class TrackedParcel(Base):
    """A shipped parcel as Kuaidi100 reports it: polled, or pushed to us after a
    subscription, until it is finished (signed for, returned)."""

    __tablename__ = "tracked_parcels"
    __table_args__ = (
        UniqueConstraint("courier_code", "tracking_number"),
        Index("ix_tracked_parcels_finished_checked_at", "finished", "checked_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    courier_code: Mapped[str] = mapped_column(String(16))
    tracking_number: Mapped[str] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(24), default="unknown")  # integrations.kuaidi100.adapter.STATES
    finished: Mapped[bool] = mapped_column(default=False)
    events: Mapped[list[Any]] = mapped_column(default=list)  # {at, text, state}, oldest first
    last_event_at: Mapped[dt.datetime | None]
    checked_at: Mapped[dt.datetime | None]  # last query or push received
    subscribed_at: Mapped[dt.datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)

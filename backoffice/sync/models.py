from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backoffice.db import Base
from backoffice.timeutil import utcnow


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

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backoffice.db import Base
from backoffice.timeutil import utcnow

PLATFORMS = ("taobao", "mogujie", "pinduoduo", "douyin", "live", "manual")


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


class JobRun(Base):
    """One run of a scheduled or on-demand job: when, how it ended, what it did."""

    __tablename__ = "job_runs"
    __table_args__ = (
        CheckConstraint("status IN ('running', 'succeeded', 'failed')", name="status_known"),
        Index("ix_job_runs_job_started_at", "job", "started_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(64))
    shop_id: Mapped[int | None] = mapped_column(ForeignKey("shops.id"))
    started_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[dt.datetime | None]
    status: Mapped[str] = mapped_column(String(16), default="running")
    counts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    error: Mapped[str | None] = mapped_column(Text)

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, LargeBinary, Select, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column

from backoffice.db import Base
from integrations.base import CHANNELS, order_platforms

PLATFORMS = CHANNELS
PULL_PLATFORMS = order_platforms()  # those with an adapter: pulled and told of changes


class Shop(Base):
    """A store on one platform. Credentials are kept encrypted at rest (see credentials)."""

    __tablename__ = "shops"
    __table_args__ = (
        UniqueConstraint("platform", "name"),
        CheckConstraint(f"platform IN ({', '.join(repr(code) for code in CHANNELS)})", name="platform_known"),
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


def connected_shop_ids() -> Select:
    """The shops whose platform calls can be made now (credentials stored, authorisation valid)."""
    return select(Shop.id).where(Shop.credentials_encrypted.is_not(None), Shop.auth_status == "ok")

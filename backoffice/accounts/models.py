from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from typing import Any

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from backoffice.accounts.permissions import ROLES, role_can
from backoffice.db import Base
from backoffice.timeutil import utcnow


def session_stamp(password_hash: str, session_version: int) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    message = f"{password_hash}:{session_version}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:20]


ROLE_CHECK = "role IN (" + ", ".join(f"'{r}'" for r in ROLES) + ")"


class User(UserMixin, Base):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint(ROLE_CHECK, name="role_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(64))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    locale: Mapped[str | None] = mapped_column(String(8))
    active: Mapped[bool] = mapped_column(default=True)
    locked_until: Mapped[dt.datetime | None]
    # Raised by logout, by "end all sessions" and by deactivation: every session
    # and remember-me cookie carries the version it was made with.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    @property
    def is_active(self) -> bool:  # Flask-Login: deactivated users cannot log in
        return self.active

    def get_id(self) -> str:
        """What the session and the remember-me cookie hold: the id plus a stamp of
        the password and the session version, so a password change, a logout or an
        administrator ending the sessions makes every earlier cookie worthless."""
        return f"{self.id}.{session_stamp(self.password_hash, self.session_version)}"

    def can(self, permission: str) -> bool:
        return self.active and role_can(self.role, permission)


class LoginAttempt(Base):
    """Every login attempt, for throttling by account and by IP address."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_username_at", "username", "at"),
        Index("ix_login_attempts_ip_at", "ip", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64))
    ip: Mapped[str] = mapped_column(String(45))
    success: Mapped[bool]
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class AuditEntry(Base):
    """Who did what, when, from where. Never updated or deleted by the app."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_action_at", "action", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    username: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str | None] = mapped_column(String(128))
    ip: Mapped[str | None] = mapped_column(String(45))
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    summary: Mapped[str | None] = mapped_column(Text)  # the target as staff know it (see audit.record)

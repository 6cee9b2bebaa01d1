"""Time is stored in UTC and shown and reasoned about in Asia/Shanghai."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def to_local(value: dt.datetime) -> dt.datetime:
    return value.astimezone(SHANGHAI)


def local_today(now: dt.datetime | None = None) -> dt.date:
    return to_local(now or utcnow()).date()


def format_local(value: dt.datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return "" if value is None else to_local(value).strftime(fmt)

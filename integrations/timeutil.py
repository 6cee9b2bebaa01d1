"""The clock adapters read (one place, so tests and simulators agree)."""
from __future__ import annotations

import datetime as dt


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)

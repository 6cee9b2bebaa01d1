"""Cutting a time span into the windows a platform accepts."""
from __future__ import annotations

import datetime as dt


def windows(start: dt.datetime, end: dt.datetime, longest: dt.timedelta) -> list[tuple[dt.datetime, dt.datetime]]:
    """Consecutive [start, end] windows of at most `longest`, sharing their edges
    (records on an edge are read twice, never missed)."""
    out = []
    while start < end:
        stop = min(end, start + longest)
        out.append((start, stop))
        start = stop
    return out

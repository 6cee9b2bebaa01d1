"""Plain driver-level executemany for the intake's inserts.

SQLAlchemy's per-row parameter processing costs several times the insert
itself for thousands of rows; the intake's rows are plain values, so they go
to the driver directly, converted the way our column types would convert them
(UTC timestamps, JSON), on SQLite and PostgreSQL alike.
"""
from __future__ import annotations

import datetime as dt
import functools
import json
from typing import Iterable, Sequence

from sqlalchemy import JSON, Table
from sqlalchemy.engine import Connection

from backoffice.db import UTCDateTime

UTC = dt.timezone.utc


@functools.lru_cache(maxsize=64)  # rows of one batch mostly share one timestamp
def _sqlite_time(value: dt.datetime | None) -> str | None:
    # the exact text SQLAlchemy's SQLite DATETIME stores (so comparisons stay right)
    if value is None:
        return None
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    return value.replace(tzinfo=None).isoformat(" ", "microseconds")


def _pg_time(value: dt.datetime | None) -> dt.datetime | None:
    if value is not None and value.tzinfo is None:
        raise ValueError("naive datetime given; use backoffice.timeutil.utcnow()")
    return value


def insert_rows(conn: Connection, table: Table, columns: Sequence[str], rows: Iterable[tuple]) -> None:
    sqlite = conn.dialect.name == "sqlite"
    converters, marks = [], []
    for name in columns:
        column_type = table.c[name].type
        if isinstance(column_type, UTCDateTime):
            converters.append(_sqlite_time if sqlite else _pg_time)
            marks.append("?" if sqlite else "%s")
        elif isinstance(column_type, JSON):
            converters.append(lambda v: json.dumps(v, ensure_ascii=False))
            marks.append("?" if sqlite else "CAST(%s AS jsonb)")
        else:
            converters.append(None)
            marks.append("?" if sqlite else "%s")
    active = [(i, f) for i, f in enumerate(converters) if f is not None]
    converted = []
    for row in rows:
        if active:
            row = list(row)
            for i, f in active:
                row[i] = f(row[i])
        converted.append(tuple(row))
    if converted:
        conn.exec_driver_sql(f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({', '.join(marks)})",
                             converted)

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
from typing import Callable, Iterable, Sequence

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
    return value.isoformat(" ", "microseconds")[:-6]  # without "+00:00"


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def _last_value_cached(convert: Callable) -> Callable:
    """Rows often repeat one value (the batch's timestamp, the same event data
    object): convert it once."""
    last, result = object(), None

    def cached(value):
        nonlocal last, result
        if value is not last:
            last, result = value, convert(value)
        return result

    return cached


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
            converters.append(_last_value_cached(_sqlite_time if sqlite else _pg_time))
            marks.append("?" if sqlite else "%s")
        elif isinstance(column_type, JSON):
            converters.append(_last_value_cached(_json))
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


def select_in(conn: Connection, sql: str, values: Sequence, params: tuple = ()) -> list[tuple]:
    """Rows of ``sql`` (a SELECT whose WHERE ends with the column to match; ``?``
    marks for ``params``) whose column is one of ``values``: one statement per
    5,000 values on SQLite, one array parameter on PostgreSQL."""
    if not values:
        return []
    if conn.dialect.name != "sqlite":
        return list(conn.exec_driver_sql(sql.replace("?", "%s") + " = ANY(%s)", (*params, list(values))))
    rows = []
    for start in range(0, len(values), 5000):
        chunk = tuple(values[start:start + 5000])
        rows.extend(conn.exec_driver_sql(f"{sql} IN ({', '.join('?' * len(chunk))})", (*params, *chunk)))
    return rows

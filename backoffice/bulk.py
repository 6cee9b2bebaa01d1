"""Plain driver-level executemany for the large writes (order intake, the
sync inbox, the returns scan).

SQLAlchemy's per-row parameter processing costs several times the insert
itself for thousands of rows; these rows are plain values, so they go to the
driver directly, converted the way our column types would convert them (UTC
timestamps, JSON), on SQLite and PostgreSQL alike.
"""
from __future__ import annotations

import datetime as dt
import json
from typing import Callable, Iterable, Sequence

from sqlalchemy import JSON, Table
from sqlalchemy.engine import Connection

from backoffice.db import UTCDateTime

UTC = dt.timezone.utc


def _sqlite_time(value: dt.datetime | None) -> str | None:
    # the exact text SQLAlchemy's SQLite DATETIME stores (so comparisons stay right)
    if value is None:
        return None
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    return value.isoformat(" ", "microseconds")[:-6]  # without "+00:00"


def json_text(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def _pg_time(value: dt.datetime | None) -> dt.datetime | None:
    if value is not None and value.tzinfo is None:
        raise ValueError("naive datetime given; use backoffice.timeutil.utcnow()")
    return value


def time_param(conn: Connection) -> Callable[[dt.datetime | None], object]:
    """A UTC timestamp as this connection's driver takes it for our columns;
    for callers that build rows already converted (``insert_rows(converted=True)``)."""
    return _sqlite_time if conn.dialect.name == "sqlite" else _pg_time


def insert_rows(conn: Connection, table: Table, columns: Sequence[str], rows: Iterable[tuple],
                on_conflict: str = "", converted: bool = False) -> int:
    """Insert the rows (tuples in ``columns`` order); ``on_conflict``: an
    ``ON CONFLICT ...`` clause both databases understand; ``converted``: the
    timestamps are already ``time_param`` values and JSON already text.
    Returns the rows written, as the driver counts them."""
    sqlite = conn.dialect.name == "sqlite"
    converters, marks = [], []
    for name in columns:
        column_type = table.c[name].type
        if isinstance(column_type, UTCDateTime):
            converters.append(time_param(conn))
            marks.append("?" if sqlite else "%s")
        elif isinstance(column_type, JSON):
            converters.append(json_text)
            marks.append("?" if sqlite else "CAST(%s AS jsonb)")
        else:
            converters.append(None)
            marks.append("?" if sqlite else "%s")
    active = [] if converted else [(i, f) for i, f in enumerate(converters) if f is not None]
    if active:
        out = []
        for row in rows:
            row = list(row)
            for i, convert in active:
                row[i] = convert(row[i])
            out.append(tuple(row))
        rows = out
    elif not isinstance(rows, list):
        rows = list(rows)
    if not rows:
        return 0
    sql = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({', '.join(marks)}) {on_conflict}"
    return conn.exec_driver_sql(sql, rows).rowcount


def select_in(conn: Connection, sql: str, values: Sequence, params: tuple = ()) -> list[tuple]:
    """Rows of ``sql`` (a SELECT whose WHERE ends with the column to match; ``?``
    marks for ``params``) whose column is one of ``values``: one statement per
    5,000 values on SQLite, one array parameter on PostgreSQL. Plain tuples from
    the driver's cursor (result rows cost more than the query here)."""
    if not values:
        return []
    cursor = conn.connection.cursor()
    try:
        if conn.dialect.name != "sqlite":
            # Planned for each list (prepare=False): psycopg prepares a statement run
            # five times, and its generic plan, made while the table was nearly
            # empty, scanned the whole table once per value when it had grown.
            array = "bigint[]" if isinstance(values[0], int) else "text[]"
            cursor.execute(sql.replace("?", "%s") + f" IN (SELECT unnest(CAST(%s AS {array})))",
                           (*params, list(values)), prepare=False)
            return cursor.fetchall()
        rows = []
        for start in range(0, len(values), 5000):
            chunk = tuple(values[start:start + 5000])
            cursor.execute(f"{sql} IN ({', '.join('?' * len(chunk))})", (*params, *chunk))
            rows.extend(cursor.fetchall())
        return rows
    finally:
        cursor.close()

"""Handing out gap-free sequences per month.

The counter row is locked (SELECT ... FOR UPDATE on PostgreSQL; the write lock
on SQLite) and advanced in the same transaction as the rows it numbers: a
rollback gives the numbers back, and concurrent writers wait for each other,
so numbers are unique and continuous.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from backoffice.db import session
from backoffice.orders import settings
from backoffice.orders.models import NumberSequence
from backoffice.orders.numbers import format_number, period_of
from backoffice.timeutil import local_today

_table = NumberSequence.__table__


def lock(name: str, periods: set[str]) -> dict[str, int]:
    """Lock the counters of the periods (in a fixed order, so writers never
    deadlock) and return the last value of each."""
    if not periods:
        return {}
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(insert(_table).values([{"name": name, "period": p, "last_value": 0} for p in sorted(periods)])
                    .on_conflict_do_nothing())
    rows = session.execute(select(_table.c.period, _table.c.last_value)
                           .where(_table.c.name == name, _table.c.period.in_(sorted(periods)))
                           .order_by(_table.c.period).with_for_update())
    return dict(rows.all())


def advance(name: str, last_values: dict[str, int]) -> None:
    for period, value in last_values.items():
        session.execute(update(_table).where(_table.c.name == name, _table.c.period == period)
                        .values(last_value=value))


def next_batch_number(day: dt.date | None = None) -> str:
    """The next production/batch number, e.g. 26HYK001 (SPEC §2)."""
    day = day or local_today()
    period = period_of(day)
    last = lock("batch", {period})[period] + 1
    advance("batch", {period: last})
    return format_number(settings.get("batch_number_pattern"), day, last)

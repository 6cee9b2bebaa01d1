"""The dashboard's figures, each one query."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from backoffice.aftersales.models import OPEN_RETURN_STATUSES, RefundRequest
from backoffice.catalog.models import Listing
from backoffice.db import local_date, session
from backoffice.orders.models import Order
from backoffice.timeutil import SHANGHAI, local_today


@dataclass(frozen=True)
class Counts:
    orders_to_ship: int
    refunds_open: int
    returns_waiting: int
    listings_draft: int


def counts() -> Counts:
    to_ship = select(func.count()).select_from(Order).where(Order.status == "paid").scalar_subquery()
    refunds = (select(func.count()).select_from(RefundRequest)
               .where(RefundRequest.kind == "refund_only", RefundRequest.status == "pending").scalar_subquery())
    returns = (select(func.count()).select_from(RefundRequest)
               .where(RefundRequest.kind == "return",
                      RefundRequest.status.in_(OPEN_RETURN_STATUSES)).scalar_subquery())
    drafts = select(func.count()).select_from(Listing).where(Listing.status == "draft").scalar_subquery()
    row = session.execute(select(to_ship, refunds, returns, drafts)).one()
    return Counts(*row)


def orders_per_day(days: int = 30, today: dt.date | None = None) -> list[tuple[dt.date, int]]:
    """Orders placed per Asia/Shanghai day over the last `days` days, today included, gaps as 0."""
    today = today or local_today()
    first = today - dt.timedelta(days=days - 1)
    start = dt.datetime.combine(first, dt.time(), SHANGHAI)
    day = local_date(Order.ordered_at)
    rows = session.execute(
        select(day, func.count()).where(Order.ordered_at >= start).group_by(day)
    ).all()
    by_day = {(d if isinstance(d, dt.date) else dt.date.fromisoformat(d)): n for d, n in rows}
    return [(first + dt.timedelta(days=i), by_day.get(first + dt.timedelta(days=i), 0)) for i in range(days)]


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    day: dt.date
    count: int


def bar_chart(series: list[tuple[dt.date, int]], width: float = 600, height: float = 160) -> list[Bar]:
    """Geometry of a simple SVG bar chart, so the page needs no chart library."""
    peak = max((n for _, n in series), default=0) or 1
    slot = width / max(len(series), 1)
    bars = []
    for i, (day, n) in enumerate(series):
        h = height * n / peak
        bars.append(Bar(x=i * slot + slot * 0.15, y=height - h, width=slot * 0.7, height=h, day=day, count=n))
    return bars

from __future__ import annotations

import datetime as dt

from backoffice.dashboard import figures as dashboard
from backoffice.timeutil import SHANGHAI
from tests import factories


def test_counts_come_from_the_database(db):
    paid = [factories.order(status="paid") for _ in range(3)]
    shipped = factories.order(status="shipped")
    factories.order(status="cancelled")
    factories.refund(paid[0], "refund_only", "pending")
    factories.refund(paid[1], "refund_only", "refunded")
    factories.refund(shipped, "return", "awaiting_return")
    factories.refund(shipped, "return", "received")
    factories.refund(shipped, "return", "refused")
    factories.listing("draft"), factories.listing("draft"), factories.listing("published")
    assert dashboard.counts() == dashboard.Counts(orders_to_ship=3, refunds_open=1, returns_waiting=2, listings_draft=2)


def test_orders_per_day_uses_the_shanghai_calendar(db):
    today = dt.date(2026, 11, 23)
    # 2026-11-22 17:30 UTC is already 2026-11-23 01:30 in Shanghai
    factories.order(ordered_at=dt.datetime(2026, 11, 22, 17, 30, tzinfo=dt.timezone.utc))
    factories.order(ordered_at=dt.datetime(2026, 11, 22, 15, 59, tzinfo=dt.timezone.utc))  # 23:59 on the 22nd
    factories.order(ordered_at=dt.datetime(2026, 11, 23, 9, 0, tzinfo=SHANGHAI))
    factories.order(ordered_at=dt.datetime(2026, 10, 25, 0, 5, tzinfo=SHANGHAI))  # first day of the window
    factories.order(ordered_at=dt.datetime(2026, 10, 24, 23, 55, tzinfo=SHANGHAI))  # just outside it
    series = dashboard.orders_per_day(30, today=today)
    assert len(series) == 30 and series[0][0] == dt.date(2026, 10, 25) and series[-1][0] == today
    by_day = dict(series)
    assert by_day[dt.date(2026, 11, 23)] == 2
    assert by_day[dt.date(2026, 11, 22)] == 1
    assert by_day[dt.date(2026, 10, 25)] == 1
    assert sum(by_day.values()) == 4


def test_bar_chart_scales_to_the_busiest_day():
    day = dt.date(2026, 11, 1)
    bars = dashboard.bar_chart([(day, 0), (day, 5), (day, 10)], width=300, height=100)
    assert [b.height for b in bars] == [0, 50, 100]
    assert bars[2].y == 0 and bars[0].y == 100
    assert all(0 <= b.x < 300 for b in bars)


def test_the_dashboard_page_shows_the_figures_in_chinese(login_as, db):
    for _ in range(2):
        factories.order(status="paid")
    db.commit()
    html = login_as("supervisor").get("/").get_data(as_text=True)
    assert "待发货订单" in html and "近 30 天每日订单" in html
    assert '<strong class="figure">2</strong>' in html
    assert html.count("<rect") == 30

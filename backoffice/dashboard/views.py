"""The dashboard page."""
from __future__ import annotations

from flask import render_template

from backoffice.accounts.security import requires
from backoffice.dashboard import figures
from backoffice.dashboard.blueprint import bp


@bp.route("/")
@requires("dashboard.view")
def index():
    series = figures.orders_per_day()
    return render_template(
        "dashboard/index.html",
        counts=figures.counts(),
        series=series,
        bars=figures.bar_chart(series),
        total_30d=sum(n for _, n in series),
    )

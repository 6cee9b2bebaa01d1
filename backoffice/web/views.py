from __future__ import annotations

from flask import jsonify, render_template
from sqlalchemy import text

from backoffice.web.blueprint import bp
from backoffice.db import mark_failed, session
from backoffice.web import dashboard as figures
from backoffice.web.security import public, requires

@bp.route("/")
@requires("dashboard.view")
def dashboard():
    series = figures.orders_per_day()
    return render_template(
        "web/dashboard.html",
        counts=figures.counts(),
        series=series,
        bars=figures.bar_chart(series),
        total_30d=sum(n for _, n in series),
    )


@bp.route("/healthz")
@public
def healthz():
    try:
        session.execute(text("SELECT 1"))
    except Exception as exc:  # the point of the endpoint is to report it
        mark_failed()
        return jsonify(status="error", database="unreachable", error=type(exc).__name__), 503
    return jsonify(status="ok", database="ok")

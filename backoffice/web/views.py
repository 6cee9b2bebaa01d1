"""The health check, the one route the UI kit serves."""
from __future__ import annotations

from flask import jsonify
from sqlalchemy import text

from backoffice.db import mark_failed, session
from backoffice.web.access import public
from backoffice.web.blueprint import bp


@bp.route("/healthz")
@public
def healthz():
    try:
        session.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - the point of the endpoint is to report it
        mark_failed()
        return jsonify(status="error", database="unreachable", error=type(exc).__name__), 503
    return jsonify(status="ok", database="ok")

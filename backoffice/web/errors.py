"""Friendly error pages; any error rolls back the request's unit of work.

Unhandled exceptions reach the HTTPException handler as InternalServerError
(Flask logs them first), so that handler is the one place marking failure.
"""
from __future__ import annotations

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from backoffice.db import mark_failed

FRIENDLY = {400, 401, 403, 404, 405, 429, 500}


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(exc: CSRFError):
        mark_failed()
        return render_template("errors/error.html", code=400, kind="csrf"), 400

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        mark_failed()
        code = exc.code or 500
        if code not in FRIENDLY:
            return exc
        template = "errors/fragment.html" if request.headers.get("HX-Request") else "errors/error.html"
        return render_template(template, code=code, kind=None), code

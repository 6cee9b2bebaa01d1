"""Friendly error pages; any error rolls back the request's unit of work.

Unhandled exceptions reach the HTTPException handler as InternalServerError
(Flask logs them first), so that handler is the one place marking failure.
"""
from __future__ import annotations

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import BadRequestKeyError, HTTPException

from backoffice.db import mark_failed
from backoffice.errors import OperationError
from backoffice.input_limits import field_name

FRIENDLY = {400, 401, 403, 404, 405, 429, 500}


def refusal_page(exc: OperationError):
    """A refusal no form caught: the error page, saying what was refused; nothing is saved."""
    mark_failed()
    template = "errors/fragment.html" if request.headers.get("HX-Request") else "errors/error.html"
    return render_template(template, code=400, kind="refused", message=exc.message), 400


def _refuse_nul_bytes():
    """No field of any form or query may hold NUL: PostgreSQL cannot store or even compare it."""
    for source in (request.args, request.form):
        for key, value in source.items(multi=True):
            if "\x00" in key or "\x00" in value:
                return refusal_page(OperationError(_("%(field)s contains a NUL character; remove it and try "
                                                     "again.", field=field_name(key.replace("\x00", ""))), key))
    return None


def init_app(app: Flask) -> None:
    app.register_error_handler(OperationError, refusal_page)
    app.extensions["refusal_page"] = refusal_page  # the request's unit of work answers a refused commit with it
    app.before_request(_refuse_nul_bytes)

    @app.errorhandler(BadRequestKeyError)
    def _missing_field(exc: BadRequestKeyError):
        # A view read form[key] for a field that was not sent: name it rather than a bare 400.
        mark_failed()
        template = "errors/fragment.html" if request.headers.get("HX-Request") else "errors/error.html"
        message = _("The form was sent without the field “%(field)s”; nothing was saved. Reload the page and "
                    "try again.", field=field_name(str(exc.args[0]) if exc.args else ""))
        return render_template(template, code=400, kind="refused", message=message), 400

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

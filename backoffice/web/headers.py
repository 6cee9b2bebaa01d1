"""Security headers on every response.

The Content-Security-Policy lets only our own script files run: no inline
script, no event-handler attributes, no ``javascript:`` URLs, so markup that
slips into a page (a saved template, a platform's text) cannot act. Inline
``style`` attributes stay allowed because the listing detail pages Taobao and
Mogujie take are styled that way (the preview shows them as they will look).
Pages are personal data for a logged-in user (receivers, phones, buyer
messages), so nothing but the static files may be stored by a browser or proxy.
"""
from __future__ import annotations

from flask import Flask, Response, request

CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: http: https:",  # detail pages may show images hosted by the platforms
    "media-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
    "form-action 'self'",
))
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


def init_app(app: Flask) -> None:
    @app.after_request
    def _secure(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if request.endpoint != "static":
            response.headers["Cache-Control"] = "no-store"
        return response

"""Every response carries the security headers; pages are never stored, static files still cache
(issue 12, item 1)."""
from __future__ import annotations

import pytest

EXPECTED = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


def _assert_secured(response, path):
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, (path, name, response.status_code)
    policy = {d.split()[0]: d.split()[1:] for d in response.headers["Content-Security-Policy"].split("; ")}
    assert policy["script-src"] == ["'self'"], path  # no inline script, no eval
    assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'self'"], path
    assert policy["frame-ancestors"] == ["'none'"] and policy["form-action"] == ["'self'"], path


def test_every_page_of_the_url_map_carries_the_headers_and_is_not_stored(app, login_as):
    admin = login_as("admin")
    paths = sorted(rule.rule for rule in app.url_map.iter_rules()
                   if "GET" in rule.methods and not rule.arguments and rule.endpoint != "static")
    assert len(paths) > 30, paths
    for path in paths:
        response = admin.get(path)
        _assert_secured(response, path)
        assert response.headers.get("Cache-Control") == "no-store", (path, response.status_code)


@pytest.mark.parametrize("path", ["/login", "/", "/no-such-page", "/catalog/media/none.jpg"])
def test_anonymous_answers_redirects_and_errors_carry_them_too(client, path):
    response = client.get(path)
    _assert_secured(response, path)
    assert response.headers["Cache-Control"] == "no-store"


def test_exports_are_not_stored(login_as, db):
    from tests.aftersales.test_returns import returned_order

    returned_order(db)
    response = login_as("service").get("/aftersales/returns/register.xlsx")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    _assert_secured(response, "register.xlsx")


def test_static_files_keep_caching(client):
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_no_template_has_inline_script_handlers_or_safe():
    """What the CSP would block (and what would defeat autoescaping) is not written in the first place."""
    import re
    from pathlib import Path

    import backoffice

    found = []
    for path in Path(backoffice.__file__).parent.rglob("templates/**/*.html"):
        source = path.read_text(encoding="utf-8")
        for pattern in (r"<script(?![^>]*\bsrc=)[^>]*>", r"\son[a-z]+\s*=", r"javascript:", r"\|\s*safe\b"):
            found += [f"{path.name}: {m.group(0)}" for m in re.finditer(pattern, source, re.IGNORECASE)]
    assert found == []

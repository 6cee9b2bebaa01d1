"""Authorization generated from the URL map: a new route is covered the day it is added."""
from __future__ import annotations

import pytest

from backoffice.accounts.permissions import PERMISSIONS, ROLES
from backoffice.accounts.security import PUBLIC, required_permission

PUBLIC_ENDPOINTS = {"accounts.login", "accounts.set_language", "web.healthz", "static", "sync.kuaidi100_callback"}


def _routes(app):
    for rule in app.url_map.iter_rules():
        args = {name: (1 if "int" in type(conv).__name__.lower() else "zh")
                for name, conv in rule._converters.items()}
        if rule.endpoint == "static":
            args = {"filename": "css/app.css"}
        with app.test_request_context():
            from flask import url_for

            url = url_for(rule.endpoint, **args)
        method = "GET" if "GET" in rule.methods else sorted(rule.methods - {"HEAD", "OPTIONS"})[0]
        yield rule.endpoint, method, url


def test_every_endpoint_declares_a_permission(app):
    undeclared = [e for e, _, _ in _routes(app) if required_permission(app, e) is None]
    assert undeclared == []


def test_only_the_expected_endpoints_are_public(app):
    public = {e for e, _, _ in _routes(app) if required_permission(app, e) == PUBLIC}
    assert public == PUBLIC_ENDPOINTS


def test_anonymous_users_are_sent_to_login_everywhere_else(app, client):
    app.config["WTF_CSRF_ENABLED"] = False  # reach the permission check, not the CSRF one
    checked = 0
    for endpoint, method, url in _routes(app):
        if endpoint in PUBLIC_ENDPOINTS:
            continue
        response = client.open(url, method=method)
        assert response.status_code == 302, (endpoint, response.status_code)
        assert "/login" in response.location, endpoint
        checked += 1
    assert checked >= 10


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_403_exactly_where_it_lacks_the_permission(app, login_as, role):
    app.config["WTF_CSRF_ENABLED"] = False
    client = login_as(role)
    for endpoint, method, url in _routes(app):
        permission = required_permission(app, endpoint)
        if permission == PUBLIC or endpoint == "accounts.logout":
            continue
        response = client.open(url, method=method)
        if role in PERMISSIONS[permission]:
            assert response.status_code != 403, (role, endpoint)
        else:
            assert response.status_code == 403, (role, endpoint, response.status_code)
            assert "没有权限" in response.get_data(as_text=True)


def test_a_view_without_a_declared_permission_is_refused(app, login_as):
    app.add_url_rule("/forgotten", "forgotten", lambda: "exposed")
    client = login_as("admin")
    assert client.get("/forgotten").status_code == 403


def test_navigation_shows_only_what_the_role_may_open(login_as):
    html = login_as("warehouse").get("/").get_data(as_text=True)
    nav = html.split('<nav class="menu"')[1].split("</nav>")[0]
    assert '>订单<' in nav and '>售后<' in nav and '>工作台<' in nav
    assert "审计日志" not in nav and "用户管理" not in nav and "商品" not in nav and "同步任务" not in nav
    assert "草稿商品" not in html  # dashboard cards follow the role too

"""Deny by default: every endpoint must declare a permission or be public.

The check runs before any view, so an endpoint someone forgets to mark is
refused rather than exposed.
"""
from __future__ import annotations

import hmac
from typing import Callable

from flask import Flask, abort, current_app, redirect, request, url_for
from flask_login import LoginManager, current_user

from backoffice.accounts.models import User, session_stamp
from backoffice.accounts.permissions import PERMISSIONS
from backoffice.db import session
from backoffice.web.access import PUBLIC, public  # noqa: F401  (public: for the views)

login_manager = LoginManager()


def requires(permission: str) -> Callable:
    if permission not in PERMISSIONS:
        raise KeyError(f"unknown permission {permission!r}")

    def mark(view):
        view.required_permission = permission
        return view

    return mark


def required_permission(app: Flask, endpoint: str | None) -> str | None:
    if endpoint is None:
        return None
    if endpoint == "static" or endpoint.endswith(".static"):
        return PUBLIC
    view = app.view_functions.get(endpoint)
    return getattr(view, "required_permission", None)


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.session_protection = "strong"
    login_manager.login_view = "accounts.login"

    @login_manager.user_loader
    def _load(session_id: str) -> User | None:
        user_id, _, stamp = session_id.partition(".")
        if not user_id.isdigit():
            return None
        user = session.get(User, int(user_id))
        if user is None or not user.active or not hmac.compare_digest(
                stamp, session_stamp(user.password_hash, user.session_version)):
            return None
        return user

    @login_manager.unauthorized_handler
    def _unauthorized():
        if request.headers.get("HX-Request"):
            return "", 401, {"HX-Redirect": url_for("accounts.login")}
        return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))

    @app.before_request
    def _enforce():
        if request.endpoint is None:
            return None  # 404 / 405 are answered by Flask itself
        permission = required_permission(current_app, request.endpoint)
        if permission == PUBLIC:
            return None
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if permission is None or not current_user.can(permission):
            abort(403)
        return None

"""create_app(): configuration, extensions, blueprints, error pages."""
from __future__ import annotations

from importlib.resources import files
from typing import Any

from flask import Flask, has_request_context, request
from flask_babel import Babel
from flask_login import current_user
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from backoffice import db, logsafe
from backoffice import models  # noqa: F401  (every table registered before first use)
from backoffice.config import Settings, _env

LANGUAGES = {"zh": "简体中文", "en": "English"}
csrf = CSRFProtect()


def select_locale() -> str:
    if not has_request_context():
        return "zh"  # command line and jobs: the shop's language
    if current_user and current_user.is_authenticated and current_user.locale in LANGUAGES:
        return current_user.locale
    chosen = request.cookies.get("lang")
    return chosen if chosen in LANGUAGES else "zh"


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    logsafe.install()
    settings = Settings.from_env()
    app = Flask(
        "backoffice",
        static_folder=str(files("backoffice.static")),
        static_url_path="/static",
        instance_path=str(settings.instance),
    )
    app.config.update(settings.flask_config())
    app.config["LANGUAGES"] = LANGUAGES
    if test_config:
        app.config.update(test_config)

    proxies = int(_env("BACKOFFICE_TRUSTED_PROXIES", "0") or 0)
    if proxies:  # behind nginx etc.: take the client address from X-Forwarded-For
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)

    db.init_app(app)
    csrf.init_app(app)
    Babel(app, locale_selector=select_locale, default_translation_directories=str(files("backoffice") / "translations"))

    from backoffice.web import security, errors, filters, headers

    security.init_app(app)
    headers.init_app(app)
    errors.init_app(app)
    filters.init_app(app)

    from backoffice.accounts.views import bp as accounts_bp
    from backoffice.aftersales.service_views import bp as service_bp
    from backoffice.aftersales.views import bp as aftersales_bp
    from backoffice.catalog.views import bp as catalog_bp
    from backoffice.orders.views import bp as orders_bp
    from backoffice.shipping.views import bp as shipping_bp
    from backoffice.sync.views import bp as sync_bp
    from backoffice.web.views import bp as web_bp

    for bp in (web_bp, accounts_bp, orders_bp, shipping_bp, catalog_bp, aftersales_bp, sync_bp, service_bp):
        app.register_blueprint(bp)

    from backoffice.cli import register_commands

    register_commands(app)
    return app

"""create_app(): configuration, extensions, blueprints, error pages."""
from __future__ import annotations

from importlib import import_module
from importlib.resources import files
from typing import Any

from flask import Flask, has_request_context, request
from flask_babel import Babel
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from backoffice import (
    db,
    logsafe,
    models,  # noqa: F401  (every table registered before first use)
    queue,
)
from backoffice.config import LANGUAGES, Settings, _env
from backoffice.web.csrf import csrf

BLUEPRINTS = {  # package: its view modules
    "web": ("views",), "dashboard": ("views",), "accounts": ("views",), "orders": ("views", "intake_views", "merge_views"),
    "shipping": ("views", "rule_views", "warehouse_views"), "catalog": ("views", "import_views", "rules_views"),
    "aftersales": ("views", "returns_views", "rules_views"), "cases": ("views",),
    "service": ("views", "complaint_views"), "sync": ("views",),
}
LABEL_MODULES = tuple(f"backoffice.{name}.labels" for name in (
    "accounts", "shops", "orders", "shipping", "catalog", "aftersales", "cases", "service")) + (
    "backoffice.jobs_labels", "backoffice.outbox_labels")
TASK_MODULES = ("backoffice.catalog.tasks", "backoffice.orders.tasks", "backoffice.sync.tasks")


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
    app.extensions["after_request_commit"].append(queue.run_after_commit)
    csrf.init_app(app)
    Babel(app, locale_selector=select_locale, default_translation_directories=str(files("backoffice") / "translations"))

    from backoffice.accounts import security
    from backoffice.web import errors, filters, headers

    security.init_app(app)
    headers.init_app(app)
    errors.init_app(app)
    filters.init_app(app)

    for package, views in BLUEPRINTS.items():
        for module in views:  # each view module attaches its routes to the package's blueprint
            import_module(f"backoffice.{package}.{module}")
        app.register_blueprint(import_module(f"backoffice.{package}.blueprint").bp)

    for labels in LABEL_MODULES:  # every code's display label, for the `label` filter
        import_module(labels)
    for tasks in TASK_MODULES:  # every job declared, for the consumer of this process
        import_module(tasks)
    return app


queue.use_app_factory(create_app)

"""Template filters and globals shared by every page."""
from __future__ import annotations

from flask import Flask
from flask_babel import get_locale
from flask_login import current_user

from backoffice.labels import label
from backoffice.masking import mask_address, mask_name, mask_phone
from backoffice.money import fen_to_yuan
from backoffice.timeutil import format_local, utcnow


def init_app(app: Flask) -> None:
    app.add_template_filter(lambda fen: "¥" + fen_to_yuan(fen or 0), "yuan")
    app.add_template_filter(format_local, "local")
    app.add_template_filter(mask_name, "mask_name")
    app.add_template_filter(mask_phone, "mask_phone")

    @app.context_processor
    def _globals():
        from backoffice.config import LANGUAGES
        from backoffice.web.navigation import menu_for

        return {
            "languages": LANGUAGES,
            "current_locale": str(get_locale()),
            "menu": menu_for(current_user) if current_user.is_authenticated else [],
            "mask_address": mask_address,
            "label": label,
            "now_utc": utcnow(),
        }

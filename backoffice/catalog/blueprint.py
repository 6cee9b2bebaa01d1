"""The catalog blueprint: every view module of the package attaches its routes to it."""
from flask import Blueprint

from backoffice.catalog.detail_sanitiser import clean_markup

bp = Blueprint("catalog", __name__, url_prefix="/catalog", template_folder="templates")
bp.add_app_template_filter(clean_markup, "clean_detail")  # staff-written detail pages, sanitised

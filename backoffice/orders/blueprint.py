"""The orders blueprint: every view module of the package attaches its routes to it."""
from flask import Blueprint

bp = Blueprint("orders", __name__, url_prefix="/orders", template_folder="templates")

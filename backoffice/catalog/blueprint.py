"""The catalog blueprint: every view module of the package attaches its routes to it."""
from flask import Blueprint

bp = Blueprint("catalog", __name__, url_prefix="/catalog", template_folder="templates")

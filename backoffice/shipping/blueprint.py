"""The shipping blueprint: every view module of the package attaches its routes to it."""
from flask import Blueprint

bp = Blueprint("shipping", __name__, url_prefix="/shipping", template_folder="templates")

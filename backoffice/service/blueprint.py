"""The service blueprint: every view module of the package attaches its routes to it."""
from flask import Blueprint

bp = Blueprint("service", __name__, url_prefix="/service", template_folder="templates")

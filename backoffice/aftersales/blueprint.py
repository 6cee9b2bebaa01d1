"""The aftersales blueprint: every view module of the package attaches its routes to it."""
from flask import Blueprint

bp = Blueprint("aftersales", __name__, url_prefix="/aftersales", template_folder="templates")

"""The sync blueprint: every view module of the package attaches its routes to it."""
from flask import Blueprint

bp = Blueprint("sync", __name__, url_prefix="/sync", template_folder="templates")

"""The accounts blueprint: every view module of the package attaches its routes to it."""
from flask import Blueprint

bp = Blueprint("accounts", __name__, template_folder="templates")

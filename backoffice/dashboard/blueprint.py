"""The dashboard blueprint (the back office's home page)."""
from flask import Blueprint

bp = Blueprint("dashboard", __name__, template_folder="templates")

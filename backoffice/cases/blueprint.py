"""The cases blueprint: every view module of the package attaches its routes to it;
the cases' pages share /aftersales/ with the after-sales desk (their URLs never changed)."""
from flask import Blueprint

bp = Blueprint("cases", __name__, url_prefix="/aftersales", template_folder="templates")

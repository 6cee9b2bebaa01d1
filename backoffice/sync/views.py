from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy import select

from backoffice.db import session
from backoffice.sync.models import JobRun, Shop
from backoffice.web.pagination import keyset_page
from backoffice.web.security import requires

bp = Blueprint("sync", __name__, url_prefix="/sync", template_folder="templates")


@bp.route("/")
@requires("sync.view")
def index():
    shops = session.scalars(select(Shop).order_by(Shop.platform, Shop.name)).all()
    page = keyset_page(select(JobRun), JobRun.id)
    return render_template("sync/index.html", shops=shops, page=page)

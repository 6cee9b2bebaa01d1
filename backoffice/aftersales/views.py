from __future__ import annotations

from flask import Blueprint, render_template, request
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from backoffice.aftersales.models import OPEN_RETURN_STATUSES, REFUND_KINDS, REFUND_STATUSES, RefundRequest
from backoffice.web.pagination import keyset_page
from backoffice.web.security import requires

bp = Blueprint("aftersales", __name__, url_prefix="/aftersales", template_folder="templates")


@bp.route("/")
@requires("aftersales.view")
def index():
    kind = request.args.get("kind")
    status = request.args.get("status")
    query = select(RefundRequest).options(selectinload(RefundRequest.order))
    if kind in REFUND_KINDS:
        query = query.where(RefundRequest.kind == kind)
    if status == "open":  # what the dashboard counts as waiting
        query = query.where(RefundRequest.status.in_(OPEN_RETURN_STATUSES))
    elif status in REFUND_STATUSES:
        query = query.where(RefundRequest.status == status)
    page = keyset_page(query, RefundRequest.id)
    return render_template("aftersales/index.html", page=page, kind=kind, status=status,
                           kinds=REFUND_KINDS, statuses=REFUND_STATUSES)

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from backoffice.accounts import audit
from backoffice.db import session
from backoffice.orders.models import ORDER_STATUSES, Order, OrderEvent
from backoffice.web.pagination import keyset_page
from backoffice.web.security import requires

bp = Blueprint("orders", __name__, url_prefix="/orders", template_folder="templates")


@bp.route("/")
@requires("orders.view")
def index():
    status = request.args.get("status")
    query = select(Order).options(selectinload(Order.lines), selectinload(Order.shop))
    if status in ORDER_STATUSES:
        query = query.where(Order.status == status)
    number = (request.args.get("q") or "").strip()
    if number:
        query = query.where((Order.number == number) | (Order.platform_order_id == number))
    page = keyset_page(query, Order.id)
    return render_template("orders/index.html", page=page, status=status, q=number, statuses=ORDER_STATUSES)


@bp.route("/<int:order_id>")
@requires("orders.view")
def detail(order_id: int):
    order = session.get(Order, order_id) or abort(404)
    events = session.scalars(select(OrderEvent).where(OrderEvent.order_id == order.id).order_by(OrderEvent.at)).all()
    return render_template("orders/detail.html", order=order, events=events,
                           can_reveal=current_user.can("pii.reveal"))


@bp.route("/<int:order_id>/receiver", methods=["POST"])
@requires("pii.reveal")
def reveal_receiver(order_id: int):
    """Show the receiver's full name, phone and address: an audited action."""
    order = session.get(Order, order_id) or abort(404)
    audit.record("pii.view", f"order:{order.id}", order_number=order.number)
    return render_template("orders/_receiver_full.html", order=order)

"""Warehouse pages on the shipping blueprint: waybill numbers, packing check, shipping."""
from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from backoffice.accounts.security import requires
from backoffice.catalog.models import Sku
from backoffice.db import session
from backoffice.orders.models import Order
from backoffice.shipping import operations
from backoffice.shipping.blueprint import bp
from backoffice.shipping.forms import TrackingForm
from backoffice.shipping.models import Wave
from backoffice.shipping.rulesets import courier_names
from backoffice.shipping.waybill_service import provider_client
from backoffice.web.refusals import refusable


@bp.route("/waves/<int:wave_id>/waybills", methods=["POST"])
@requires("shipping.warehouse")
def assign_waybills(wave_id: int):
    wave = session.get(Wave, wave_id) or abort(404)
    client = provider_client()
    if client is None:
        flash(_("No electronic waybill provider is configured: enter or scan the numbers on the packing page."),
              "error")
        return redirect(url_for("shipping.wave", wave_id=wave_id))
    with refusable() as refused:
        n = operations.assign_waybills([i.order_id for i in wave.items], client, user_id=current_user.id)
    if refused:
        flash(refused.message, "error")
    else:
        flash(_("%(n)s waybill numbers received.", n=n), "success")
    return redirect(url_for("shipping.wave", wave_id=wave_id))


@bp.route("/packing")
@requires("shipping.warehouse")
def packing():
    return render_template("shipping/packing.html", form=TrackingForm())


@bp.route("/packing/order")
@requires("shipping.warehouse")
def packing_order():
    """What the scanned order should contain, as JSON for the packing page."""
    number = (request.args.get("number") or "").strip()
    order = session.scalars(select(Order).where(Order.number == number)
                            .options(selectinload(Order.lines))).first()
    if order is None:
        return jsonify(error=_("No order %(number)s.", number=number)), 404
    if order.status != "paid":
        return jsonify(error=_("Order %(number)s is not waiting to ship.", number=number)), 409
    colors = dict(session.execute(select(Sku.id, Sku.color).where(
        Sku.id.in_([line.sku_id for line in order.lines if line.sku_id]))).all())
    expected: dict[str, dict] = {}
    for line in order.lines:
        item = expected.setdefault(line.sku_code, {"sku": line.sku_code, "title": line.title,
                                                   "color": colors.get(line.sku_id, ""), "quantity": 0})
        item["quantity"] += line.quantity
    return jsonify(id=order.id, number=order.number, courier=courier_names(False).get(order.courier_code, ""),
                   tracking_number=order.tracking_number or "", items=list(expected.values()))


@bp.route("/orders/<int:order_id>/packed", methods=["POST"])
@requires("shipping.warehouse")
def packed(order_id: int):
    order = session.get(Order, order_id) or abort(404)
    operations.record_packed(order, user_id=current_user.id)
    return jsonify(ok=True)


@bp.route("/orders/<int:order_id>/ship", methods=["POST"])
@requires("shipping.warehouse")
def ship(order_id: int):
    """Record the tracking number (scanned or typed) and mark the parcel shipped."""
    order = session.get(Order, order_id) or abort(404)
    form = TrackingForm()
    if not form.validate_on_submit():
        message = "；".join(str(e) for errors in form.errors.values() for e in errors)
        return jsonify(error=message), 400
    with refusable() as refused:
        operations.ship_order(order, form.tracking_number.data, user_id=current_user.id)
    if refused:
        return jsonify(error=refused.message), 400
    return jsonify(ok=True, message=_("Order %(number)s shipped.", number=order.number))


@bp.route("/orders/<int:order_id>/decide", methods=["POST"])
@requires("shipping.rules")
def decide(order_id: int):
    """Supervisor's decision on a parcel waiting for approval (free shipping or not, which courier)."""
    order = session.get(Order, order_id) or abort(404)
    courier = request.form.get("courier_code") or order.courier_code or ""
    with refusable() as refused:
        operations.decide_by_hand(order, courier, request.form.get("free_shipping") == "y",
                                  current_user.id, current_user.display_name)
    if refused:
        flash(refused.message, "error")
    else:
        flash(_("Decision recorded for order %(number)s.", number=order.number), "success")
    return redirect(request.form.get("next") or url_for("orders.detail", order_id=order.id))

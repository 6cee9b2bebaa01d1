"""Shipping pages: waves and their printed documents, packing check, shipping."""
from __future__ import annotations

import datetime as dt

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import func, select

from backoffice.accounts import audit
from backoffice.accounts.security import requires
from backoffice.db import session, writes
from backoffice.shipping import barcodes, operations, pdf
from backoffice.shipping.blueprint import bp
from backoffice.shipping.documents import pick_list
from backoffice.shipping.forms import WaveForm
from backoffice.shipping.models import Wave, WaveOrder
from backoffice.shipping.queries import slips_for, wave_orders
from backoffice.shipping.rulesets import courier_names
from backoffice.shops.models import Shop
from backoffice.timeutil import SHANGHAI
from backoffice.web.pagination import keyset_page
from backoffice.web.refusals import refusable

DOCUMENTS = ("pick-list", "slips", "labels")


@bp.app_template_global("barcode")
def barcode_svg(value: str, height: int = 40, text: bool = True) -> Markup:
    return Markup(barcodes.svg(value, height, 1.0, text))  # built from escaped parts only
SENDER = "店铺发货仓"


def _local_to_utc(value: dt.datetime | None) -> dt.datetime | None:
    return None if value is None else value.replace(tzinfo=SHANGHAI).astimezone(dt.timezone.utc)


def _wave_form() -> WaveForm:
    form = WaveForm()
    form.shop_id.choices = [(0, _("All shops"))] + [
        (s.id, s.name) for s in session.scalars(select(Shop).where(Shop.active.is_(True)).order_by(Shop.name))]
    form.courier_code.choices = [("", _("All couriers"))] + list(courier_names().items())
    return form


@bp.app_template_filter("courier_name")
def courier_name(code: str | None) -> str:
    return courier_names(active_only=False).get(code, code or "")


@bp.app_template_global("courier_choices")
def courier_choices() -> dict[str, str]:
    return courier_names()


@bp.app_template_global("routing_decision")
def routing_decision(order_id: int):
    """The order's latest routing decision, for every page that shows its courier."""
    return operations.latest_decisions([order_id]).get(order_id)


@bp.route("/waves", methods=["GET", "POST"])
@requires("shipping.view")
def waves():
    form = _wave_form()
    if request.method == "POST":
        if not current_user.can("shipping.warehouse"):
            abort(403)
        if form.validate_on_submit():
            with refusable() as refused:
                wave = operations.create_wave(
                    start=_local_to_utc(form.start.data), end=_local_to_utc(form.end.data),
                    shop_id=form.shop_id.data or None, courier_code=form.courier_code.data or None,
                    single_first=form.single_first.data, max_count=form.max_count.data,
                    user_id=current_user.id)
            if refused:
                flash(refused.message, "error")
            else:
                flash(_("Wave %(id)s created with %(n)s orders.", id=wave.id, n=len(wave.items)), "success")
                return redirect(url_for("shipping.wave", wave_id=wave.id))
    page = keyset_page(select(Wave), Wave.id)
    counts = dict(session.execute(select(WaveOrder.wave_id, func.count()).where(
        WaveOrder.wave_id.in_([w.id for w in page.items])).group_by(WaveOrder.wave_id)).all())
    return render_template("shipping/waves.html", form=form, page=page, counts=counts,
                           can_create=current_user.can("shipping.warehouse"))


@bp.route("/waves/<int:wave_id>")
@requires("shipping.view")
def wave(wave_id: int):
    wave = session.get(Wave, wave_id) or abort(404)
    orders = wave_orders(wave.id)
    decisions = operations.latest_decisions([o.id for o in orders])
    return render_template("shipping/wave.html", wave=wave, orders=orders, decisions=decisions,
                           names=courier_names(active_only=False), documents=DOCUMENTS,
                           can_print=current_user.can("shipping.warehouse"))


@bp.route("/waves/<int:wave_id>/route", methods=["POST"])
@requires("shipping.warehouse")
def route_wave(wave_id: int):
    wave = session.get(Wave, wave_id) or abort(404)
    with refusable() as refused:
        decided = operations.route_orders([i.order_id for i in wave.items], user_id=current_user.id)
    if refused:
        flash(refused.message, "error")
    else:
        flash(_("%(n)s orders routed.", n=len(decided)), "success")
    return redirect(url_for("shipping.wave", wave_id=wave_id))


def _audit_labels(wave: Wave, slips: list, document: str) -> None:
    """Labels carry every receiver's full name, phone and address (the courier
    needs them): who printed which wave is recorded, as for any full view."""
    audit.record("labels.print", f"wave:{wave.id}", name=str(wave.id), parcels=len(slips), document=document)


@bp.route("/waves/<int:wave_id>/<kind>")
@requires("shipping.warehouse")
@writes  # printing labels is audited
def document(wave_id: int, kind: str):
    if kind not in DOCUMENTS:
        abort(404)
    wave = session.get(Wave, wave_id) or abort(404)
    slips = slips_for(wave_orders(wave.id))
    if kind == "labels":
        _audit_labels(wave, slips, "labels")
    return render_template(f"shipping/doc_{kind.replace('-', '_')}.html", wave=wave, slips=slips,
                           rows=pick_list(slips) if kind == "pick-list" else None, sender=SENDER,
                           autoprint=request.args.get("print") == "1")


@bp.route("/waves/<int:wave_id>/<kind>.pdf")
@requires("shipping.warehouse")
@writes  # printing labels is audited
def document_pdf(wave_id: int, kind: str):
    if kind not in DOCUMENTS:
        abort(404)
    wave = session.get(Wave, wave_id) or abort(404)
    slips = slips_for(wave_orders(wave.id))
    if kind == "pick-list":
        body = pdf.pick_list_pdf(pick_list(slips), f"拣货单 波次 {wave.id}", len(slips))
    elif kind == "slips":
        body = pdf.slips_pdf(slips)
    else:
        body = pdf.labels_pdf(slips, SENDER)
        _audit_labels(wave, slips, "labels.pdf")
    return Response(body, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="wave-{wave.id}-{kind}.pdf"'})


@bp.route("/waves/<int:wave_id>/printed", methods=["POST"])
@requires("shipping.warehouse")
def wave_printed(wave_id: int):
    """The labels go to the printer: the orders are now waybill-printed."""
    wave = session.get(Wave, wave_id) or abort(404)
    marked = operations.mark_wave_printed(wave, user_id=current_user.id)
    flash(_("%(n)s orders marked waybill printed.", n=marked), "success")
    return redirect(url_for("shipping.document", wave_id=wave_id, kind="labels", print="1"))


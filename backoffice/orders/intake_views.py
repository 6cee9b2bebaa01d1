"""Orders entered by hand and imported from the platforms' export files;
both go through the one intake operation."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from backoffice.accounts.security import requires
from backoffice.catalog.models import Sku
from backoffice.db import session
from backoffice.money import yuan_to_fen
from backoffice.orders import spreadsheet
from backoffice.orders.blueprint import bp
from backoffice.orders.forms import ImportForm, ManualOrderForm
from backoffice.orders.incoming import IncomingOrder, IncomingReceiver
from backoffice.orders.intake import intake, parse
from backoffice.orders.manual import codes_in, parse_lines
from backoffice.orders.models import Order
from backoffice.shops.models import Shop


def _shop_choices(platforms=None):
    query = select(Shop).where(Shop.active.is_(True)).order_by(Shop.platform, Shop.name)
    if platforms:
        query = query.where(Shop.platform.in_(platforms))
    return [(s.id, s.name) for s in session.scalars(query)]


@bp.route("/import", methods=["GET", "POST"])
@requires("orders.edit")
def import_file():
    form = ImportForm()
    form.shop_id.choices = _shop_choices()
    errors = []
    if form.validate_on_submit():
        shop = session.get(Shop, form.shop_id.data)
        try:
            rows = spreadsheet.read(form.file.data.filename or "", form.file.data.read())
        except spreadsheet.FileError as exc:
            form.file.errors = [str(exc)]
        else:
            codes = {spreadsheet.text_of(v["sku"]) for _, v in rows}
            known = set(session.scalars(select(Sku.code).where(Sku.code.in_(codes)))) if codes else set()
            orders, errors = spreadsheet.build(rows, shop.platform, shop.id, known)
            if not errors:
                with session.begin_nested():  # the whole file or nothing
                    result = intake(orders, source="file", user_id=current_user.id)
                flash(_("Imported: %(new)d new orders, %(updated)d updated, %(same)d already known.",
                        new=len(result.created), updated=len(result.updated), same=result.unchanged), "success")
                return redirect(url_for("orders.import_file"))
    status = 422 if errors or form.errors else 200
    return render_template("orders/import.html", form=form, errors=errors,
                           columns=spreadsheet.COLUMNS, required=spreadsheet.REQUIRED), status


@bp.route("/new", methods=["GET", "POST"])
@requires("orders.edit")
def new_order():
    form = ManualOrderForm()
    form.shop_id.choices = _shop_choices()
    if form.validate_on_submit():
        codes = codes_in(form.lines.data)
        prices = dict(session.execute(select(Sku.code, Sku.price_fen).where(Sku.code.in_(codes))).all())
        lines, line_errors = parse_lines(form.lines.data, prices)
        parsed = parse(form.address.data.strip())
        if not parsed.resolved:
            form.address.errors = [_("The address cannot be resolved to a district: write the province, city and "
                                     "district.")]
        if line_errors:
            form.lines.errors = line_errors
        if not line_errors and parsed.resolved:
            shop = session.get(Shop, form.shop_id.data)
            order = IncomingOrder(
                platform=shop.platform, shop_id=shop.id, platform_order_id=f"M{form.token.data}",
                receiver=IncomingReceiver(form.receiver_name.data.strip(), form.receiver_phone.data.strip(),
                                          form.address.data.strip()),
                lines=lines, buyer_id=form.buyer_id.data.strip() or None,
                freight_fen=yuan_to_fen(form.freight.data) if form.freight.data else 0,
                buyer_message=form.buyer_message.data.strip() or None,
                seller_memo=form.seller_memo.data.strip() or None)
            result = intake([order], source="manual", user_id=current_user.id)
            order_id = (result.created or result.updated or [None])[0]
            if order_id is None:  # the same form sent twice
                order_id = session.scalar(select(Order.id).where(Order.shop_id == shop.id,
                                                                 Order.platform_order_id == order.platform_order_id))
            flash(_("The order was created."), "success")
            return redirect(url_for("orders.detail", order_id=order_id))
    return render_template("orders/new.html", form=form), (422 if form.errors else 200)

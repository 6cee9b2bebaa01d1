from __future__ import annotations

import datetime as dt

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import literal_column, select, true
from sqlalchemy.orm import selectinload

from backoffice.accounts import audit
from backoffice.accounts.security import requires
from backoffice.db import session
from backoffice.errors import OperationError
from backoffice.money import yuan_to_fen
from backoffice.orders import operations as ops
from backoffice.orders import stock
from backoffice.orders.blueprint import bp
from backoffice.orders.forms import ActionForm, CancelForm, PriceChangeForm, RestockForm
from backoffice.orders.labels import label
from backoffice.orders.models import ORDER_STATUSES, Order, OrderEvent, OrderLine, PriceChange
from backoffice.shops.models import PLATFORMS, Shop
from backoffice.timeutil import SHANGHAI
from backoffice.web.pagination import keyset_page

FLAGS = {  # list filter -> condition, as written in the partial indexes (models.Order) so both databases use them
    "short": Order.stock_status == literal_column("'short'"),
    "address": Order.address_problem.is_not(None),
    "merged": Order.merge_group_id.is_not(None),
    "on_hold": Order.on_hold == true(),
    "message": Order.buyer_message.is_not(None),
}
BULK_ACTIONS = ("hold", "release", "exclude_merge", "recheck_stock")


def _local_day(name: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


def _filters() -> dict:
    args = request.args
    f = {k: (args.get(k) or "").strip() for k in ("status", "platform", "flag", "buyer", "phone", "q")}
    f["shop"] = args.get("shop", type=int)
    f["date_from"], f["date_to"] = _local_day("date_from"), _local_day("date_to")
    return f


@bp.route("/")
@requires("orders.view")
def index():
    f = _filters()
    if f["phone"] and not current_user.can("orders.search_phone"):
        flash(_("Your role may not search orders by phone number; the phone was ignored."), "error")
        f["phone"] = ""
    query = select(Order).options(selectinload(Order.lines))
    # A range of a few days is best read off ix_orders_ordered_at; SQLite would
    # rather walk the (status, id) index of every completed order, so the
    # equality filters are then written as expressions no index serves.
    narrow = f["date_from"] and f["date_to"] and (f["date_to"] - f["date_from"]).days < 7
    status, platform, shop_id = ((Order.status.concat(""), Order.platform.concat(""), Order.shop_id + 0) if narrow
                                 else (Order.status, Order.platform, Order.shop_id))
    if f["status"] in ORDER_STATUSES:
        query = query.where(status == f["status"])
    if f["platform"] in PLATFORMS:
        query = query.where(platform == f["platform"])
    if f["shop"]:
        query = query.where(shop_id == f["shop"])
    if f["flag"] in FLAGS:
        query = query.where(FLAGS[f["flag"]])
    if f["buyer"]:
        query = query.where(Order.buyer_id == f["buyer"])
    if f["phone"]:
        query = query.where(Order.receiver_phone == f["phone"])
    if f["q"]:
        query = query.where((Order.number == f["q"]) | (Order.platform_order_id == f["q"]))
    if f["date_from"]:
        query = query.where(Order.ordered_at >= dt.datetime.combine(f["date_from"], dt.time(), SHANGHAI))
    if f["date_to"]:
        query = query.where(Order.ordered_at < dt.datetime.combine(f["date_to"] + dt.timedelta(days=1), dt.time(),
                                                                   SHANGHAI))
    page = keyset_page(query, Order.id)
    shops = session.scalars(select(Shop).order_by(Shop.platform, Shop.name)).all()
    keep = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in f.items() if v}
    # Names looked up once per page, not once per row (each is a translation lookup).
    names = {"shop": {s.id: s.name for s in shops}, "platform": {p: label("platform", p) for p in PLATFORMS},
             "status": {s: label("order_status", s) for s in ORDER_STATUSES}}
    return render_template("orders/index.html", page=page, f=f, keep=keep, statuses=ORDER_STATUSES,
                           platforms=PLATFORMS, flags=tuple(FLAGS), shops=shops, form=ActionForm(), names=names,
                           bulk_actions=BULK_ACTIONS, can_edit=current_user.can("orders.edit"),
                           can_search_phone=current_user.can("orders.search_phone"))


@bp.route("/bulk", methods=["POST"])
@requires("orders.edit")
def bulk():
    form = ActionForm()
    action = request.form.get("action")
    ids = [int(i) for i in request.form.getlist("ids") if i.isdigit()][:500]
    if not form.validate_on_submit() or action not in BULK_ACTIONS or not ids:
        flash(_("Choose orders and an action."), "error")
        return redirect(url_for("orders.index"))
    orders = session.scalars(select(Order).where(Order.id.in_(ids)).options(selectinload(Order.lines))).all()
    if action in ("hold", "release"):
        ops.set_hold(orders, action == "hold", current_user.id)
    elif action == "exclude_merge":
        for o in orders:
            ops.exclude_from_merging(o, current_user.id)
    else:
        for o in orders:
            if o.status in ("pending", "paid"):
                stock.reserve_order(o)
    flash(_("%(n)d orders updated.", n=len(orders)), "success")
    return redirect(request.form.get("back") or url_for("orders.index"))


def _order(order_id: int) -> Order:
    return session.get(Order, order_id, options=[selectinload(Order.lines)]) or abort(404)


@bp.route("/<int:order_id>")
@requires("orders.view")
def detail(order_id: int):
    order = _order(order_id)
    return _detail(order)


def _detail(order: Order, status: int = 200, **forms):
    events = session.scalars(select(OrderEvent).where(OrderEvent.order_id == order.id).order_by(OrderEvent.at,
                                                                                                 OrderEvent.id)).all()
    group = order.merge_group
    siblings = [] if group is None else [o for o in group.orders if o.id != order.id]
    changes = session.scalars(select(PriceChange).join(OrderLine, PriceChange.order_line_id == OrderLine.id)
                              .where(OrderLine.order_id == order.id).order_by(PriceChange.at)
                              .options(selectinload(PriceChange.approved_by))).all()
    price_form = forms.get("price_form") or PriceChangeForm()
    price_form.line_id.choices = [(line.id, line.title) for line in order.lines if line.flash_sale]
    open_ = order.status in ("pending", "paid")
    return render_template(
        "orders/detail.html", order=order, events=events, group=group, siblings=siblings, changes=changes,
        can_reveal=current_user.can("pii.reveal"), can_edit=current_user.can("orders.edit"),
        can_change_price=current_user.can("orders.price_change"), is_open=open_,
        why_not=ops.why_not_merged(order) if open_ else (),
        short_message=ops.short_stock_message(order) if order.stock_status == "short" else None,
        group_message=ops.buyer_message_under_minimum(group) if group and group.under_minimum else None,
        restock_form=forms.get("restock_form") or RestockForm(restock_date=order.restock_date),
        cancel_form=forms.get("cancel_form") or CancelForm(), price_form=price_form, action_form=ActionForm(),
    ), status


@bp.route("/<int:order_id>/receiver", methods=["POST"])
@requires("pii.reveal")
def reveal_receiver(order_id: int):
    """Show the receiver's full name, phone and address: an audited action."""
    order = session.get(Order, order_id) or abort(404)
    audit.record("pii.view", f"order:{order.id}", name=order.number)
    return render_template("orders/_receiver_full.html", order=order)


@bp.route("/<int:order_id>/restock", methods=["POST"])
@requires("orders.edit")
def restock(order_id: int):
    order = _order(order_id)
    form = RestockForm()
    if not form.validate_on_submit():
        return _detail(order, 422, restock_form=form)
    ops.set_restock_date(order, form.restock_date.data, current_user.id)
    flash(_("Restock date saved; the message to the buyer is ready below."), "success")
    return redirect(url_for("orders.detail", order_id=order.id))


@bp.route("/<int:order_id>/stock", methods=["POST"])
@requires("orders.edit")
def recheck_stock(order_id: int):
    order = _order(order_id)
    if ActionForm().validate_on_submit() and order.status in ("pending", "paid"):
        if stock.reserve_order(order):
            flash(_("Stock reserved."), "success")
        else:
            flash(_("Still out of stock."), "error")
    return redirect(url_for("orders.detail", order_id=order.id))


@bp.route("/<int:order_id>/cancel", methods=["POST"])
@requires("orders.edit")
def cancel(order_id: int):
    order = _order(order_id)
    form = CancelForm()
    if not form.validate_on_submit():
        return _detail(order, 422, cancel_form=form)
    try:
        ops.cancel(order, current_user.id, form.reason.data)
    except OperationError as exc:
        flash(str(exc.message), "error")
        return _detail(order, 422, cancel_form=form)
    flash(_("The order was cancelled and its stock released."), "success")
    return redirect(url_for("orders.detail", order_id=order.id))


@bp.route("/<int:order_id>/exclude", methods=["POST"])
@requires("orders.edit")
def exclude(order_id: int):
    order = _order(order_id)
    if ActionForm().validate_on_submit():
        ops.exclude_from_merging(order, current_user.id)
        flash(_("The order will not be merged."), "success")
    return redirect(url_for("orders.detail", order_id=order.id))


@bp.route("/<int:order_id>/price", methods=["POST"])
@requires("orders.price_change")
def change_price(order_id: int):
    order = _order(order_id)
    form = PriceChangeForm()
    form.line_id.choices = [(line.id, line.title) for line in order.lines if line.flash_sale]
    if not form.validate_on_submit():
        return _detail(order, 422, price_form=form)
    line = next(line for line in order.lines if line.id == form.line_id.data)
    old_fen = line.price_fen
    try:
        ops.change_price(line, yuan_to_fen(form.new_price.data), form.asked_by.data, current_user.id,
                         form.note.data or "")
    except OperationError as exc:
        form.new_price.errors = [exc.message]
        return _detail(order, 422, price_form=form)
    audit.record("price.change", f"order:{order.id}", name=order.number, sku=line.sku_code, old_fen=old_fen,
                 new_fen=line.price_fen)
    flash(_("The price change was recorded."), "success")
    return redirect(url_for("orders.detail", order_id=order.id))



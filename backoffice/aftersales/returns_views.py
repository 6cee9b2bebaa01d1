"""The returns desk, inspection, the returns register and the reconciliation."""
from __future__ import annotations

import io

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from backoffice.accounts import audit
from backoffice.accounts.security import requires
from backoffice.aftersales import returns_desk
from backoffice.aftersales.blueprint import bp
from backoffice.aftersales.models import RefundRequest, RefusalReason, ReturnParcel
from backoffice.aftersales.reconciliation import ReturnRow, reconcile
from backoffice.cases.models import MoneyMovement
from backoffice.db import session, writes
from backoffice.errors import OperationError
from backoffice.input_limits import check_column
from backoffice.money import yuan_to_fen
from backoffice.orders.models import Order
from backoffice.service.models import QuickReply
from backoffice.service.replies import render_reply
from backoffice.timeutil import format_local, utcnow
from backoffice.web.pagination import keyset_page
from backoffice.web.refusals import refusable


@bp.route("/returns", methods=["GET", "POST"])
@requires("aftersales.returns")
def returns_desk_page():
    result, error = None, None
    if request.method == "POST":
        try:
            result = returns_desk.scan(request.form.get("code", ""), current_user)
        except OperationError as exc:
            error = exc.message
    reply = None
    if result and result.reason_against_shop:
        template = session.scalar(select(QuickReply).where(QuickReply.code == "change_reason"))
        reply = render_reply(template.body, result.request.order) if template else None
    unmatched = session.scalars(select(ReturnParcel).where(ReturnParcel.refund_request_id.is_(None))
                                .order_by(ReturnParcel.id.desc()).limit(50)).all()
    if request.headers.get("HX-Request"):
        return render_template("aftersales/_scan_result.html", result=result, error=error, reply=reply)
    return render_template("aftersales/returns.html", result=result, error=error, reply=reply, unmatched=unmatched)


@bp.route("/returns/batch", methods=["POST"])
@requires("aftersales.returns")
def receive_batch():
    """A courier's list of returned parcels, pasted or scanned one per line."""
    codes = (request.form.get("codes") or "").split()
    if not codes:
        flash(_("Paste or scan at least one tracking number."), "error")
        return redirect(url_for("aftersales.returns_desk_page"))
    try:  # they are inserted past the session's own check of lengths
        for code in codes:
            check_column(ReturnParcel.tracking_number, code)
    except OperationError as exc:
        flash(exc.message, "error")
        return redirect(url_for("aftersales.returns_desk_page"))
    result = returns_desk.receive_many(codes, current_user)
    flash(_("%(received)s received, %(repeated)s already scanned, %(unmatched)s unmatched.",
            received=len(result.received), repeated=len(result.repeated), unmatched=len(result.unmatched)),
          "success" if not result.unmatched else "error")
    return redirect(url_for("aftersales.returns_desk_page"))


@bp.route("/returns/unmatched/<int:parcel_id>/link", methods=["POST"])
@requires("aftersales.returns")
def link_parcel(parcel_id: int):
    try:
        linked = returns_desk.link_by_order_number(parcel_id, request.form.get("order_number", ""))
    except OperationError as exc:
        flash(exc.message, "error")
        return redirect(url_for("aftersales.returns_desk_page"))
    flash(_("Parcel linked to order %(number)s.", number=linked.order.number), "success")
    return redirect(url_for("aftersales.inspect", parcel_id=parcel_id))


@bp.route("/returns/<int:parcel_id>/inspect", methods=["GET", "POST"])
@requires("aftersales.returns")
def inspect(parcel_id: int):
    parcel = session.get(ReturnParcel, parcel_id) or abort(404)
    reasons = session.scalars(select(RefusalReason.name).where(RefusalReason.active.is_(True))
                              .order_by(RefusalReason.id)).all()
    error = None
    if request.method == "POST":
        form = request.form
        try:
            partial = yuan_to_fen(form["partial"]) if form.get("outcome") == "partial" and form.get("partial") else None
        except ValueError:
            error = _("The partial amount %(value)s is not an amount in yuan.", value=form.get("partial"))
        else:
            with refusable() as refused:
                returns_desk.inspect(parcel_id, returns_desk.Inspection(
                    item_matches=form.get("item_matches") == "y", condition=form.get("condition", "good"),
                    original_packaging=form.get("original_packaging") == "y",
                    outcome=form.get("outcome", "refund"), refusal_reason=form.get("refusal_reason") or None,
                    partial_fen=partial, restock_location=(form.get("restock_location") or "").strip() or None,
                    note=form.get("note") or None), current_user)
            if refused:
                error = refused.message
            else:
                flash(_("Inspection saved."), "success")
                return redirect(url_for("aftersales.returns_desk_page"))
    return render_template("aftersales/inspect.html", parcel=parcel, reasons=reasons, error=error), (422 if error else 200)


def _register_query():
    return (select(ReturnParcel).options(selectinload(ReturnParcel.refund_request).selectinload(RefundRequest.order)))


@bp.route("/returns/register")
@requires("aftersales.returns")
def register():
    page = keyset_page(_register_query(), ReturnParcel.id)
    return render_template("aftersales/register.html", page=page)


@bp.route("/returns/register.xlsx")
@requires("aftersales.export")
@writes  # the export is audited
def register_export():
    from openpyxl import Workbook

    from integrations.cells import xlsx_row

    book = Workbook(write_only=True)
    sheet = book.create_sheet("退货登记表")
    sheet.append(["签收时间", "退货单号", "订单号", "平台订单号", "退货原因", "验货结果", "拒收原因", "退款金额",
                  "入库标记", "库位"])
    outcome = {"refund": "退款", "refuse": "拒收", "partial": "部分退款", None: "待验货"}
    count = 0
    for parcel in session.scalars(_register_query().order_by(ReturnParcel.id)).yield_per(500):
        req = parcel.refund_request
        sheet.append(xlsx_row(sheet, [
            format_local(parcel.received_at), parcel.tracking_number, req.order.number if req else "",
            req.order.platform_order_id if req else "", req.reason if req else "无名包裹",
            outcome[parcel.outcome], parcel.refusal_reason or "",
            (parcel.refund_fen or 0) / 100, parcel.restock_mark or "", parcel.restock_location or ""]))
        count += 1
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    audit.record("export", "returns_register", rows=count)
    return send_file(buffer, as_attachment=True, download_name="returns-register.xlsx",
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def reconciliation_query():
    """Every return request with what was received and what was refunded."""
    refunded = (select(MoneyMovement.refund_request_id, func.sum(MoneyMovement.amount_fen).label("fen"))
                .where(MoneyMovement.refund_request_id.is_not(None)).group_by(MoneyMovement.refund_request_id)
                .subquery())
    return (select(RefundRequest.id, Order.number, RefundRequest.return_tracking_number, RefundRequest.amount_fen,
                    RefundRequest.status, ReturnParcel.received_at, func.coalesce(refunded.c.fen, 0),
                    ReturnParcel.outcome, RefundRequest.platform_status)
             .join(Order, Order.id == RefundRequest.order_id)
             .outerjoin(ReturnParcel, ReturnParcel.refund_request_id == RefundRequest.id)
             .outerjoin(refunded, refunded.c.refund_request_id == RefundRequest.id)
             .where(RefundRequest.kind == "return"))


def return_rows() -> list[ReturnRow]:
    # plain rows through the connection: the ORM's result layer doubled the time at 100,000 returns
    return list(map(ReturnRow._make, session.connection().execute(reconciliation_query()).all()))


@bp.route("/returns/reconciliation")
@requires("aftersales.returns")
def reconciliation():
    from backoffice.aftersales import ledger

    now = utcnow()
    rows = reconcile(return_rows(), now)
    return render_template("aftersales/reconciliation.html", rows=rows,
                           ledger=ledger.order_rows(ledger.ledger_rows(), now))

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from backoffice.accounts.security import requires
from backoffice.aftersales import operations
from backoffice.aftersales.blueprint import bp
from backoffice.aftersales.models import OPEN_RETURN_STATUSES, REFUND_KINDS, REFUND_STATUSES, InterceptTask, RefundRequest
from backoffice.db import session
from backoffice.errors import OperationError
from backoffice.orders.models import Order
from backoffice.service.models import QuickReply
from backoffice.service.replies import render_reply
from backoffice.web.pagination import keyset_page


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


@bp.route("/refund-only")
@requires("aftersales.handle")
def refund_only():
    """The queue of open refund-only requests, each with its decision prepared."""
    query = (select(RefundRequest)
             .options(selectinload(RefundRequest.order).selectinload(Order.lines),
                      selectinload(RefundRequest.intercepts))
             .where(RefundRequest.kind == "refund_only", RefundRequest.status == "pending"))
    page = keyset_page(query, RefundRequest.id)
    replies = {r.code: r for r in session.scalars(select(QuickReply).where(QuickReply.active.is_(True)))}
    rows = []
    for item in page.items:
        decision = operations.triage(item)
        reply = replies.get(decision.reply) if decision.reply else None
        rows.append((item, decision, render_reply(reply.body, item.order) if reply else None))
    return render_template("aftersales/refund_only.html", page=page, rows=rows)


@bp.route("/refund-only/<int:request_id>/approve", methods=["POST"])
@requires("aftersales.handle")
def approve(request_id: int):
    try:
        payment = operations.approve_refund_only(request_id, current_user)
    except OperationError as exc:
        flash(exc.message, "error")
    else:
        flash(_("Refund of %(amount)s yuan approved; it is sent to the platform as soon as the shop is connected.",
                amount=f"{payment.amount_fen / 100:.2f}"), "success")
    return redirect(url_for("aftersales.refund_only"))


@bp.route("/refund-only/<int:request_id>/refuse", methods=["POST"])
@requires("aftersales.handle")
def refuse(request_id: int):
    try:
        operations.refuse_refund_only(request_id, current_user)
    except OperationError as exc:
        flash(exc.message, "error")
    else:
        flash(_("The refund-only request was refused; the platform is told why."), "success")
    return redirect(url_for("aftersales.refund_only"))


@bp.route("/refund-only/<int:request_id>/intercept", methods=["POST"])
@requires("aftersales.handle")
def intercept(request_id: int):
    try:
        operations.request_intercept(request_id, current_user)
    except OperationError as exc:
        flash(exc.message, "error")
    else:
        flash(_("The warehouse was asked to intercept the parcel."), "success")
    return redirect(url_for("aftersales.refund_only"))


@bp.route("/intercepts", methods=["GET", "POST"])
@requires("aftersales.intercepts")
def intercepts():
    """The warehouse's page: answer each intercept with one click, or scan the waybill."""
    if request.method == "POST":
        code = (request.form.get("code") or "").strip()
        outcome = request.form.get("outcome", "pulled")
        task = operations.find_open_intercept(code) if code else None
        if task is None:
            flash(_("No open intercept for %(code)s.", code=code or "—"), "error")
        else:
            return _answer(task.id, outcome)
        return redirect(url_for("aftersales.intercepts"))
    tasks = session.scalars(
        select(InterceptTask).options(selectinload(InterceptTask.order).selectinload(Order.lines))
        .where(InterceptTask.status == "open").order_by(InterceptTask.id)
    ).all()
    return render_template("aftersales/intercepts.html", tasks=tasks)


@bp.route("/intercepts/<int:task_id>/<outcome>", methods=["POST"])
@requires("aftersales.intercepts")
def answer_intercept(task_id: int, outcome: str):
    return _answer(task_id, outcome)


def _answer(task_id: int, outcome: str):
    try:
        task = operations.answer_intercept(task_id, outcome, current_user)
    except OperationError as exc:
        flash(exc.message, "error")
    else:
        flash(_("Order %(number)s: answer recorded.", number=task.order.number), "success")
    return redirect(url_for("aftersales.intercepts"))


@bp.route("/replies")
@requires("aftersales.handle")
def replies():
    rows = session.scalars(select(QuickReply).where(QuickReply.active.is_(True)).order_by(QuickReply.id)).all()
    return render_template("aftersales/replies.html", replies=rows)


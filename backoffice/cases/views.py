"""Pages for compensation payments, cases (missing items, lost parcels,
courier problems), reships and courier claims."""
from __future__ import annotations

import uuid

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from backoffice.accounts.security import requires
from backoffice.cases import operations as cases
from backoffice.cases import payouts
from backoffice.cases import rules as case_rules
from backoffice.cases.blueprint import bp
from backoffice.cases.compensation import NoPolicy
from backoffice.cases.models import (
    CASE_KINDS,
    CASE_STATUSES,
    EVIDENCE_KINDS,
    ITEM_KINDS,
    SEVERITIES,
    SYMPTOMS,
    AfterSalesCase,
    CaseEvidence,
    CompensationPayment,
    CompensationRule,
    CourierClaim,
    MoneyMovement,
    Reship,
)
from backoffice.cases.payouts import compensation_offer
from backoffice.db import session
from backoffice.errors import OperationError
from backoffice.money import AmountError, yuan_to_fen
from backoffice.service.models import QuickReply
from backoffice.service.replies import render_reply
from backoffice.web.pagination import keyset_page
from backoffice.web.refusals import refusable


def _fen(text: str | None, field: str, label: str, required: bool = True) -> int | None:
    text = (text or "").strip()
    if not text:
        if required:
            raise OperationError(_("%(field)s is required.", field=label), field)
        return None
    try:
        return yuan_to_fen(text)
    except AmountError as exc:
        if exc.kind != "format":
            raise OperationError(_("%(field)s: %(value)s is %(reason)s.", field=label, value=text, reason=exc.reason),
                                 field) from None
        raise OperationError(_("%(field)s: %(value)s is not an amount in yuan.", field=label, value=text),
                             field) from None


# -- compensation payments ----------------------------------------------------------
@bp.route("/compensation/pay", methods=["GET", "POST"])
@requires("aftersales.handle")
def pay_compensation():
    form = request.form if request.method == "POST" else request.args
    error, offer = None, None
    if request.method == "POST":
        with refusable() as refused:
            payment, created = payouts.request_compensation(
                form.get("order_number", ""), form.get("item_kind", ""),
                _fen(form.get("price"), "price", _("Item price")), form.get("severity", ""),
                _fen(form.get("amount"), "amount", _("Amount"), required=False),
                form.get("token", ""), form.get("reason"), current_user)
        if refused:
            error = refused.message
        else:
            if not created:
                flash(_("This form was already sent: compensation No. %(id)s was recorded once, nothing more "
                        "was paid.", id=payment.id), "error")
            elif payment.status == "paid":
                flash(_("%(amount)s yuan paid as a partial refund of order %(number)s; it is sent to the "
                        "platform after saving.", amount=f"{payment.amount_fen / 100:.2f}",
                        number=payment.order.number), "success")
            else:
                flash(_("%(amount)s yuan is outside the policy's range: it waits for a supervisor's approval.",
                        amount=f"{payment.amount_fen / 100:.2f}"), "success")
            return redirect(url_for("cases.pay_compensation"))
    if form.get("item_kind") and form.get("price") and form.get("severity"):
        try:
            offer = compensation_offer(form["item_kind"], yuan_to_fen(form["price"]), form["severity"])
        except (ValueError, NoPolicy):
            offer = None
    awaiting = session.scalars(select(CompensationPayment).options(selectinload(CompensationPayment.order))
                               .where(CompensationPayment.status == "awaiting_approval")
                               .order_by(CompensationPayment.id)).all()
    recent = session.scalars(select(CompensationPayment).options(selectinload(CompensationPayment.order))
                             .where(CompensationPayment.status != "awaiting_approval")
                             .order_by(CompensationPayment.id.desc()).limit(30)).all()
    keys = [f"compensation:{p.id}" for p in recent]
    return render_template(
        "cases/cases_compensation.html", form=form, error=error, offer=offer, awaiting=awaiting,
        recent=recent, platform=payouts.platform_states(keys), kinds=ITEM_KINDS, severities=SEVERITIES,
        token=form.get("token") if error else uuid.uuid4().hex), (422 if error else 200)


@bp.route("/compensation/payments/<int:payment_id>/<decision>", methods=["POST"])
@requires("aftersales.approve")
def decide_compensation(payment_id: int, decision: str):
    if decision not in ("approve", "reject"):
        abort(404)
    with refusable() as refused:
        payment = (payouts.approve if decision == "approve" else payouts.reject)(payment_id, current_user)
    if refused:
        flash(refused.message, "error")
    else:
        flash(_("Compensation No. %(id)s approved and paid.", id=payment.id) if decision == "approve"
              else _("Compensation No. %(id)s rejected.", id=payment.id), "success")
    return redirect(url_for("cases.pay_compensation"))


# -- cases ----------------------------------------------------------------------------
@bp.route("/cases", methods=["GET", "POST"])
@requires("aftersales.handle")
def cases_index():
    error = None
    if request.method == "POST":
        with refusable() as refused:
            case = cases.open_case(request.form.get("order_number", ""), request.form.get("kind", ""),
                                   current_user, symptom=request.form.get("symptom") or None,
                                   description=request.form.get("description"))
        if refused:
            error = refused.message
        else:
            return redirect(url_for("cases.case_detail", case_id=case.id))
    status = request.args.get("status", "open")
    query = select(AfterSalesCase).options(selectinload(AfterSalesCase.order))
    if status == "open":
        query = query.where(AfterSalesCase.status.in_(cases.OPEN))
    elif status in CASE_STATUSES:
        query = query.where(AfterSalesCase.status == status)
    page = keyset_page(query, AfterSalesCase.id)
    return render_template("cases/cases.html", page=page, status=status, statuses=CASE_STATUSES,
                           kinds=CASE_KINDS, symptoms=SYMPTOMS, error=error, form=request.form), (422 if error else 200)


@bp.route("/cases/<int:case_id>")
@requires("aftersales.handle")
def case_detail(case_id: int, error: str | None = None, status: int = 200, form=None):
    case = session.get(AfterSalesCase, case_id) or abort(404)
    uploaded = {e.kind for e in case.evidence}
    reply = None
    if case.kind == "missing_items":
        template = session.scalar(select(QuickReply).where(QuickReply.code == "missing_items",
                                                           QuickReply.active.is_(True)))
        reply = render_reply(template.body, case.order) if template else None
    reship = session.scalar(select(Reship).options(selectinload(Reship.order)).where(Reship.case_id == case.id))
    refund = session.scalar(select(MoneyMovement).where(MoneyMovement.idempotency_key == f"case:{case.id}"))
    claims = session.scalars(select(CourierClaim).where(CourierClaim.order_id == case.order_id)
                             .order_by(CourierClaim.id)).all()
    return render_template(
        "cases/case_detail.html", case=case, uploaded=uploaded, evidence_kinds=EVIDENCE_KINDS,
        required=case_rules.REQUIRED_EVIDENCE[case.kind], missing=case_rules.missing_evidence(case.kind, uploaded),
        action=case_rules.SYMPTOM_ACTIONS.get(case.symptom) if case.kind == "courier_problem" else None,
        reply=reply, reship=reship, refund=refund, claims=claims, error=error, form=form or {},
        reship_lines=(form or {}).get("lines") or cases.default_reship_lines(case),
        platform=payouts.platform_states([refund.idempotency_key]) if refund else {},
        max_evidence_mb=cases.MAX_EVIDENCE_BYTES // (1024 * 1024)), status


def _case_action(case_id: int, action, done: str):
    """Run one change of a case; on a refusal show the case again with the reason."""
    try:
        with session.begin_nested():
            action()
    except cases.OutOfStock as exc:
        return case_detail(case_id, error=exc.message, status=409, form=request.form)
    except OperationError as exc:
        return case_detail(case_id, error=exc.message, status=422, form=request.form)
    flash(done, "success")
    return redirect(url_for("cases.case_detail", case_id=case_id))


@bp.route("/cases/<int:case_id>/evidence", methods=["POST"])
@requires("aftersales.handle")
def case_evidence(case_id: int):
    photo = request.files.get("photo")
    data = photo.read(cases.MAX_EVIDENCE_BYTES + 1) if photo else b""
    return _case_action(case_id, lambda: cases.add_evidence(
        case_id, request.form.get("kind", ""), photo.filename if photo else "", data, current_user),
        _("Photo saved."))


@bp.route("/cases/evidence/<int:evidence_id>")
@requires("aftersales.handle")
def evidence_file(evidence_id: int):
    item = session.get(CaseEvidence, evidence_id) or abort(404)
    path = cases.evidence_root() / item.stored_name
    if not path.is_file():
        abort(404)
    return send_file(path, mimetype=item.content_type)


@bp.route("/cases/<int:case_id>/confirm", methods=["POST"])
@requires("aftersales.handle")
def case_confirm(case_id: int):
    return _case_action(case_id, lambda: cases.confirm(case_id, current_user), _("Case confirmed."))


@bp.route("/cases/<int:case_id>/close", methods=["POST"])
@requires("aftersales.handle")
def case_close(case_id: int):
    return _case_action(case_id, lambda: cases.close(case_id, request.form.get("note", ""), current_user),
                        _("Case closed."))


@bp.route("/cases/<int:case_id>/follow-up", methods=["POST"])
@requires("aftersales.handle")
def case_follow_up(case_id: int):
    return _case_action(case_id, lambda: cases.follow_up(case_id, request.form.get("action", ""),
                                                         request.form.get("note"), current_user),
                        _("Follow-up recorded."))


@bp.route("/cases/<int:case_id>/reship", methods=["POST"])
@requires("aftersales.handle")
def case_reship(case_id: int):
    return _case_action(case_id, lambda: cases.reship(case_id, request.form.get("lines", ""), current_user),
                        _("Reship order created; its stock is reserved."))


@bp.route("/cases/<int:case_id>/refund", methods=["POST"])
@requires("aftersales.handle")
def case_refund(case_id: int):
    return _case_action(case_id, lambda: cases.refund(
        case_id, _fen(request.form.get("amount"), "amount", _("Amount")), current_user),
        _("Refund recorded; it is sent to the platform after saving."))


@bp.route("/cases/<int:case_id>/claim", methods=["POST"])
@requires("aftersales.handle")
def case_claim(case_id: int):
    case = session.get(AfterSalesCase, case_id) or abort(404)
    number = case.order.number
    return _case_action(case_id, lambda: cases.file_claim(
        number, request.form.get("tracking_number", ""), _fen(request.form.get("price"), "price", _("Price")),
        current_user, case_id=case_id, note=request.form.get("note")), _("Courier claim filed."))


# -- courier claims ---------------------------------------------------------------------
@bp.route("/claims", methods=["GET", "POST"])
@requires("aftersales.handle")
def claims():
    error = None
    if request.method == "POST":
        with refusable() as refused:
            cases.file_claim(request.form.get("order_number", ""), request.form.get("tracking_number", ""),
                             _fen(request.form.get("price"), "price", _("Price")), current_user,
                             note=request.form.get("note"))
        if refused:
            error = refused.message
        else:
            flash(_("Courier claim filed."), "success")
            return redirect(url_for("cases.claims"))
    page = keyset_page(select(CourierClaim).options(selectinload(CourierClaim.order)), CourierClaim.id)
    return render_template("cases/claims.html", page=page, error=error, form=request.form), (422 if error else 200)


@bp.route("/claims/<int:claim_id>/settle", methods=["POST"])
@requires("aftersales.handle")
def settle_claim(claim_id: int):
    with refusable() as refused:
        status = request.form.get("status", "")
        outcome = _fen(request.form.get("outcome"), "outcome", _("Amount paid"), required=False)
        cases.settle_claim(claim_id, status, outcome, current_user)
    if refused:
        flash(refused.message, "error")
    else:
        flash(_("Claim outcome recorded."), "success")
    return redirect(url_for("cases.claims"))


@bp.route("/compensation")
@requires("aftersales.handle")
def compensation():
    rules = session.scalars(select(CompensationRule).order_by(CompensationRule.item_kind,
                                                              CompensationRule.price_from_fen,
                                                              CompensationRule.id)).all()
    offer, error = None, None
    kind, price, severity = request.args.get("kind"), request.args.get("price"), request.args.get("severity")
    if kind and price and severity:
        try:
            offer = compensation_offer(kind, yuan_to_fen(price), severity)
        except ValueError:
            error = _("The price %(price)s is not an amount in yuan.", price=price)
        except NoPolicy:
            error = _("No rule of the policy covers this case.")
    return render_template("cases/compensation.html", rules=rules, offer=offer, error=error,
                           kinds=ITEM_KINDS, severities=SEVERITIES, kind=kind, price=price, severity=severity)

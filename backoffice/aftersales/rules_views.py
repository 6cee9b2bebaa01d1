"""Editors for the after-sales rule data: quick replies, return and refusal
reasons, the compensation policy. Supervisors edit; every change is audited."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from backoffice.accounts import audit
from backoffice.accounts.security import requires
from backoffice.aftersales.blueprint import bp
from backoffice.aftersales.labels import label
from backoffice.aftersales.models import RefusalReason, ReturnReason
from backoffice.cases.models import ITEM_KINDS, SEVERITIES, CompensationRule
from backoffice.db import session
from backoffice.errors import OperationError
from backoffice.money import AmountError, fen_to_yuan, yuan_to_fen
from backoffice.service.models import QuickReply
from backoffice.web.refusals import refusable


def _policy_name(row: CompensationRule) -> str:
    """A policy row as the rules page shows it: item kind, price band, severity."""
    band = f"¥{fen_to_yuan(row.price_from_fen)}–" + (f"¥{fen_to_yuan(row.price_below_fen)}"
                                                       if row.price_below_fen is not None else "")
    return f"{label('item_kind', row.item_kind)} {band} {label('severity', row.severity)}"


def _policy_terms(low: int | None, high: int | None, full: bool) -> dict:
    money = {_("Minimum"): low, _("Maximum"): high}
    return {_("Full refund"): full} if full else {k: "¥" + fen_to_yuan(v) for k, v in money.items() if v is not None}


def _yuan(form, field: str, label: str, required: bool = True) -> int | None:
    text = (form.get(field) or "").strip()
    if not text:
        if required:
            raise OperationError(_("%(field)s is required.", field=label), field)
        return None
    try:
        value = yuan_to_fen(text)
    except AmountError as exc:
        if exc.kind != "format":
            raise OperationError(_("%(field)s: %(value)s is %(reason)s.", field=label, value=text, reason=exc.reason),
                                 field) from None
        raise OperationError(_("%(field)s: %(value)s is not an amount in yuan.", field=label, value=text), field) from None
    if value < 0:
        raise OperationError(_("%(field)s cannot be negative.", field=label), field)
    return value


@bp.route("/rules", methods=["GET", "POST"])
@requires("aftersales.rules")
def rules():
    if request.method == "POST":
        with refusable() as refused:
            _apply(request.form)
        if refused:
            flash(refused.message, "error")
        else:
            flash(_("Saved."), "success")
        return redirect(url_for("aftersales.rules") + "#" + request.form.get("table", ""))
    return render_template(
        "aftersales/rules.html",
        replies=session.scalars(select(QuickReply).order_by(QuickReply.id)).all(),
        return_reasons=session.scalars(select(ReturnReason).order_by(ReturnReason.id)).all(),
        refusal_reasons=session.scalars(select(RefusalReason).order_by(RefusalReason.id)).all(),
        policy=session.scalars(select(CompensationRule).order_by(CompensationRule.item_kind,
                                                                 CompensationRule.price_from_fen,
                                                                 CompensationRule.id)).all(),
        kinds=ITEM_KINDS, severities=SEVERITIES,
    )


def _reason(model, row_id: int | None, form, **fields):
    """The reason row being edited, or a new one named in the form (names are unique)."""
    if row_id:
        return session.get(model, row_id) or abort(404)
    name = (form.get("name") or "").strip()
    if not name:
        raise OperationError(_("The reason is required."), "name")
    if session.scalar(select(model.id).where(model.name == name)):
        raise OperationError(_("The reason %(name)s already exists.", name=name), "name")
    row = model(name=name, **fields)
    session.add(row)
    return row


def _apply(form) -> None:
    table, row_id = form.get("table"), form.get("id", type=int)
    if table == "reply":
        row = session.get(QuickReply, row_id) or abort(404)
        body = (form.get("body") or "").strip()
        if not body:
            raise OperationError(_("The reply text is required."), "body")
        old = row.body
        row.title, row.body, row.active = (form.get("title") or row.title).strip(), body, form.get("active") == "y"
        audit.record("rule.change", f"quick_reply:{row.id}", name=row.title or row.code, table="quick_replies",
                     old=old, new=body)
    elif table == "return_reason":
        against = form.get("counts_against_shop") == "y"
        row = _reason(ReturnReason, row_id, form, counts_against_shop=against)
        row.counts_against_shop = against
        session.flush()
        audit.record("rule.change", f"return_reason:{row.id}", name=row.name, table="return_reasons",
                     counts_against_shop=against)
    elif table == "refusal_reason":
        row = _reason(RefusalReason, row_id, form)
        row.active = form.get("active") == "y" if row_id else True
        session.flush()
        audit.record("rule.change", f"refusal_reason:{row.id}", name=row.name, table="refusal_reasons")
    elif table == "policy":
        row = session.get(CompensationRule, row_id) or abort(404)
        full = form.get("full_refund") == "y"
        low = None if full else _yuan(form, "amount_min", _("Minimum"))
        high = None if full else _yuan(form, "amount_max", _("Maximum"))
        if not full and low > high:
            raise OperationError(_("The minimum is above the maximum."), "amount_min")
        old = (row.amount_min_fen, row.amount_max_fen, row.full_refund)
        row.amount_min_fen, row.amount_max_fen, row.full_refund = low, high, full
        session.flush()
        audit.record("rule.change", f"compensation_rule:{row.id}", name=_policy_name(row), table="compensation_rules",
                     old=_policy_terms(*old), new=_policy_terms(low, high, full))
    else:
        raise OperationError(_("Unknown kind of rule: %(table)s.", table=table), "table")

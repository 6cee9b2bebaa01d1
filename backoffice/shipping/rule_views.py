"""Courier rule pages: versions, draft editing, what-if replay, publishing."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from backoffice.accounts.security import requires
from backoffice.addresses.divisions import divisions
from backoffice.db import session
from backoffice.errors import OperationError
from backoffice.money import yuan_to_fen
from backoffice.shipping import rule_edits
from backoffice.shipping.blueprint import bp
from backoffice.shipping.forms import CoverageForm, DraftForm, RateForm
from backoffice.shipping.models import RuleSet
from backoffice.shipping.rule_form import COURIER_CHOICES, values_from_post, values_from_rule
from backoffice.shipping.rulesets import courier_names
from backoffice.shipping.whatif import replay
from backoffice.web.refusals import refusable


def _rule_set(rule_set_id: int) -> RuleSet:
    return session.scalars(select(RuleSet).where(RuleSet.id == rule_set_id).options(
        selectinload(RuleSet.rules), selectinload(RuleSet.coverage), selectinload(RuleSet.rates))).first() or abort(404)


@bp.app_template_global("region_name")
def region_name(code: str) -> str:
    if not code:
        return _("Everywhere else")
    d = divisions().by_code.get(code)
    return d.name if d else code


@bp.route("/rules")
@requires("shipping.rules")
def rules():
    sets = session.scalars(select(RuleSet).order_by(RuleSet.version.desc()).limit(50)).all()
    return render_template("shipping/rules.html", sets=sets, form=DraftForm())


@bp.route("/rules/drafts", methods=["POST"])
@requires("shipping.rules")
def create_draft():
    form = DraftForm()
    if not form.validate_on_submit():
        flash("；".join(str(e) for errs in form.errors.values() for e in errs), "error")
        return redirect(url_for("shipping.rules"))
    with refusable() as refused:
        draft = rule_edits.create_draft(form.note.data, user_id=current_user.id)
    if refused:
        flash(refused.message, "error")
        return redirect(url_for("shipping.rules"))
    return redirect(url_for("shipping.rule_set", rule_set_id=draft.id))


def _forms():
    couriers = list(courier_names(active_only=False).items())
    coverage, rate = CoverageForm(prefix="cov"), RateForm(prefix="rate")
    coverage.courier_code.choices = rate.courier_code.choices = couriers
    return coverage, rate


def _rule_set_page(rs: RuleSet, *, editing: dict | None = None, errors: dict | None = None, status: int = 200):
    """The rule set page; `editing` holds a refused form's values by prefix, shown again with its errors."""
    coverage_form, rate_form = _forms()
    names = courier_names(active_only=False)
    saved = {f"r{r.id}": values_from_rule(r.name, r.conditions, r.action) for r in rs.rules}
    forms = {**saved, "new": values_from_rule("", {}, {}), **(editing or {})}
    return render_template("shipping/rule_set.html", rs=rs, names=names, saved=saved, forms=forms,
                           errors=errors or {},
                           provinces=divisions().provinces, courier_slots=COURIER_CHOICES,
                           coverage_form=coverage_form, rate_form=rate_form), status


@bp.route("/rules/<int:rule_set_id>")
@requires("shipping.rules")
def rule_set(rule_set_id: int):
    return _rule_set_page(_rule_set(rule_set_id))


def _back(rule_set_id: int, anchor: str = ""):
    return redirect(url_for("shipping.rule_set", rule_set_id=rule_set_id) + anchor)


@bp.route("/rules/<int:rule_set_id>/rule", methods=["POST"])
@requires("shipping.rules")
def save_rule(rule_set_id: int):
    rs = _rule_set(rule_set_id)
    rule_id = request.form.get("rule_id", type=int)
    prefix = f"r{rule_id}" if rule_id else "new"
    values = values_from_post(request.form, prefix)
    with refusable() as refused:
        rule = rule_edits.save_rule(rs, values, rule_id=rule_id)
    if refused:
        return _rule_set_page(rs, editing={prefix: values}, errors={prefix: refused.message}, status=400)
    flash(_("Rule «%(name)s» saved.", name=rule.name), "success")
    return _back(rs.id, f"#rule-{rule.id}")


@bp.route("/rules/<int:rule_set_id>/rule/<int:rule_id>/move", methods=["POST"])
@requires("shipping.rules")
def move_rule(rule_set_id: int, rule_id: int):
    rs = _rule_set(rule_set_id)
    with refusable() as refused:
        rule_edits.move_rule(rs, rule_id, "up" if request.form.get("direction") == "up" else "down")
    if refused:
        flash(refused.message, "error")
    return _back(rs.id, "#rules")


@bp.route("/rules/<int:rule_set_id>/<kind>/<int:row_id>/delete", methods=["POST"])
@requires("shipping.rules")
def delete_row(rule_set_id: int, kind: str, row_id: int):
    delete = {"rule": rule_edits.delete_rule, "coverage": rule_edits.delete_coverage, "rate": rule_edits.delete_rate}
    if kind not in delete:
        abort(404)
    rs = _rule_set(rule_set_id)
    with refusable() as refused:
        delete[kind](rs, row_id)
    if refused:
        flash(refused.message, "error")
    return _back(rs.id, f"#{kind}s")


@bp.route("/rules/<int:rule_set_id>/coverage", methods=["POST"])
@requires("shipping.rules")
def add_coverage(rule_set_id: int):
    rs = _rule_set(rule_set_id)
    form, _rate = _forms()
    if form.validate_on_submit():
        try:
            with session.begin_nested():
                rule_edits.add_coverage(rs, form.courier_code.data, form.region.data,
                                        yuan_to_fen(form.surcharge.data or "0"))
        except (OperationError, ValueError) as exc:
            flash(getattr(exc, "message", None) or _("Extra freight: not an amount."), "error")
    else:
        flash("；".join(str(e) for errs in form.errors.values() for e in errs), "error")
    return _back(rs.id, "#coverages")


@bp.route("/rules/<int:rule_set_id>/rates", methods=["POST"])
@requires("shipping.rules")
def save_rate(rule_set_id: int):
    """Add a freight row (prefix "rate") or change one (prefix "rate<id>")."""
    rs = _rule_set(rule_set_id)
    rate_id = request.form.get("rate_id", type=int)
    form = RateForm(prefix=f"rate{rate_id}" if rate_id else "rate")
    form.courier_code.choices = list(courier_names(active_only=False).items())
    row = _("Freight row %(courier)s %(region)s", courier=courier_names(False).get(form.courier_code.data, ""),
            region=form.region.data or _("Everywhere else"))
    if not form.validate_on_submit():
        flash(row + "：" + "；".join(f"{getattr(form, k).label.text}：{e}" for k, errs in form.errors.items()
                                     for e in errs), "error")
        return _back(rs.id, "#rates")
    try:
        first = yuan_to_fen(form.first.data)
        extra = yuan_to_fen(form.extra.data) if (form.extra.data or "").strip() else None
    except ValueError:
        flash(row + "：" + _("the prices must be amounts in yuan."), "error")
        return _back(rs.id, "#rates")
    with refusable() as refused:
        rule_edits.save_rate(rs, courier_code=form.courier_code.data, region_text=form.region.data or "",
                             first_weight_g=form.first_weight_g.data, first_fen=first,
                             extra_unit_g=form.extra_unit_g.data, extra_fen=extra, rounding=form.rounding.data,
                             rate_id=rate_id)
    if refused:
        flash(row + "：" + refused.message, "error")
    else:
        flash(_("Freight saved."), "success")
    return _back(rs.id, "#rates")


@bp.route("/rules/<int:rule_set_id>/whatif")
@requires("shipping.rules")
def whatif(rule_set_id: int):
    rs = _rule_set(rule_set_id)
    days = min(max(request.args.get("days", 30, type=int), 1), 90)
    return render_template("shipping/whatif.html", rs=rs, result=replay(rs, days=days),
                           names=courier_names(active_only=False))


@bp.route("/rules/<int:rule_set_id>/publish", methods=["POST"])
@requires("shipping.rules")
def publish(rule_set_id: int):
    rs = _rule_set(rule_set_id)
    with refusable() as refused:
        rule_edits.publish(rs)
    if refused:
        flash(refused.message, "error")
        return _back(rs.id)
    flash(_("Version %(v)s published: new routing uses it; earlier decisions keep theirs.", v=rs.version), "success")
    return redirect(url_for("shipping.rules"))

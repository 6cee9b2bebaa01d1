"""Merging for customer service: proposals with their reasons, accept,
reject, exclude, merge now after a livestream, undo; and the order rules."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from backoffice.accounts import audit
from backoffice.accounts.security import requires
from backoffice.db import session
from backoffice.errors import OperationError
from backoffice.money import fen_to_yuan, yuan_to_fen
from backoffice.orders import operations as ops
from backoffice.orders import settings
from backoffice.orders.blueprint import bp
from backoffice.orders.forms import ActionForm, SettingsForm
from backoffice.orders.labels import label
from backoffice.orders.merge import GROUP_RULES, ORDER_RULES
from backoffice.orders.models import MergeGroup, Order

RECENT = 50


@bp.route("/merges")
@requires("orders.view")
def merges():
    proposals = session.scalars(select(MergeGroup).where(MergeGroup.status == "proposed")
                                .order_by(MergeGroup.id).limit(200)).all()
    merged = session.scalars(select(MergeGroup).where(MergeGroup.status == "merged").order_by(MergeGroup.id.desc())
                             .options(selectinload(MergeGroup.orders)).limit(RECENT)).all()
    ids = {int(i) for g in proposals for i in g.order_ids}
    orders = {o.id: o for o in session.scalars(select(Order).where(Order.id.in_(ids))
                                              .options(selectinload(Order.lines)))} if ids else {}
    totals = {g.id: sum(orders[int(i)].paid_fen for i in g.order_ids if int(i) in orders) for g in proposals}
    return render_template("orders/merges.html", proposals=proposals, merged=merged, orders=orders, totals=totals,
                           form=ActionForm(), can_edit=current_user.can("orders.edit"),
                           minimum_fen=settings.get("merge_minimum_fen"),
                           messages={g.id: ops.buyer_message_under_minimum(g) for g in merged if g.under_minimum})


def _group(group_id: int) -> MergeGroup:
    return session.get(MergeGroup, group_id) or abort(404)


@bp.route("/merges/run", methods=["POST"])
@requires("orders.edit")
def merge_run():
    if ActionForm().validate_on_submit():
        apply = request.form.get("apply") == "1"
        run = ops.run_merge(apply=apply, user_id=current_user.id)
        if apply:
            flash(_("%(n)d merges applied; %(small)d are under the minimum amount.", n=run.merged,
                    small=run.under_minimum), "success")
        else:
            flash(_("%(n)d new merges proposed.", n=run.proposed), "success")
    return redirect(url_for("orders.merges"))


@bp.route("/merges/<int:group_id>/<action>", methods=["POST"])
@requires("orders.edit")
def merge_decide(group_id: int, action: str):
    group = _group(group_id)
    if action not in ("accept", "reject", "undo"):
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        if action == "accept":
            ops.apply_merge(group, current_user.id)
        elif action == "reject":
            ops.reject(group, current_user.id)
        else:
            ops.unmerge(group, current_user.id)
    except OperationError as exc:
        flash(str(exc.message), "error")
    else:
        flash({"accept": _("The orders were merged."), "reject": _("The merge was rejected."),
               "undo": _("The merge was undone.")}[action], "success")
    return redirect(request.form.get("back") or url_for("orders.merges"))


@bp.route("/merges/<int:group_id>/exclude/<int:order_id>", methods=["POST"])
@requires("orders.edit")
def merge_exclude(group_id: int, order_id: int):
    _group(group_id)
    order = session.get(Order, order_id) or abort(404)
    if ActionForm().validate_on_submit():
        ops.exclude_from_merging(order, current_user.id)
        flash(_("Order %(number)s will not be merged.", number=order.number), "success")
    return redirect(url_for("orders.merges"))


RULES = (*GROUP_RULES, *ORDER_RULES)
TEXT_SETTINGS = ("order_number_pattern", "batch_number_pattern", "merge_mode", "short_stock_message",
                 "under_minimum_message")


def _audit_settings(form, before: dict, after: dict) -> None:
    """Name the settings that changed as the form labels them (a merge rule by its own name)."""
    fields = {"merge_minimum_fen": "merge_minimum"}
    changed = []
    for key in audit.changed(before, after):
        if key == "merge_rules":
            changed += [label("merge_rule", code) for code, on in after[key].items()
                        if bool((before[key] or {}).get(code)) != on]
        else:
            changed.append(str(getattr(form, fields.get(key, key)).label.text))
    audit.record("rule.change", "order_settings", name="", fields=changed)


@bp.route("/settings", methods=["GET", "POST"])
@requires("orders.settings")
def order_settings():
    form = SettingsForm()
    if request.method == "GET":
        for key in TEXT_SETTINGS:
            getattr(form, key).data = settings.get(key)
        form.merge_no_merge_words.data = "，".join(settings.get("merge_no_merge_words"))
        form.merge_minimum.data = fen_to_yuan(settings.get("merge_minimum_fen"))
        form.merge_auto_apply.data = settings.get("merge_auto_apply")
        rules = settings.get("merge_rules")
        for code in RULES:
            getattr(form, f"rule_{code}").data = rules.get(code, False)
    elif form.validate_on_submit():
        words = [w.strip() for w in form.merge_no_merge_words.data.replace("，", ",").split(",") if w.strip()]
        values = {key: getattr(form, key).data.strip() for key in TEXT_SETTINGS}
        values.update(merge_no_merge_words=words, merge_minimum_fen=yuan_to_fen(form.merge_minimum.data),
                      merge_auto_apply=form.merge_auto_apply.data,
                      merge_rules={code: getattr(form, f"rule_{code}").data for code in RULES})
        before = {key: settings.get(key) for key in values}
        ops.update_settings(values)
        _audit_settings(form, before, values)
        flash(_("The order rules were saved."), "success")
        return redirect(url_for("orders.order_settings"))
    return render_template("orders/settings.html", form=form, rules=RULES), (422 if form.errors else 200)

"""Editors for the listing rule tables: suppliers and formulas, pinyin overrides, word lists,
size classes, platform rules and listing templates."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from backoffice.accounts import audit
from backoffice.accounts.security import requires
from backoffice.catalog import drafts, editing, rules
from backoffice.catalog.blueprint import bp
from backoffice.catalog.editing import PLATFORM_RULE_COLUMNS, PLATFORM_RULE_SETTINGS
from backoffice.catalog.forms import PinyinForm, PlatformRuleForm, SizeClassesForm, StoreFormulaForm, SupplierForm, TemplateForm, WordsForm
from backoffice.catalog.labels import label
from backoffice.catalog.models import ListingTemplate, PinyinOverride, PlatformRule, SizeClass, StorePriceFormula, Supplier
from backoffice.db import session
from backoffice.errors import OperationError
from backoffice.shops.models import Shop
from backoffice.web.refusals import refusable


def _audit(target: str, name: str, form=None, before: dict | None = None, **detail) -> None:
    """A rule table changed; with ``before`` (the stored values by form field), the fields that changed are
    named as the form labels them."""
    if form is not None and before is not None:
        after = {key: getattr(form, key).data for key in before}
        detail["fields"] = [str(getattr(form, key).label.text) for key in audit.changed(before, after)]
    audit.record("rule.change", target, name=name, **detail)


def _snapshot(obj, keys) -> dict:
    return {key: getattr(obj, key, None) for key in keys} if obj is not None else {key: None for key in keys}


def _saved(form, exc: OperationError, fallback):
    getattr(form, exc.field or "", fallback).errors.append(exc.message)


@bp.route("/rules")
@requires("catalog.edit")
def rules_index():
    return render_template(
        "catalog/rules.html", suppliers=session.scalars(select(Supplier).order_by(Supplier.id)).all(),
        overrides=session.scalars(select(PinyinOverride).order_by(PinyinOverride.word)).all(),
        lists={name: rules.vocabulary(name) for name in rules.LISTS},
        classes=session.scalars(select(SizeClass).order_by(SizeClass.id)).all(),
        platforms=session.scalars(select(PlatformRule).order_by(PlatformRule.id)).all(),
        templates=drafts.TEMPLATE_NAMES,
        overridden=set(session.scalars(select(ListingTemplate.name))),
        pinyin_form=PinyinForm(), may_edit_rules=current_user.can("catalog.rules"))


@bp.route("/rules/suppliers/new", methods=["GET", "POST"], defaults={"supplier_id": None})
@bp.route("/rules/suppliers/<int:supplier_id>", methods=["GET", "POST"])
@requires("catalog.rules")
def supplier(supplier_id: int | None):
    item = session.get(Supplier, supplier_id) if supplier_id else None
    if supplier_id and item is None:
        abort(404)
    form = SupplierForm(obj=item)
    preview = []
    if form.validate_on_submit():
        try:
            if form.price_formula.data:
                preview = editing.formula_preview(form.price_formula.data, form.rounding_step_fen.data,
                                                  form.rounding_mode.data)
            if "save" in request.form:
                before = _snapshot(item, ("name", "pinyin_code", "price_formula", "rounding_step_fen", "rounding_mode"))
                with session.begin_nested():
                    saved = editing.save_supplier(item, form.data)
                _audit(f"supplier:{saved.id}", saved.name, form, before)
                flash(_("Supplier saved."), "success")
                return redirect(url_for("catalog.rules_index"))
        except OperationError as exc:
            _saved(form, exc, form.name)
    elif item is not None and item.price_formula:
        try:
            preview = editing.formula_preview(item.price_formula, item.rounding_step_fen, item.rounding_mode)
        except OperationError as exc:
            form.price_formula.errors = [exc.message]
    return render_template("catalog/supplier.html", form=form, supplier=item, preview=preview)


@bp.route("/rules/stores/new", methods=["GET", "POST"], defaults={"formula_id": None})
@bp.route("/rules/stores/<int:formula_id>", methods=["GET", "POST"])
@requires("catalog.rules")
def store_formula(formula_id: int | None):
    item = session.get(StorePriceFormula, formula_id) if formula_id else None
    if formula_id and item is None:
        abort(404)
    form = StoreFormulaForm(obj=item)
    stores = list(session.scalars(select(Shop.name).where(Shop.platform == "taobao").order_by(Shop.id)))
    if item is not None and item.store not in stores:
        stores.append(item.store)
    form.store.choices = [(s, s) for s in stores]
    preview = []
    if form.validate_on_submit():
        try:
            preview = editing.formula_preview(form.formula.data, form.rounding_step_fen.data, form.rounding_mode.data,
                                              field="formula")
            if "save" in request.form:
                before = _snapshot(item, ("store", "formula", "rounding_step_fen", "rounding_mode"))
                with session.begin_nested():
                    saved = editing.save_store_formula(item, form.data)
                _audit(f"store_formula:{saved.id}", saved.store, form, before)
                flash(_("Store formula saved: products imported for the store are priced by it."), "success")
                return redirect(url_for("catalog.rules_index"))
        except OperationError as exc:
            _saved(form, exc, form.formula)
    elif item is not None:
        try:
            preview = editing.formula_preview(item.formula, item.rounding_step_fen, item.rounding_mode, field="formula")
        except OperationError as exc:
            form.formula.errors = [exc.message]
    return render_template("catalog/store_formula.html", form=form, item=item, preview=preview)


@bp.route("/rules/stores/<int:formula_id>/delete", methods=["POST"])
@requires("catalog.rules")
def store_formula_delete(formula_id: int):
    item = session.get(StorePriceFormula, formula_id) or abort(404)
    session.delete(item)
    _audit(f"store_formula:{item.id}", item.store, change=_("Removed"))
    flash(_("Store formula removed: its products are priced by their suppliers' formulas."), "success")
    return redirect(url_for("catalog.rules_index"))


@bp.route("/rules/pinyin", methods=["POST"])
@requires("catalog.edit")
def pinyin_add():
    form = PinyinForm()
    if form.validate_on_submit():
        row = editing.add_pinyin_override(form.word.data, form.pinyin.data)
        _audit(f"pinyin:{row.id}", row.word, change=row.pinyin)
        flash(_("Pinyin saved: new codes use it; existing codes stay as they are."), "success")
    else:
        flash("；".join(str(e) for errors in form.errors.values() for e in errors), "error")
    return redirect(url_for("catalog.rules_index"))


@bp.route("/rules/pinyin/<int:override_id>/delete", methods=["POST"])
@requires("catalog.edit")
def pinyin_delete(override_id: int):
    row = session.get(PinyinOverride, override_id)
    editing.delete_pinyin_override(override_id)
    if row is not None:
        _audit(f"pinyin:{override_id}", row.word, change=_("Removed"))
    flash(_("Pinyin override removed."), "success")
    return redirect(url_for("catalog.rules_index"))


@bp.route("/rules/words/<list_name>", methods=["GET", "POST"])
@requires("catalog.edit")
def words(list_name: str):
    if list_name not in rules.LISTS:
        abort(404)
    form = WordsForm()
    if request.method == "GET":
        rows = rules.title_words() if list_name.startswith("title_") else []
        form.words.data = "\n".join(
            (f"{w.word}: {' '.join(w.matches)}" if w.matches else w.word) for w in rows if w.list_name == list_name
        ) if rows else "\n".join(rules.vocabulary(list_name))
    if form.validate_on_submit():
        with refusable() as refused:
            editing.save_words(list_name, form.words.data or "")
        if refused:
            _saved(form, refused.error, form.words)
        else:
            _audit(f"word_list:{list_name}", label("word_list", list_name))
            flash(_("Word list saved."), "success")
            return redirect(url_for("catalog.rules_index"))
    return render_template("catalog/words.html", form=form, list_name=list_name)


@bp.route("/rules/sizes", methods=["GET", "POST"])
@requires("catalog.rules")
def size_classes():
    form = SizeClassesForm()
    if request.method == "GET":
        form.classes.data = "\n".join(f"{n} {b}" if b is not None else n for n, b in rules.size_classes())
    if form.validate_on_submit():
        with refusable() as refused:
            editing.save_size_classes(form.classes.data or "")
        if refused:
            _saved(form, refused.error, form.classes)
        else:
            _audit("size_classes", "")
            flash(_("Size classes saved."), "success")
            return redirect(url_for("catalog.rules_index"))
    return render_template("catalog/sizes.html", form=form)


@bp.route("/rules/platforms/<platform>", methods=["GET", "POST"])
@requires("catalog.rules")
def platform_rule(platform: str):
    rule = session.scalar(select(PlatformRule).where(PlatformRule.platform == platform)) or abort(404)
    form = PlatformRuleForm(obj=rule, data=None if request.method == "POST" else rule.settings)
    if form.validate_on_submit():
        before = {**_snapshot(rule, PLATFORM_RULE_COLUMNS), **{key: (rule.settings or {}).get(key)
                                                                for key in PLATFORM_RULE_SETTINGS}}
        with refusable() as refused:
            editing.save_platform_rule(rule, form.data)
        if refused:
            _saved(form, refused.error, form.title_limit)
        else:
            _audit(f"platform_rule:{rule.id}", label("platform", platform), form, before)
            flash(_("Listing rule saved."), "success")
            return redirect(url_for("catalog.rules_index"))
    return render_template("catalog/platform_rule.html", form=form, rule=rule)


@bp.route("/rules/templates/<path:name>", methods=["GET", "POST"])
@requires("catalog.edit")
def template(name: str):
    if name not in drafts.TEMPLATE_NAMES:
        abort(404)
    form = TemplateForm()
    if request.method == "GET":
        row = session.scalar(select(ListingTemplate).where(ListingTemplate.name == name))
        form.source.data = row.source if row else drafts.builtin_source(name)
    if form.validate_on_submit():
        with refusable() as refused:
            editing.save_template(name, form.source.data)
        if refused:
            _saved(form, refused.error, form.source)
        else:
            _audit(f"template:{name}", name)
            flash(_("Template saved; regenerate drafts to apply it."), "success")
            return redirect(url_for("catalog.rules_index"))
    return render_template("catalog/template.html", form=form, name=name, builtin=drafts.builtin_source(name))

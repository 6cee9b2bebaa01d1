from __future__ import annotations

import os
import uuid

from flask import abort, current_app, flash, redirect, render_template, request, send_file, send_from_directory, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from backoffice import queue
from backoffice.accounts.security import requires
from backoffice.catalog import editing, export, generation, operations, publishing, rules, tasks, titles
from backoffice.catalog.blueprint import bp
from backoffice.catalog.forms import ListingForm, ProductForm
from backoffice.catalog.models import PRODUCT_KINDS, Listing, Product, ProductImage
from backoffice.db import session
from backoffice.errors import OperationError
from backoffice.input_limits import row_id
from backoffice.shops.models import Shop
from backoffice.web.pagination import keyset_page
from backoffice.web.refusals import refusable


@bp.route("/")
@requires("catalog.view")
def index():
    kind = request.args.get("kind")
    query = select(Product).options(selectinload(Product.skus), selectinload(Product.supplier))
    if kind in PRODUCT_KINDS:
        query = query.where(Product.kind == kind)
    page = keyset_page(query, Product.id)
    listings = {}
    if page.items:
        rows = session.scalars(
            select(Listing).options(selectinload(Listing.shop))
            .where(Listing.product_id.in_([p.id for p in page.items]))
        )
        for listing in rows:
            listings.setdefault(listing.product_id, []).append(listing)
    return render_template("catalog/index.html", page=page, kind=kind, kinds=PRODUCT_KINDS, listings=listings)


@bp.route("/regenerate", methods=["POST"])
@requires("catalog.edit")
def regenerate():
    """Regenerate the drafts of the products ticked on the list, as a job with a progress page."""
    ids = sorted({int(i) for i in request.form.getlist("product_id") if i.isdigit()})
    if not ids:
        flash(_("Tick the products whose drafts should be regenerated."), "error")
        return redirect(url_for("catalog.index"))
    token = uuid.uuid4().hex
    queue.enqueue("catalog_regenerate", token, ids, bool(request.form.get("overwrite_edited")))
    return redirect(url_for("catalog.regeneration", token=token))


@bp.route("/regenerate/<token>")
@requires("catalog.edit")
def regeneration(token: str):
    run = tasks.regenerate_run(token)
    template = "catalog/_regenerate_progress.html" if request.headers.get("HX-Request") else "catalog/regenerate.html"
    return render_template(template, run=run, token=token)


@bp.route("/media/<path:name>")
@requires("catalog.view")
def media(name: str):
    return send_from_directory(operations.media_root(), name, max_age=0)


def _choices(list_name: str, blank: bool = True) -> list[tuple[str, str]]:
    words = [(w, w) for w in rules.vocabulary(list_name)]
    return ([("", "—")] if blank else []) + words


@bp.route("/products/<int:product_id>", methods=["GET", "POST"])
@requires("catalog.edit")
def product(product_id: int):
    item = session.get(Product, product_id) or abort(404)
    form = ProductForm(obj=item)
    form.shape.choices, form.material.choices = _choices("shape"), _choices("material")
    form.elements.choices, form.bag_types.choices = _choices("element", False), _choices("bag_type", False)
    for field, value in ((form.shape, item.shape), (form.material, item.material)):
        if value and value not in dict(field.choices):  # a value from 信息.txt outside the list stays choosable
            field.choices.append((value, value))
    if request.method == "GET":
        form.cost.data = item.cost_fen / 100
        form.tags.data = "、".join(item.tags or [])
    if form.validate_on_submit():
        with refusable() as refused:
            editing.update_product(item, form.data)
            if request.form.get("regenerate"):
                outcome, reason = generation.regenerate(item, operations.media_root(),
                                                        overwrite_edited=bool(request.form.get("overwrite_edited")))
                if outcome != "regenerated":
                    raise OperationError(reason, "name")
        if refused:
            getattr(form, refused.field, form.name).errors.append(refused.message)
        else:
            flash(_("Saved; drafts regenerated.") if request.form.get("regenerate") else _("Saved."), "success")
            return redirect(url_for("catalog.product", product_id=product_id))
    listings = session.scalars(select(Listing).options(selectinload(Listing.shop))
                               .where(Listing.product_id == product_id).order_by(Listing.id)).all()
    return render_template("catalog/product.html", product=item, form=form, listings=listings)


@bp.route("/listings/<int:listing_id>", methods=["GET", "POST"])
@requires("catalog.edit")
def listing(listing_id: int):
    item = session.get(Listing, listing_id) or abort(404)
    form = ListingForm(obj=item)
    if request.method == "GET":
        form.main_sources.data = "\n".join((item.images or {}).get("main_sources", []))
    if form.validate_on_submit():
        sources = [s for s in (form.main_sources.data or "").splitlines() if s.strip()]
        with refusable() as refused:
            editing.update_listing(item, operations.media_root(), title=form.title.data.strip(),
                                   description=(form.description.data or "").strip(), status=form.status.data,
                                   main_sources=sources)
        if refused:
            getattr(form, refused.field, form.title).errors.append(refused.message)
        else:
            flash(_("Draft saved."), "success")
            return redirect(url_for("catalog.listing", listing_id=listing_id))
    rule = rules.platform_rule(item.shop.platform)
    photos = session.scalars(select(ProductImage).where(ProductImage.product_id == item.product_id,
                                                        ProductImage.role != "video")
                             .order_by(ProductImage.role, ProductImage.id)).all()
    chosen = [s for s in (form.main_sources.data or "").splitlines() if s.strip()]
    platform = item.shop.platform
    return render_template("catalog/listing.html", listing=item, form=form, rule=rule, photos=photos, chosen=chosen,
                           length=titles.title_length(form.title.data or "", rule.cjk_weight),
                           publishable=publishing.publishable(platform),
                           shops=publishing.connected_shops(platform) if publishing.publishable(platform) else [],
                           attempt=publishing.last_attempt(item.id))


def _media_url() -> str:
    """Where the platforms fetch the images: BACKOFFICE_PUBLIC_URL, else the address this page was asked at."""
    base = current_app.config.get("PUBLIC_URL") or os.environ.get("BACKOFFICE_PUBLIC_URL") or request.url_root
    return base.rstrip("/") + generation.MEDIA_URL


@bp.route("/listings/<int:listing_id>/publish", methods=["POST"])
@requires("catalog.edit")
def publish(listing_id: int):
    item = session.get(Listing, listing_id) or abort(404)
    shop_id = request.form.get("shop_id", "")
    with refusable() as refused:
        publishing.publish(item, row_id(shop_id) or 0, _media_url(), current_user)
    if refused:
        flash(refused.message, "error")
    else:
        session.commit()
        flash(_("Handed to the platform; the listing shows its item number once published."), "success")
    return redirect(url_for("catalog.listing", listing_id=listing_id))


@bp.route("/listings/<int:listing_id>/preview")
@requires("catalog.view")
def preview(listing_id: int):
    item = session.get(Listing, listing_id) or abort(404)
    rule = rules.platform_rule(item.shop.platform)
    return render_template("catalog/preview.html", listing=item, rule=rule,
                           length=titles.title_length(item.title, rule.cjk_weight))


@bp.route("/export.xlsx")
@requires("catalog.view")
def export_drafts():
    platform = request.args.get("platform", "taobao")
    statuses = request.args.getlist("status") or ["draft", "ready"]
    shops = session.scalars(select(Shop).where(Shop.platform == platform)).all()
    if not shops:
        abort(404)
    data = export.workbook(platform, [s.id for s in shops], statuses)
    return send_file(data, as_attachment=True, download_name=f"{platform}-listings.xlsx",
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")



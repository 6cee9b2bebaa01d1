from __future__ import annotations

from flask import Blueprint, render_template, request
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from backoffice.catalog.models import PRODUCT_KINDS, Listing, Product
from backoffice.db import session
from backoffice.web.pagination import keyset_page
from backoffice.web.security import requires

bp = Blueprint("catalog", __name__, url_prefix="/catalog", template_folder="templates")


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

"""Generating a product's listing drafts (images, title, description, detail page) for each
platform, and regenerating them; only flushes."""
from __future__ import annotations

from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import select

from backoffice.catalog import codes as codes_mod
from backoffice.catalog import drafts, media_swap, rules, titles
from backoffice.catalog.images import RenderJob, render, run_all
from backoffice.catalog.labels import label
from backoffice.catalog.models import Listing, ListingTemplate, Product, ProductImage
from backoffice.catalog.selection import Photo, Selection
from backoffice.catalog.selection import select as select_photos
from backoffice.db import session
from backoffice.errors import OperationError
from backoffice.money import fen_to_yuan
from backoffice.shops.models import Shop
from backoffice.timeutil import to_local, utcnow

DRAFT_PLATFORMS = ("taobao", "mogujie")  # Pinduoduo and Douyin follow with their PlatformRule rows
DETAIL_WIDTH = 750
MEDIA_URL = "/catalog/media/"


def product_photos(product: Product) -> list[Photo]:
    rows = session.scalars(select(ProductImage).where(ProductImage.product_id == product.id,
                                                      ProductImage.role != "video").order_by(ProductImage.id))
    return [Photo(r.path, r.role, r.color, r.width, r.height, r.dhash, r.white_background) for r in rows]


def _shop_for(platform: str, store: str | None) -> Shop | None:
    q = select(Shop).where(Shop.platform == platform, Shop.active.is_(True)).order_by(Shop.id)
    if store and platform == "taobao":
        q = q.where(Shop.name == store)
    return session.scalars(q).first()


def generate_drafts(product: Product, media_root: Path, *, store: str | None = None, workers: int = 1,
                    photos: list[Photo] | None = None, keep_published: bool = False) -> dict:
    """(Re)generate the Taobao and Mogujie drafts of a product: images, title, description, detail page.

    A published listing refuses regeneration; with ``keep_published`` nothing is regenerated and a warning
    says why (a unique item added to a published 888888 goes out with publishing).
    """
    if store and _shop_for("taobao", store) is None:
        raise OperationError(_("There is no Taobao store named %(name)s.", name=store), "store")
    if keep_published and session.scalar(select(Listing.id).where(Listing.product_id == product.id,
                                                                  Listing.status.not_in(("draft", "ready")))):
        return {"product": _product_summary(product), "listing_code": product.listing_code,
                "sku_codes": {s.color: s.code for s in product.skus}, "platforms": {}, "reasons": [],
                "warnings": [_("A listing of %(code)s is already published: its drafts were not regenerated.",
                               code=product.listing_code)]}
    src_prefix = f"products/{product.listing_code}/src/"
    stored = product_photos(product)
    photos = [Photo(src_prefix + p.name, p.role, p.color, p.width, p.height, p.dhash, p.white_background)
              for p in photos] if photos is not None else stored
    colours = [s.color for s in product.skus]
    rules_by = {p: rules.platform_rule(p) for p in DRAFT_PLATFORMS}
    tb, mg = rules_by["taobao"], rules_by["mogujie"]
    detail_counts = tb.settings.get("detail", {})
    chosen: Selection = select_photos(photos, colours, taobao_count=tb.main_max, mogujie_min=mg.main_min,
                                      mogujie_max=mg.main_max, detail_counts=detail_counts)
    out = f"listings/{product.listing_code}"
    staged = media_swap.staging_dir(media_root / out)  # the images in use stay until the new ones are all made
    jobs, plan = [], {"taobao": {"main": [], "sku": {}, "detail": []}, "mogujie": {"main": [], "sku": {}, "detail": []}}

    def job(src, dest, rule_w, rule_h, fit, kb):
        jobs.append(RenderJob(str(media_root / src), str(staged / Path(dest).relative_to(out)), rule_w, rule_h, fit,
                              kb * 1024))
        return dest

    plan["taobao"]["video"] = main_video(session.scalars(select(ProductImage.path).where(
        ProductImage.product_id == product.id, ProductImage.role == "video").order_by(ProductImage.id)).all())
    plan["taobao"]["main_sources"] = chosen.taobao_main
    plan["mogujie"]["main_sources"] = chosen.mogujie_covers
    for i, src in enumerate(chosen.taobao_main, 1):
        plan["taobao"]["main"].append(job(src, f"{out}/taobao/main-{i:02d}.jpg", tb.image_width, tb.image_height,
                                          tb.fit, tb.max_image_kb))
    overrides = rules.pinyin_overrides()
    for colour, src in chosen.taobao_sku.items():
        dest = job(src, f"{out}/taobao/sku-{codes_mod.pinyin(colour, overrides)}.jpg", tb.image_width,
                   tb.image_height, tb.fit, tb.max_image_kb)
        plan["taobao"]["sku"][colour] = plan["mogujie"]["sku"][colour] = dest
    for i, src in enumerate(chosen.mogujie_covers, 1):
        plan["mogujie"]["main"].append(job(src, f"{out}/mogujie/cover-{i:02d}.jpg", mg.image_width, mg.image_height,
                                           mg.fit, mg.max_image_kb))
    for i, src in enumerate(chosen.detail, 1):
        dest = job(src, f"{out}/detail/detail-{i:02d}.jpg", DETAIL_WIDTH, None, "crop", min(tb.max_image_kb, mg.max_image_kb))
        plan["taobao"]["detail"].append(dest)
        plan["mogujie"]["detail"].append(dest)
    try:
        run_all(render, jobs, workers)
    except BaseException:
        media_swap.discard(staged)
        raise
    media_swap.swap_in(media_root / out, staged)
    for sku in product.skus:
        sku.image_path = plan["taobao"]["sku"].get(sku.color)

    result = {"product": _product_summary(product), "listing_code": product.listing_code,
              "sku_codes": {s.color: s.code for s in product.skus}, "platforms": {},
              "warnings": chosen.warnings, "reasons": chosen.reasons}
    for platform in DRAFT_PLATFORMS:
        shop = _shop_for(platform, store)
        if shop is None:
            result["warnings"].append(_("No %(platform)s store is set up: no draft made for it.", platform=platform))
            continue
        listing = _draft(product, shop, rules_by[platform], plan[platform])
        result["platforms"][platform] = {
            "shop": shop.name, "title": listing.title, "status": listing.status,
            "prices": {s.color: fen_to_yuan(s.price_fen) for s in product.skus},
            "images": listing.images,
        }
    return result


def regenerate(product: Product, media_root: Path, *, overwrite_edited: bool = False) -> tuple[str, str | None]:
    """Batch regeneration of one product's drafts from the current rules and templates.

    Returns (outcome, reason): "regenerated"; "kept" when a draft was edited by hand and the staff did not
    confirm overwriting it (the product's drafts share their images, so the whole product is kept);
    "refused" when a listing is published or the rules cannot make the drafts.
    """
    listings = session.scalars(select(Listing).where(Listing.product_id == product.id)).all()
    published = [li for li in listings if li.status not in ("draft", "ready")]
    if published:
        return "refused", _("The %(platform)s listing is %(status)s; only drafts are regenerated.",
                            platform=label("platform", published[0].shop.platform),
                            status=label("listing_status", published[0].status))
    edited = [li for li in listings if li.edited_at is not None]
    if edited and not overwrite_edited:
        return "kept", _("The %(platform)s draft was edited by hand on %(when)s; kept as it is.",
                         platform=label("platform", edited[0].shop.platform),
                         when=to_local(edited[0].edited_at).strftime("%Y-%m-%d %H:%M"))
    try:
        with session.begin_nested():
            generate_drafts(product, media_root)
    except OperationError as exc:
        return "refused", exc.message
    return "regenerated", None


def main_video(paths: list[str]) -> str | None:
    """The Taobao main video (主图视频): the first named or filed under 主图 (主图视频.mp4, 主图/x.mov),
    else the folder's first video."""
    return next((p for p in paths if "主图" in p), paths[0] if paths else None)


def _product_summary(product: Product) -> dict:
    return {"supplier": product.supplier.name, "model": product.model, "kind": product.kind,
            "streamer": product.streamer_name, "name": product.name, "cost": fen_to_yuan(product.cost_fen),
            "size_class": product.size_class, "shape": product.shape, "material": product.material,
            "elements": product.elements, "bag_types": product.bag_types}


def product_title(product: Product, rule) -> titles.Title:
    prefix = codes_mod.STREAMER_TITLE.format(streamer=product.streamer_name) if product.kind == "streamer" else ""
    if product.kind == "flash":
        prefix = (product.source_folder or product.name).strip()
    attrs = [product.shape, product.material, product.size_class, *(product.elements or []),
             *(product.bag_types or []), *(s.size for s in product.skus)]
    return titles.build_title(prefix, attrs, rules.title_words(), limit=rule.title_limit,
                              cjk_weight=rule.cjk_weight, year=to_local(utcnow()).year)


def _draft(product: Product, shop: Shop, rule, images: dict) -> Listing:
    title = product_title(product, rule)
    listing = session.scalar(select(Listing).where(Listing.product_id == product.id, Listing.shop_id == shop.id))
    if listing is None:
        listing = Listing(product=product, shop=shop, status="draft", title=title.text)
        session.add(listing)
    elif listing.status not in ("draft", "ready"):
        raise OperationError(_("The %(platform)s listing is %(status)s; only drafts are regenerated.",
                               platform=shop.platform, status=listing.status))
    listing.title = title.text
    listing.images = images
    listing.edited_at = None  # a freshly generated draft: no hand edits to keep
    settings = dict(rule.settings)
    settings.pop("detail", None)
    if product.kind == "flash":
        settings.update(delayed_shipping=bool(rule.settings.get("delayed_shipping_for_flash")),
                        buyer_chooses_courier=False)
    if product.kind == "unique":
        settings["returns"] = "original packaging required"
    listing.settings = settings
    rendered = render_texts(product, listing, shop.platform)
    listing.description, listing.detail_html = rendered["description"], rendered["detail_html"]
    session.flush()
    return listing


def render_texts(product: Product, listing: Listing, platform: str) -> dict:
    overrides = dict(session.execute(select(ListingTemplate.name, ListingTemplate.source)).all())
    dims = [d for d in (product.length_cm, product.width_cm, product.height_cm) if d is not None]
    context = {"title": listing.title, "product": _product_summary(product), "settings": listing.settings,
               "sizes": sorted({s.size for s in product.skus if s.size}), "dimensions": "×".join(str(d) for d in dims),
               "detail_images": [MEDIA_URL + p for p in (listing.images or {}).get("detail", [])]}
    return drafts.render(platform, context, overrides)

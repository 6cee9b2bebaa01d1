"""Operations behind the listing staff's forms: product attributes, listing drafts, rule tables.

Like operations.py, they only flush; a bad value raises OperationError naming the field.
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import delete, select

from backoffice.catalog import drafts, pricing, rules, sizes, titles
from backoffice.catalog.generation import render_texts
from backoffice.catalog.images import RenderJob, render, run_all
from backoffice.catalog.models import (
    Listing,
    ListingTemplate,
    PinyinOverride,
    PlatformRule,
    Product,
    ProductImage,
    SizeClass,
    StorePriceFormula,
    Supplier,
    VocabularyWord,
)
from backoffice.db import session
from backoffice.errors import OperationError
from backoffice.money import yuan_to_fen
from backoffice.timeutil import utcnow


def product_tags(text: str) -> list[str]:
    """Shipping tags as typed (易碎、超大), each once, in the order given."""
    tags = list(dict.fromkeys(t for t in re.split(r"[\s,，、;；]+", text) if t))
    too_long = next((t for t in tags if len(t) > 16), None)
    if too_long:
        raise OperationError(_("Tag «%(tag)s» is longer than 16 characters.", tag=too_long), "tags")
    return tags


def update_product(product: Product, data: dict) -> None:
    """Attributes as edited; the new cost is priced again by the formula that priced the product."""
    for key in ("name", "length_cm", "width_cm", "height_cm", "weight_g", "structure"):
        setattr(product, key, data.get(key) or None)
    product.name = data["name"]
    product.shape, product.material = data.get("shape") or None, data.get("material") or None
    product.elements, product.bag_types = list(data.get("elements") or []), list(data.get("bag_types") or [])
    product.tags = product_tags(data.get("tags") or "")
    product.cost_fen = yuan_to_fen(data["cost"])
    price, _store = rules.product_price(product.supplier, product.cost_fen, product.weight_g, product.priced_for)
    # flash-sale prices are set by hand in the livestream; each unique item was priced from its own cost
    if product.kind not in ("flash", "unique"):
        for sku in product.skus:
            sku.price_fen = price.fen
    dims = (product.length_cm, product.width_cm, product.height_cm)
    product.size_class = sizes.size_class(dims, rules.size_classes())[0]
    session.flush()


def update_listing(listing: Listing, media_root: Path, *, title: str, description: str, status: str,
                   main_sources: list[str]) -> None:
    rule = rules.platform_rule(listing.shop.platform)
    length = titles.title_length(title, rule.cjk_weight)
    if length > rule.title_limit:
        raise OperationError(_("The title is %(n)s long; %(platform)s allows %(limit)s (a Chinese character counts "
                               "%(w)s).", n=length, platform=listing.shop.platform, limit=rule.title_limit,
                               w=rule.cjk_weight), "title")
    if status not in ("draft", "ready"):
        raise OperationError(_("Unknown status."), "status")
    if listing.status not in ("draft", "ready"):
        raise OperationError(_("Only drafts can be edited here."), "status")
    images = dict(listing.images or {})
    if main_sources != (images.get("main_sources") or []):
        known = set(session.scalars(select(ProductImage.path).where(ProductImage.product_id == listing.product_id)))
        unknown = [s for s in main_sources if s not in known]
        if unknown:
            raise OperationError(_("Unknown image %(name)s.", name=unknown[0]), "main_sources")
        if not rule.main_min <= len(main_sources) <= rule.main_max:
            raise OperationError(_("Pick %(low)s to %(high)s main images; %(n)s are picked.", low=rule.main_min,
                                   high=rule.main_max, n=len(main_sources)), "main_sources")
        if len(set(main_sources)) != len(main_sources):
            raise OperationError(_("An image is picked twice."), "main_sources")
        stem = "main" if listing.shop.platform == "taobao" else "cover"
        base = f"listings/{listing.product.listing_code}/{listing.shop.platform}"
        outputs = [f"{base}/{stem}-{i:02d}.jpg" for i in range(1, len(main_sources) + 1)]
        jobs = [RenderJob(str(media_root / s), str(media_root / o), rule.image_width, rule.image_height, rule.fit,
                          rule.max_image_kb * 1024) for s, o in zip(main_sources, outputs)]
        for old in images.get("main", []):
            (media_root / old).unlink(missing_ok=True)
        run_all(render, jobs, 1)
        images.update(main=outputs, main_sources=main_sources)
        listing.images = images
    listing.title, listing.description, listing.status = title, description or title, status
    listing.edited_at = utcnow()  # batch regeneration keeps this draft unless the staff confirm overwriting it
    rendered = render_texts(listing.product, listing, listing.shop.platform)
    listing.detail_html = rendered["detail_html"]
    session.flush()


# -- rule tables ------------------------------------------------------------------
def save_supplier(supplier: Supplier | None, data: dict) -> Supplier:
    formula = (data.get("price_formula") or "").strip() or None
    if formula:
        try:
            pricing.parse(formula)
        except pricing.FormulaError as exc:
            raise OperationError(str(exc), "price_formula") from exc
    clash = session.scalar(select(Supplier).where(Supplier.name == data["name"]))
    if clash is not None and clash is not supplier:
        raise OperationError(_("A supplier named %(name)s exists already.", name=data["name"]), "name")
    if supplier is None:
        supplier = Supplier(name=data["name"], pinyin_code=data["pinyin_code"])
        session.add(supplier)
    supplier.name, supplier.pinyin_code, supplier.price_formula = data["name"], data["pinyin_code"], formula
    supplier.rounding_step_fen, supplier.rounding_mode = data["rounding_step_fen"], data["rounding_mode"]
    supplier.flash_prefix = (data.get("flash_prefix") or "").upper() or None
    session.flush()
    return supplier


def save_store_formula(row: StorePriceFormula | None, data: dict) -> StorePriceFormula:
    """A Taobao store's own formula; products imported for the store are priced by it, not the supplier's."""
    try:
        pricing.parse(data["formula"])
    except pricing.FormulaError as exc:
        raise OperationError(str(exc), "formula") from exc
    clash = session.scalar(select(StorePriceFormula).where(StorePriceFormula.platform == "taobao",
                                                           StorePriceFormula.store == data["store"]))
    if clash is not None and clash is not row:
        raise OperationError(_("The store %(name)s has a formula already.", name=data["store"]), "store")
    if row is None:
        row = StorePriceFormula(platform="taobao", store=data["store"], formula="")
        session.add(row)
    row.store, row.formula = data["store"], data["formula"].strip()
    row.rounding_step_fen, row.rounding_mode = data["rounding_step_fen"], data["rounding_mode"]
    session.flush()
    return row


def formula_preview(formula: str, step_fen: int, mode: str, costs=(10, 12, 20, 30, 38, 50, 80),
                    field: str = "price_formula") -> list[tuple]:
    """Cost -> price rows for the supplier form; raises OperationError on a bad formula."""
    try:
        parsed = pricing.parse(formula)
        return [(yuan_to_fen(c), pricing.price_fen(parsed, yuan_to_fen(c), step_fen=step_fen, mode=mode).fen)
                for c in costs]
    except pricing.FormulaError as exc:
        raise OperationError(str(exc), field) from exc


def add_pinyin_override(word: str, syllables: str) -> PinyinOverride:
    row = session.scalar(select(PinyinOverride).where(PinyinOverride.word == word.strip()))
    if row is None:
        row = PinyinOverride(word=word.strip(), pinyin="")
        session.add(row)
    row.pinyin = " ".join(syllables.lower().split())
    session.flush()
    return row


def delete_pinyin_override(override_id: int) -> None:
    session.execute(delete(PinyinOverride).where(PinyinOverride.id == override_id))


def save_words(list_name: str, text: str) -> int:
    """Replace a word list. Title lists take ``word: value value`` (the attributes that call for it)."""
    if list_name not in rules.LISTS:
        raise OperationError(_("Unknown word list."), "words")
    rows, seen = [], set()
    for n, line in enumerate(text.splitlines(), 1):
        word, _sep, matches = line.partition(":") if ":" in line else line.partition("：")
        word = word.strip()
        if not word:
            continue
        if word in seen:
            raise OperationError(_("Line %(n)s: %(word)s is listed twice.", n=n, word=word), "words")
        if len(word) > 32:
            raise OperationError(_("Line %(n)s: the word is longer than 32 characters.", n=n), "words")
        if matches.strip() and list_name not in titles.LIST_ORDER:
            raise OperationError(_("Line %(n)s: only title word lists take attributes after a colon.", n=n), "words")
        seen.add(word)
        rows.append(VocabularyWord(list_name=list_name, word=word, position=len(rows), matches=matches.split()))
    session.execute(delete(VocabularyWord).where(VocabularyWord.list_name == list_name))
    session.add_all(rows)
    session.flush()
    return len(rows)


def save_size_classes(text: str) -> None:
    parsed = []
    for n, line in enumerate(text.splitlines(), 1):
        parts = line.split()
        if not parts:
            continue
        try:
            below = Decimal(parts[1]) if len(parts) > 1 else None
        except InvalidOperation:
            raise OperationError(_("Line %(n)s: %(value)s is not a length in cm.", n=n, value=parts[1]), "classes")
        parsed.append((parts[0], below))
    bounds = [b for _n, b in parsed if b is not None]
    if not parsed or parsed[-1][1] is not None or len(bounds) != len(parsed) - 1 or bounds != sorted(set(bounds)):
        raise OperationError(_("List the classes from small to large with rising lengths; the last one has no "
                               "length."), "classes")
    session.execute(delete(SizeClass))
    session.add_all([SizeClass(name=name, below_cm=below) for name, below in parsed])
    session.flush()


PLATFORM_RULE_COLUMNS = ("title_limit", "cjk_weight", "image_width", "image_height", "main_min", "main_max",
                         "max_image_kb", "fit")
PLATFORM_RULE_SETTINGS = ("category", "shipping_template", "stock_reduction", "service", "package", "shop_categories",
                          "delayed_shipping_for_flash", "category_id", "ships_from_province", "ships_from_city")


def save_platform_rule(rule: PlatformRule, data: dict) -> None:
    if data["main_min"] > data["main_max"]:
        raise OperationError(_("The least number of main images is above the most."), "main_min")
    for key in PLATFORM_RULE_COLUMNS:
        setattr(rule, key, data[key])
    settings = dict(rule.settings or {})
    for key in PLATFORM_RULE_SETTINGS:
        settings[key] = data[key] if not isinstance(data[key], str) else data[key].strip()
    rule.settings = settings
    session.flush()


def save_template(name: str, source: str) -> None:
    if name not in drafts.TEMPLATE_NAMES:
        raise OperationError(_("Unknown template."), "source")
    row = session.scalar(select(ListingTemplate).where(ListingTemplate.name == name))
    if re.sub(r"\s+", "", source) == re.sub(r"\s+", "", drafts.builtin_source(name)):
        if row is not None:  # back to the shipped template
            session.delete(row)
        session.flush()
        return
    error = drafts.check(name, source)
    if error:
        raise OperationError(_("The template does not render: %(error)s", error=error), "source")
    if row is None:
        row = ListingTemplate(name=name, source=source)
        session.add(row)
    row.source = source
    session.flush()


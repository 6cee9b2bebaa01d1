"""Catalog operations: importing a supplier folder and generating listing drafts.

The only code of the catalog that changes data. It flushes and never commits;
an import either completes or raises ImportRefused with every problem found,
before anything is written (files written are removed again on any error).
"""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import select

from backoffice.catalog import codes as codes_mod
from backoffice.catalog import rules, sizes
from backoffice.catalog.folders import (
    IGNORED,
    IMAGE_SUFFIXES,
    INFO_FILE,
    MIN_SIDE,
    MIN_SIDE_PHOTO,
    VIDEO_SUFFIXES,
    FolderError,
    classify_name,
    parse_folder_name,
    parse_info,
)
from backoffice.catalog.generation import generate_drafts
from backoffice.catalog.images import Analysis, analyze, default_workers, run_all
from backoffice.catalog.models import Product, ProductImage, Sku
from backoffice.catalog.selection import Photo, role_by_analysis
from backoffice.db import session
from backoffice.errors import OperationError
from backoffice.money import AmountError, yuan_to_fen

DEFAULT_STOCK = {"normal": 1000, "streamer": 1000, "unique": 1}
UNIQUE_NAME = "孤品"  # the one product gathering every unique item, listing 888888


@dataclass(frozen=True)
class Problem:
    file: str | None
    message: str


class ImportRefused(OperationError):
    def __init__(self, problems: list[Problem]):
        super().__init__(_("The folder was not imported: %(n)s problem(s).", n=len(problems)))
        self.problems = problems


@dataclass
class Scan:
    name: object = None  # FolderName
    photos: list[Photo] = field(default_factory=list)
    colors: list[str] = field(default_factory=list)
    quantities: dict[str, int] = field(default_factory=dict)
    info: dict = field(default_factory=dict)
    videos: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def scan_folder(folder: Path, workers: int) -> Scan:
    """Read and analyse a supplier folder; collect every problem, change nothing."""
    scan = Scan()
    try:
        scan.name = parse_folder_name(folder.name, rules.flash_prefixes())
    except FolderError as exc:
        scan.problems.append(Problem(folder.name, str(exc)))
    images, named = [], {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(folder).as_posix()
        suffix = path.suffix.lower()
        if path.name.lower() in IGNORED or path.name.startswith("._"):
            continue
        if path.name == INFO_FILE:
            info, bad = parse_info(path.read_text(encoding="utf-8", errors="replace"))
            scan.info.update(info)
            scan.problems += [Problem(rel, m) for m in bad]
        elif suffix in VIDEO_SUFFIXES:
            scan.videos.append(rel)
        elif suffix in IMAGE_SUFFIXES:
            images.append(str(path))
            named[str(path)] = classify_name(rel)
        else:
            scan.problems.append(Problem(rel, _("Unsupported file type %(suffix)s.", suffix=suffix or path.name)))
    if not images:
        scan.problems.append(Problem(folder.name, _("The folder holds no images.")))
    for a in run_all(analyze, images, workers):
        _add_photo(scan, folder, a, named[a.path])
    _check_colours(scan)
    return scan


def _add_photo(scan: Scan, folder: Path, a: Analysis, n) -> None:
    if a.error:
        reason = {"unreadable": _("not an image file Pillow knows"), "bomb": _("far too many pixels")}.get(
            a.error, _("the file is damaged or cut off"))
        scan.problems.append(Problem(n.path, _("Cannot read the image: %(error)s", error=reason)))
        return
    role = n.role or role_by_analysis(a.width, a.height, a.white_background)
    least = MIN_SIDE.get(role, MIN_SIDE_PHOTO)
    if min(a.width, a.height) < least:
        scan.problems.append(Problem(n.path, _("Image too small: %(w)s×%(h)s, the shorter side needs %(min)s px.",
                                               w=a.width, h=a.height, min=least)))
        return
    scan.photos.append(Photo(n.path, role, n.color, a.width, a.height, a.dhash, a.white_background))
    if role == "color" and n.color:
        if n.color not in scan.colors:
            scan.colors.append(n.color)
        if n.quantity is not None:
            scan.quantities[n.color] = n.quantity


def _check_colours(scan: Scan) -> None:
    if scan.photos and not scan.colors:
        scan.problems.append(Problem(None, _("No colour image (颜色图): name one image per colour, e.g. 颜色-黑色.jpg.")))
    for colour in dict.fromkeys(p.color for p in scan.photos if p.color):
        if colour not in scan.colors:
            photo = next(p.name for p in scan.photos if p.color == colour)
            scan.problems.append(Problem(photo, _("The colour %(colour)s has photos but no colour image "
                                                   "(颜色-%(colour)s.jpg).", colour=colour)))


def import_folder(folder: Path, media_root: Path, *, store: str | None = None, cost_fen: int | None = None,
                  workers: int | None = None) -> dict:
    """Import one supplier folder into products, SKUs, images and listing drafts."""
    workers = workers or default_workers()
    scan = scan_folder(folder, workers)
    problems = scan.problems
    name = scan.name
    supplier = None
    if name is not None:
        try:
            supplier = rules.supplier_named(name.supplier)
        except OperationError as exc:
            problems.append(Problem(folder.name, exc.message))
    if cost_fen is None and "cost" in scan.info:
        try:
            cost_fen = yuan_to_fen(scan.info["cost"])
        except AmountError as exc:
            problems.append(Problem("信息.txt", _("Cost %(value)s: %(reason)s", value=scan.info["cost"],
                                                  reason=exc.reason)))
    if cost_fen is None:
        problems.append(Problem(None, _("No cost (拿货价): enter it on the form or write 拿货价: 38 in 信息.txt.")))
    if problems:
        raise ImportRefused(problems)

    overrides = rules.pinyin_overrides()
    unique = find_unique_product() if name.kind == "unique" else None
    number = name.number if name.kind == "flash" else (next_unique_number() if name.kind == "unique" else None)
    try:
        codes = codes_mod.make_codes(codes_mod.CodeRequest(supplier.pinyin_code, name.model, name.kind, name.streamer,
                                                           number, tuple(scan.colors)), overrides)
    except codes_mod.CodeError as exc:
        raise ImportRefused([Problem(folder.name, str(exc))]) from exc
    # unique items (孤品) all share the listing 888888: each folder adds its SKU 888888-<n> to it
    problems += code_clashes(None if unique else codes.listing_code, list(codes.sku_codes.values()))
    try:
        price, priced_for = rules.product_price(supplier, cost_fen, scan.info.get("weight_g"), store)
    except OperationError as exc:
        problems.append(Problem(None, exc.message))
    if problems:
        raise ImportRefused(problems)

    dims = scan.info.get("dimensions") or []
    size_class, _reason = sizes.size_class(dims, rules.size_classes())
    listed = sizes.listed_sizes(False)
    attrs = _attributes_from(folder.name, scan.info)
    product = unique or Product(
        supplier=supplier, model=codes.listing_code if name.kind == "unique" else name.model, kind=name.kind,
        streamer_name=name.streamer, number=number,
        name=UNIQUE_NAME if name.kind == "unique" else (name.title_base or f"{name.supplier} {name.model}"),
        listing_code=codes.listing_code, cost_fen=cost_fen,
        length_cm=dims[0] if len(dims) > 0 else None, width_cm=dims[1] if len(dims) > 1 else None,
        height_cm=dims[2] if len(dims) > 2 else None, weight_g=scan.info.get("weight_g"),
        material=attrs["material"], shape=attrs["shape"], structure=scan.info.get("structure"),
        elements=attrs["elements"], bag_types=attrs["bag_types"], size_class=size_class, source_folder=folder.name,
        priced_for=priced_for,
    )
    if unique is None:
        session.add(product)
    warnings = []
    labels = {}  # the scan's colour -> the SKU's colour
    for colour, code in codes.sku_codes.items():
        if name.kind == "flash":
            qty = scan.quantities.get(colour, 0)
            if colour not in scan.quantities:
                warnings.append(_("No stock for %(colour)s in its colour image's name, e.g. %(colour)s(12).jpg; "
                                  "set to 0.", colour=colour))
        else:
            qty = DEFAULT_STOCK[name.kind]
        labels[colour] = unique_label(number, colour) if name.kind == "unique" else colour
        product.skus.append(Sku(code=code, color=labels[colour], size=listed[0], price_fen=price.fen, on_hand=qty))

    # each unique item keeps its photos apart, under its number: the listing 888888 gathers all of them
    src = f"products/{codes.listing_code}/src" + (f"/{number}" if name.kind == "unique" else "")
    target = media_root / src
    # no product has these codes (checked above): files here are left from an import that was rolled back
    shutil.rmtree(target, ignore_errors=True)
    try:
        _store_sources(folder, target, scan)
        for p in scan.photos:
            session.add(ProductImage(product=product, path=f"{src}/{p.name}", original_name=p.name, role=p.role,
                                     color=labels.get(p.color, p.color), width=p.width, height=p.height,
                                     dhash=p.dhash, white_background=p.white_background))
        for rel in scan.videos:  # kept for the Taobao main video; not a photo, so no size or hash
            session.add(ProductImage(product=product, path=f"{src}/{rel}", original_name=rel, role="video",
                                     width=0, height=0, dhash="0" * 16))
        session.flush()
        # 888888's drafts come from every item's stored photos; once published, it is left to publishing
        is_unique = name.kind == "unique"
        result = generate_drafts(product, media_root, store=store, workers=workers,
                                 photos=None if is_unique else scan.photos, keep_published=is_unique)
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        if unique is None:
            shutil.rmtree(media_root / "listings" / codes.listing_code, ignore_errors=True)
        raise
    result["warnings"] = warnings + result["warnings"]
    result["added_sku_codes"] = {labels[c]: code for c, code in codes.sku_codes.items()}
    return result


def find_unique_product() -> Product | None:
    return session.scalar(select(Product).where(Product.listing_code == codes_mod.UNIQUE_CODE))


def next_unique_number() -> int:
    """The next n of 888888-<n>: one above every unique item's number so far."""
    taken = session.scalars(select(Sku.code).where(Sku.code.like(f"{codes_mod.UNIQUE_CODE}-%")))
    numbers = [int(c.split("-", 1)[1]) for c in taken if c.split("-", 1)[1].isdigit()]
    return max(numbers, default=0) + 1


def unique_label(number: int, colour: str) -> str:
    """A unique item's SKU name on the shared listing: 2号黑色 (two items may share a colour)."""
    return f"{number}号{colour}"


def code_clashes(listing_code: str | None, sku_codes: list[str], product_id: int | None = None) -> list[Problem]:
    """A code already taken is an error on the form, never a silent suffix (listing_code None: not checked)."""
    found = []
    q = select(Product.listing_code).where(Product.listing_code == listing_code)
    if product_id:
        q = q.where(Product.id != product_id)
    if listing_code is not None and session.scalar(q):
        found.append(Problem(None, _("The listing code %(code)s is already used by another product.", code=listing_code)))
    q = select(Sku.code).where(Sku.code.in_(sku_codes))
    if product_id:
        q = q.where(Sku.product_id != product_id)
    for code in session.scalars(q):
        found.append(Problem(None, _("The SKU code %(code)s is already used by another product.", code=code)))
    return found


def _attributes_from(folder_name: str, info: dict) -> dict:
    """Attributes from 信息.txt, else the vocabulary words the folder's name contains."""
    def found(list_name):
        return [w for w in rules.vocabulary(list_name) if w in folder_name]

    return {
        "shape": info.get("shape") or next(iter(found("shape")), None),
        "material": info.get("material") or next(iter(found("material")), None),
        "elements": info.get("elements") or found("element"),
        "bag_types": info.get("bag_types") or found("bag_type"),
    }


def _store_sources(folder: Path, dest: Path, scan: Scan) -> None:
    """Keep the source photos for the editor's picker: a hard link where possible, else a copy."""
    for rel in [p.name for p in scan.photos] + scan.videos:
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(folder / rel, target)
        except OSError:
            shutil.copy2(folder / rel, target)


def media_root() -> Path:
    """Source photos and generated images live in <instance>/media, served at MEDIA_URL."""
    from flask import current_app

    return Path(current_app.instance_path) / "media"

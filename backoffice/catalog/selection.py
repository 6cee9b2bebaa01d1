"""Which photos go where (SPEC §1.4): pure functions over analysed photos.

Near-duplicates (difference hashes within ``DUPLICATE_BITS``) are never both
picked; "varied" means round-robin over colours, taking in each colour the
photo least like those already chosen.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from flask_babel import gettext as _

from backoffice.catalog.images import distance

DUPLICATE_BITS = 10  # of 64: closer than this is the same shot


@dataclass(frozen=True)
class Photo:
    name: str  # relative path in the supplier folder
    role: str
    color: str | None
    width: int
    height: int
    dhash: str
    white_background: bool = False


@dataclass
class Selection:
    taobao_main: list[str]
    taobao_sku: dict[str, str]
    mogujie_covers: list[str]
    detail: list[str]
    reasons: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def varied(photos: Sequence[Photo], n: int, chosen: Sequence[Photo] = ()) -> list[Photo]:
    """Up to n photos, spread over colours, no near-duplicate of each other or of ``chosen``."""
    taken = list(chosen)
    groups: dict[str | None, list[Photo]] = {}
    for p in photos:
        groups.setdefault(p.color, []).append(p)
    picked: list[Photo] = []
    while len(picked) < n and any(groups.values()):
        for colour in list(groups):
            pool = [p for p in groups[colour] if all(distance(p.dhash, t.dhash) > DUPLICATE_BITS for t in taken)]
            groups[colour] = pool
            if not pool or len(picked) >= n:
                continue
            best = max(pool, key=lambda p: (min((distance(p.dhash, t.dhash) for t in taken), default=64),
                                            -photos.index(p)))
            pool.remove(best)
            picked.append(best)
            taken.append(best)
    return picked


def select(photos: Sequence[Photo], colors: Sequence[str], *, taobao_count: int, mogujie_min: int,
           mogujie_max: int, detail_counts: dict[str, int]) -> Selection:
    by_role: dict[str, list[Photo]] = {}
    for p in photos:
        by_role.setdefault(p.role, []).append(p)
    reasons: list[str] = []
    warnings: list[str] = []
    models = by_role.get("model", [])
    stills = by_role.get("still", [])

    # Taobao: the square main images, the white-background one last
    white = (by_role.get("white") or [p for p in photos if p.white_background and p.role in ("main", "still")])[:1]
    squares = [p for p in by_role.get("main", []) if p not in white]
    main = varied(squares, taobao_count - len(white), white)
    if len(main) + len(white) < taobao_count:
        more = varied(models + stills, taobao_count - len(white) - len(main), main + white)
        if more:
            reasons.append(f"taobao: {len(more)} main image(s) made from model and still photos")
        main += more
    main += white
    if white:
        reasons.append(f"taobao: white-background {white[0].name} last")
    else:
        warnings.append(_("No white-background photo (白底图): the last Taobao main image is not white."))
    if len(main) < taobao_count:
        warnings.append(_("Only %(n)s distinct photos for Taobao's %(want)s main images.", n=len(main), want=taobao_count))

    sku = {}
    for colour in colors:
        own = [p for p in by_role.get("color", []) if p.color == colour] or \
              [p for p in photos if p.color == colour and p.role in ("main", "model", "still", "mogujie")]
        if own:
            sku[colour] = own[0].name
    # Mogujie: 640×960 model photos first, then any model photo, then stills; every colour, varied
    covers = varied(by_role.get("mogujie", []) + models, mogujie_max)
    if len(covers) < mogujie_min:
        covers += varied(stills, mogujie_min - len(covers), covers)
    missing = [c for c in colors if c not in {p.color for p in covers}]
    if missing:
        warnings.append(_("The Mogujie covers show no photo of %(colours)s.", colours="、".join(missing)))
    if len(covers) < mogujie_min:
        warnings.append(_("Only %(n)s distinct photos for Mogujie's %(low)s-%(high)s covers.", n=len(covers), low=mogujie_min, high=mogujie_max))
    reasons.append(f"mogujie: {len(covers)} covers over {len({p.color for p in covers})} colour(s)")

    # Detail page: size chart and colour images, ~10 model photos, stills (every colour), details
    colour_images = [p for c in colors for p in by_role.get("color", []) if p.color == c]
    detail = by_role.get("size", []) + colour_images
    detail += varied(by_role.get("mogujie", []) + models, detail_counts.get("models", 10))
    detail += varied(stills, detail_counts.get("stills", 10))
    detail += varied(by_role.get("detail", []), detail_counts.get("details", 4))
    return Selection([p.name for p in main], sku, [p.name for p in covers], [p.name for p in detail],
                     reasons, warnings)


def role_by_analysis(width: int, height: int, white_background: bool) -> str:
    """For photos whose names say nothing: square -> main (white: the white one), 2:3 portrait
    -> Mogujie model photo when at least 640×960, other portraits -> model, else still."""
    ratio = width / height if height else 0
    if abs(ratio - 1) < 0.03:
        return "white" if white_background else "main"
    if abs(ratio - 2 / 3) < 0.03 and width >= 640:
        return "mogujie" if (width, height) == (640, 960) else "model"
    if white_background:
        return "white"
    return "model" if ratio < 1 else "still"

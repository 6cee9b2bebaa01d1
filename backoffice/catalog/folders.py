"""Supplier folder conventions (README "Supplier folders"): pure parsing of names.

Outer folder: ``<supplier>&<model>`` (normal), ``<supplier>&<model>&<streamer>``
(streamer link), ``孤品&<supplier>&<model>`` (unique item), or a flash-sale name
``<prefix><n> <words>`` such as ``RST182 小方包``. Inside, an image's role comes
from its folder and file names; a colour from a word ending in 色; a quantity
from ``(12)`` or ``12件``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import PurePath
from typing import Mapping

from flask_babel import gettext as _

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".bmp", ".tif", ".tiff"}
VIDEO_SUFFIXES = {".mp4", ".mov", ".m4v"}
INFO_FILE = "信息.txt"
IGNORED = {".ds_store", "thumbs.db", "desktop.ini"}

# Checked in this order: the more specific name wins (主图/白底.jpg is the white one).
ROLE_KEYWORDS = (
    ("white", ("白底",)),
    ("size", ("尺寸",)),
    ("color", ("颜色",)),
    ("layout", ("排版",)),
    ("detail", ("细节",)),
    ("still", ("静物",)),
    ("mogujie", ("蘑菇街",)),
    ("model", ("模特",)),
    ("main", ("主图", "淘宝")),
)
ROLES = ("main", "white", "mogujie", "model", "still", "detail", "size", "color", "layout", "video")
# Shorter side in pixels below which a file is refused (platform photos; charts may be smaller).
MIN_SIDE = {"size": 300, "color": 300, "layout": 300, "detail": 400}
MIN_SIDE_PHOTO = 640

_KEYWORD_STRIP = re.compile("|".join(k for _, ks in ROLE_KEYWORDS for k in ks) + "|图")
_COLOUR = re.compile(r"([\u4e00-\u9fff]{1,3}色)")
_QTY = re.compile(r"[(（]\s*(\d+)\s*[)）]|(\d+)\s*件")
_FLASH = re.compile(r"^([A-Za-z]+)(\d+)(?:\s+(.*))?$")


class FolderError(ValueError):
    pass


@dataclass(frozen=True)
class FolderName:
    kind: str
    supplier: str
    model: str
    streamer: str | None = None
    number: int | None = None
    title_base: str | None = None  # flash sales: the outer folder name starts the title


def parse_folder_name(name: str, flash_prefixes: Mapping[str, str]) -> FolderName:
    """flash_prefixes: upper-case prefix -> supplier name (RST -> 睿思特)."""
    name = name.strip()
    if "&" in name:
        parts = [p.strip() for p in name.split("&")]
        if any(not p for p in parts):
            raise FolderError(_("Folder name %(name)s has an empty part between the & signs.", name=name))
        if parts[0] == "孤品" and len(parts) == 3:
            return FolderName("unique", parts[1], parts[2])
        if len(parts) == 2:
            return FolderName("normal", parts[0], parts[1])
        if len(parts) == 3:
            return FolderName("streamer", parts[0], parts[1], streamer=parts[2])
        raise FolderError(_("Folder name %(name)s has too many & parts (supplier&model or supplier&model&streamer).", name=name))
    m = _FLASH.match(name)
    if m and m.group(1).upper() in flash_prefixes:
        prefix, digits = m.group(1).upper(), m.group(2)
        return FolderName("flash", flash_prefixes[prefix], f"{prefix}{digits}", number=int(digits),
                          title_base=name)
    if m:
        raise FolderError(_("Folder name %(name)s: no supplier has the flash-sale prefix %(prefix)s.", name=name, prefix=m.group(1).upper()))
    raise FolderError(_("Folder name %(name)s is neither supplier&model nor a flash-sale name such as RST182 小方包.", name=name))


@dataclass(frozen=True)
class NamedFile:
    path: str  # relative to the supplier folder
    role: str | None  # None: the name says nothing; analysis decides
    color: str | None
    quantity: int | None


def classify_name(relative: str) -> NamedFile:
    p = PurePath(relative)
    if p.suffix.lower() in VIDEO_SUFFIXES:
        return NamedFile(relative, "video", None, None)
    stem_role = _role_in(p.stem)
    folder_role = next((r for r in map(_role_in, reversed(p.parent.parts)) if r), None)
    # a platform folder (蘑菇街/, 主图/) fixes the size, whatever kind of photo the file name says
    if folder_role in ("mogujie", "main") and stem_role in (None, "model", "still", "main", "mogujie"):
        role = folder_role
    else:
        role = stem_role or folder_role
    stripped = _KEYWORD_STRIP.sub(" ", p.stem)
    colour = _COLOUR.search(stripped)
    qty = _QTY.search(p.stem)
    quantity = int(qty.group(1) or qty.group(2)) if qty else None
    if role is None and colour and _bare_colour_name(stripped):
        role = "color"  # 黑色(12).jpg
    return NamedFile(relative, role, colour.group(1) if colour else None, quantity)


def _role_in(name: str) -> str | None:
    return next((r for r, keys in ROLE_KEYWORDS if any(k in name for k in keys)), None)


def _bare_colour_name(stripped: str) -> bool:
    rest = _QTY.sub("", _COLOUR.sub("", stripped, count=1))
    return not re.search(r"[\u4e00-\u9fffA-Za-z]", rest)


INFO_KEYS = {"拿货价": "cost", "尺寸": "dimensions", "材质": "material", "形状": "shape", "元素": "elements",
             "类型": "bag_types", "结构": "structure", "重量": "weight_g"}


def parse_info(text: str) -> tuple[dict, list[str]]:
    """信息.txt: ``key: value`` lines (拿货价: 38 / 尺寸: 20x8x14 / 材质: PU / 元素: 链条 锁扣 ...)."""
    info: dict = {}
    problems = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        m = re.match(r"\s*([^:：]+?)\s*[:：]\s*(.*?)\s*$", line)
        key, value = (m.group(1), m.group(2)) if m else ("", "")
        if key not in INFO_KEYS:
            problems.append(_("%(file)s line %(n)s: expected one of %(keys)s followed by a colon.", file=INFO_FILE, n=n, keys="/".join(INFO_KEYS)))
            continue
        field = INFO_KEYS[key]
        try:
            if field == "cost":
                info[field] = Decimal(value.replace("元", "").strip())
            elif field == "weight_g":
                info[field] = int(re.sub(r"\D", "", value))
            elif field == "dimensions":
                sides = [Decimal(v) for v in re.findall(r"\d+(?:\.\d+)?", value)]
                if not 1 <= len(sides) <= 3:
                    raise InvalidOperation
                info[field] = sides
            elif field in ("elements", "bag_types"):
                info[field] = [v for v in re.split(r"[\s,，、/]+", value) if v]
            else:
                info[field] = value
        except (InvalidOperation, ValueError):
            problems.append(_("%(file)s line %(n)s: %(value)s is not a valid %(key)s.", file=INFO_FILE, n=n, value=value, key=key))
    return info, problems

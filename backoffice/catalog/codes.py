"""Listing and SKU codes (SPEC §1.1): pure functions over plain data.

Pinyin is full, toneless, lower case, from pypinyin, except where the staff's
override dictionary (polyphones: 藏青色 -> cang qing se) says otherwise.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Mapping

from flask_babel import gettext as _
from pypinyin import lazy_pinyin

KINDS = ("normal", "streamer", "flash", "unique")
FLASH_PREFIX = "miaosha"
UNIQUE_CODE = "888888"
STREAMER_TITLE = "【{streamer}粉丝专享】"
_MODEL_OK = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]*$")
_CJK = re.compile(r"[\u3400-\u9fff]")


class CodeError(ValueError):
    """The inputs cannot make a code; ``field`` names the input at fault."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.field = field


def syllables(text: str, overrides: Mapping[str, str] | None = None) -> list[str]:
    """Toneless pinyin syllables of ``text``; override words win, longest first."""
    overrides = overrides or {}
    longest = max((len(w) for w in overrides), default=0)
    out: list[str] = []
    pending = ""
    i = 0
    while i < len(text):
        for size in range(min(longest, len(text) - i), 0, -1):
            word = text[i:i + size]
            if word in overrides:
                out += _plain(pending)
                pending = ""
                out += overrides[word].lower().split()
                i += size
                break
        else:
            pending += text[i]
            i += 1
    return out + _plain(pending)


def _plain(segment: str) -> list[str]:
    result = []
    for token in lazy_pinyin(segment) if segment else []:
        # non-Chinese runs come back whole: keep their letters and digits
        result += [t.lower() for t in re.findall(r"[A-Za-z0-9]+", token)] if not _CJK.search(token) else [token]
    return [t.replace("ü", "v") for t in result if t]


def pinyin(text: str, overrides: Mapping[str, str] | None = None) -> str:
    """藏青色 -> cangqingse (with the override dictionary)."""
    return "".join(syllables(text, overrides))


def initials(text: str, overrides: Mapping[str, str] | None = None) -> str:
    """宝娜主播 -> BNZB."""
    return "".join(s[0] for s in syllables(text, overrides)).upper()


@dataclass(frozen=True)
class CodeRequest:
    supplier_code: str  # the supplier's pinyin code, e.g. daming
    model: str  # as written in the folder, e.g. D-998-20
    kind: str = "normal"
    streamer: str | None = None
    number: int | None = None  # flash sale and unique items
    colors: tuple[str, ...] = ()
    sizes: tuple[str, ...] = ()  # only when the bag has real size variants


@dataclass
class Codes:
    listing_code: str
    sku_codes: dict[str, str]  # colour (or "colour/size") -> code
    title_prefix: str
    reasons: list[str] = field(default_factory=list)


def make_codes(req: CodeRequest, overrides: Mapping[str, str] | None = None) -> Codes:
    if req.kind not in KINDS:
        raise CodeError(_("Unknown product kind %(kind)s.", kind=req.kind), "kind")
    if not req.colors:
        raise CodeError(_("At least one colour is needed."), "colors")
    if len(set(req.colors)) != len(req.colors):
        raise CodeError(_("A colour is listed twice."), "colors")
    prefix = ""
    if req.kind in ("flash", "unique"):
        if req.number is None or req.number < 1:
            raise CodeError(_("Flash-sale and unique items need a positive number."), "number")
    if req.kind == "flash":
        listing = f"{FLASH_PREFIX}-{req.number}"
        reasons = [f"flash sale: {FLASH_PREFIX}-<number>"]
    elif req.kind == "unique":
        if len(req.colors) > 1 or len(req.sizes) > 1:
            raise CodeError(_("A unique item has exactly one colour and one size."), "colors")
        return Codes(UNIQUE_CODE, {req.colors[0]: f"{UNIQUE_CODE}-{req.number}"}, "",
                     [f"unique item: {UNIQUE_CODE}, SKU {UNIQUE_CODE}-<number>"])
    else:
        if not req.supplier_code or not re.fullmatch(r"[a-z0-9]+", req.supplier_code):
            raise CodeError(_("The supplier code %(code)s must be lower-case pinyin letters.", code=req.supplier_code), "supplier")
        if not _MODEL_OK.match(req.model or ""):
            raise CodeError(_("The model %(model)s may hold only letters, digits and dashes.", model=req.model), "model")
        listing = f"{req.supplier_code}-{req.model}"
        reasons = ["<supplier pinyin>-<model>"]
        if req.kind == "streamer":
            if not req.streamer:
                raise CodeError(_("A streamer link needs the streamer's name."), "streamer")
            listing += f"-{initials(req.streamer, overrides)}"
            prefix = STREAMER_TITLE.format(streamer=req.streamer)
            reasons.append(f"streamer link: initials of {req.streamer}")
    skus = {}
    for colour in req.colors:
        code = f"{listing}-{pinyin(colour, overrides)}"
        if len(req.sizes) > 1:
            for size in req.sizes:
                skus[f"{colour}/{size}"] = f"{code}-{pinyin(size, overrides)}"
        else:
            skus[colour] = code
    if len(set(skus.values())) != len(skus):
        raise CodeError(_("Two colours give the same SKU code; add a pinyin override."), "colors")
    return Codes(listing, skus, prefix, reasons)

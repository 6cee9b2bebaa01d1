"""Titles from the staff's word lists (SPEC §1.5): pure functions.

Words whose ``matches`` meet the product's attributes come first in priority,
then the words that fit every bag; no word twice (nor one already inside the
prefix); the total stays within the platform's limit, where a Chinese
character counts ``cjk_weight``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, Sequence

_WIDE = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")
LIST_ORDER = ("title_main", "title_core", "title_modifier")


def title_length(text: str, cjk_weight: int = 2) -> int:
    return sum(cjk_weight if _WIDE.match(ch) else 1 for ch in text)


@dataclass(frozen=True)
class Word:
    list_name: str
    word: str
    matches: tuple[str, ...] = ()


@dataclass
class Title:
    text: str
    words: list[str]
    length: int
    reasons: list[str] = field(default_factory=list)


def build_title(prefix: str, attributes: Iterable[str], words: Sequence[Word], *, limit: int,
                cjk_weight: int = 2, year: int | None = None) -> Title:
    attrs = {a for a in attributes if a}
    ordered = sorted(words, key=lambda w: LIST_ORDER.index(w.list_name) if w.list_name in LIST_ORDER else 99)
    candidates = []  # (display index, word text, matched-by)
    for i, w in enumerate(ordered):
        text = w.word.replace("{year}", str(year)) if year else w.word.replace("{year}", "")
        hit = sorted(attrs & set(w.matches))
        if text and (not w.matches or hit):
            candidates.append((i, text, hit))
    reasons, chosen, used = [], {}, prefix
    length = title_length(prefix, cjk_weight)
    if length > limit:
        raise ValueError(f"the prefix {prefix!r} alone is longer than {limit}")
    # matched words win the room first, then the words for every bag
    for i, text, hit in sorted(candidates, key=lambda c: (not c[2], c[0])):
        if text in used or any(text == t for t in chosen.values()):
            reasons.append(f"{text}: already in the title")
            continue
        cost = title_length(text, cjk_weight)
        if length + cost > limit:
            reasons.append(f"{text}: no room ({length}+{cost} > {limit})")
            continue
        chosen[i] = text
        used += text
        length += cost
        reasons.append(f"{text}: matches {'/'.join(hit)}" if hit else f"{text}: fits every bag")
    body = [chosen[i] for i in sorted(chosen)]
    text = prefix + "".join(body)
    return Title(text, body, title_length(text, cjk_weight), reasons)

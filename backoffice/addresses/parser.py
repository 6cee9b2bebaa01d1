"""Free-text Chinese address → province / city / district with official codes.

Pure and strict: what cannot be resolved is reported with the reason, never
guessed. People leave out suffixes (内蒙古, 广西, 保定), the province
(保定市竞秀区...) or the city (浙江省西湖区...), and write a direct-administered
city once (北京朝阳区...); those resolve when the names allow one answer only.
District names repeat across the country (朝阳区, 鼓楼区), so a district with
neither province nor city resolves only when its name is unique.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Callable

from backoffice.addresses.divisions import Division, Divisions, divisions

_SKIP = re.compile(r"[\s,，、:：/\\|\-]*")
# After a short name these mean the text names something longer (朝阳区 is not
# 朝阳市, 吉林市 is not 吉林省), so the short match does not count.
_LONGER_NAME_FOLLOWS = frozenset("区县旗市州盟")

PROBLEMS = {
    "empty": "no address given",
    "no_province": "no province or city recognised",
    "ambiguous": "the place name fits several regions",
    "mismatch": "the city or district does not belong to the province written before it",
    "no_city": "no city recognised",
    "no_district": "no district or county recognised",
}


@dataclass(frozen=True)
class ParsedAddress:
    original: str
    province: str | None = None
    city: str | None = None
    district: str | None = None
    province_code: str | None = None
    city_code: str | None = None
    district_code: str | None = None
    detail: str = ""
    problem: str | None = None  # None when resolved; else a key of PROBLEMS
    problem_detail: str = ""

    @property
    def resolved(self) -> bool:
        return self.problem is None

    @property
    def region_code(self) -> str | None:
        return self.district_code or self.city_code or self.province_code


def _match(data: Divisions, text: str, pos: int, level: int, allow_short: bool,
           within: Callable[[Division], bool] | None = None) -> list[tuple[int, Division]]:
    """Every (end, division) of the level whose name starts at pos, longest first."""
    if pos >= len(text):
        return []
    found: dict[str, tuple[int, Division]] = {}
    for name, division, is_short in data.names.get(level, {}).get(text[pos], ()):
        if (is_short and not allow_short) or not text.startswith(name, pos):
            continue
        end = pos + len(name)
        if is_short and end < len(text) and text[end] in _LONGER_NAME_FOLLOWS:
            continue
        if within is not None and not within(division):
            continue
        if division.code not in found or found[division.code][0] < end:
            found[division.code] = (end, division)
    return sorted(found.values(), key=lambda item: -item[0])


def _longest(matches: list[tuple[int, Division]]) -> tuple[int, list[Division]]:
    end = matches[0][0]
    return end, [d for e, d in matches if e == end]


def _skip(text: str, pos: int) -> int:
    return _SKIP.match(text, pos).end()


def parse_address(text: str | None) -> ParsedAddress:
    original = text or ""
    clean = unicodedata.normalize("NFKC", original).strip()
    if not clean:
        return ParsedAddress(original, problem="empty")
    data = divisions()
    pos = _skip(clean, 0)
    province = city = district = None

    # 1. The first name: a province, else a city or a district written without their province.
    for level, allow_short in ((1, True), (2, True), (3, False)):
        matches = _match(data, clean, pos, level, allow_short)
        if matches:
            end, heads = _longest(matches)
            if len(heads) > 1:
                return ParsedAddress(original, problem="ambiguous",
                                     problem_detail=" / ".join(_full_name(data, d) for d in heads))
            head, pos = heads[0], _skip(clean, end)
            break
    else:
        return ParsedAddress(original, problem="no_province", problem_detail=clean[:12])
    if head.level == 1:
        province = head
    else:
        province = data.by_code[head.province_code]
        if head.level == 2:
            city = head
        else:
            district = head
            parent = data.parent(head)
            city = parent if parent is not None and parent.level == 2 else None

    # 2. The city, unless known. A direct-administered city may be written once
    #    (北京朝阳区) or twice (北京市北京市朝阳区).
    if city is None and district is None:
        matches = _match(data, clean, pos, 2, True, lambda d: d.province_code == province.code)
        if matches:
            end, cities = _longest(matches)
            city, pos = cities[0], _skip(clean, end)
        elif _match(data, clean, pos, 2, False):
            return _fail(original, province, None, "mismatch", _match(data, clean, pos, 2, False)[0][1].name)

    # 3. The district: under the city, or anywhere in the province when the city
    #    was left out, provided only one district of the province has that name.
    if district is None:
        if city is not None and not _has_districts(data, city):
            return _result(original, province, city, None, clean[pos:])  # 东莞市, 中山市: towns only
        if city is not None:
            scope = lambda d: d.city_code == city.code  # noqa: E731
        else:
            scope = lambda d: d.province_code == province.code  # noqa: E731
        matches = _match(data, clean, pos, 3, False, scope)
        if matches:
            end, found = _longest(matches)
            if len(found) > 1:
                return _fail(original, province, city, "ambiguous",
                             " / ".join(_full_name(data, d) for d in found))
            district, pos = found[0], _skip(clean, end)
            parent = data.parent(district)
            if city is None and parent is not None and parent.level == 2:
                city = parent
        else:
            elsewhere = _match(data, clean, pos, 3, False)
            if elsewhere:
                return _fail(original, province, city, "mismatch", elsewhere[0][1].name)
            problem = "no_district" if city is not None else "no_city"
            return _fail(original, province, city, problem, clean[pos:pos + 12], detail=clean[pos:])

    return _result(original, province, city, district, clean[pos:])


def _has_districts(data: Divisions, city: Division) -> bool:
    return any(d.level == 3 for d in data.children.get(city.code, ()))


def _full_name(data: Divisions, division: Division | None) -> str:
    parts = []
    while division is not None:
        parts.append(division.name)
        division = data.parent(division)
    return "".join(reversed(list(dict.fromkeys(parts))))


def _result(original: str, province: Division, city: Division | None, district: Division | None,
            detail: str) -> ParsedAddress:
    return ParsedAddress(
        original,
        province=province.name, province_code=province.code,
        city=city.name if city else None, city_code=city.code if city else None,
        district=district.name if district else None, district_code=district.code if district else None,
        detail=detail.strip(),
    )


def _fail(original: str, province: Division | None, city: Division | None, problem: str, what: str,
          detail: str = "") -> ParsedAddress:
    return ParsedAddress(
        original,
        province=province.name if province else None, province_code=province.code if province else None,
        city=city.name if city else None, city_code=city.code if city else None,
        detail=detail.strip(), problem=problem, problem_detail=what,
    )

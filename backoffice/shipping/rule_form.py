"""The structured courier-rule form: what a supervisor types ↔ a rule's
conditions and action (see shipping.routing). Pure: no database, no Flask.

Form values are strings (lists for the province boxes and the courier choices);
amounts are typed in yuan, weights in grams, cities and districts by name."""
from __future__ import annotations

import re
from typing import Any, Iterable, Mapping

from backoffice.addresses.divisions import divisions
from backoffice.addresses.parser import parse_address
from backoffice.errors import OperationError
from backoffice.money import fen_to_yuan, yuan_to_fen

COURIER_CHOICES = 3  # "first that reaches wins": up to three couriers in order

# form field -> (condition key, what the supervisor sees in an error)
_COUNTS = (("items_min", "items_min", "件数下限"), ("items_max", "items_max", "件数上限"),
           ("weight_min", "weight_min_g", "重量下限（克）"), ("weight_max", "weight_max_g", "重量上限（克）"))
_AMOUNTS = (("amount_min", "amount_min_fen", "当天金额下限（元）"), ("amount_max", "amount_max_fen", "当天金额上限（元）"))
_PAIRS = (("items_min", "items_max", "件数"), ("weight_min", "weight_max", "重量"),
          ("amount_min", "amount_max", "当天金额"))
_SPLIT = re.compile(r"[\s,，、;；/]+")
_CODE = re.compile(r"^\d{6}$")


def _words(text: str) -> list[str]:
    return [w for w in _SPLIT.split(text or "") if w]


def _level_name(level: int) -> str:
    return "城市" if level == 2 else "区县"


class AmbiguousRegion(ValueError):
    """A bare name several cities or districts share."""


def region_display(code: str) -> str:
    """A name that resolves back to the same code: the bare name when it is
    unique at its level, else with its province and city in front."""
    data = divisions()
    division = data.by_code.get(code)
    if division is None:
        return code
    same = {d.code for n, d, _ in data.names.get(division.level, {}).get(division.name[0], []) if n == division.name}
    if len(same) <= 1:
        return division.name
    parents = [data.by_code.get(division.province_code), data.by_code.get(division.city_code)]
    names = list(dict.fromkeys(p.name for p in parents if p and p.code != code))  # 北京市 is both
    return "".join(names) + division.name


def resolve_region(text: str, level: int) -> str:
    """A city (level 2) or district (level 3) typed by name → its code; a clear
    Chinese error for an unknown or ambiguous name."""
    data = divisions()
    if _CODE.match(text):
        division = data.by_code.get(text)
        if division is None or division.level != level:
            raise ValueError(f"「{text}」不是{_level_name(level)}代码")
        return text
    index = data.names.get(level, {}).get(text[0], [])
    exact = {d.code: d for n, d, _ in index if n == text}
    if len(exact) == 1:
        return next(iter(exact))
    if len(exact) > 1:
        full = "、".join(sorted(region_display(c) for c in exact))
        raise AmbiguousRegion(f"「{text}」有多个同名地区（{full}），请写上省市")
    parsed = parse_address(text)
    code = parsed.city_code if level == 2 else parsed.district_code
    if code is None or data.by_code.get(code) is None or data.by_code[code].level != level:
        raise ValueError(f"不认识{_level_name(level)}「{text}」")
    return code


def values_from_rule(name: str, conditions: Mapping[str, Any], action: Mapping[str, Any]) -> dict[str, Any]:
    """A stored rule as the form shows it."""
    c, a = conditions, action
    values: dict[str, Any] = {
        "name": name,
        "provinces": list(c.get("province_codes") or ()),
        "cities": "、".join(region_display(code) for code in c.get("city_codes") or ()),
        "districts": "、".join(region_display(code) for code in c.get("district_codes") or ()),
        "flash_sale": {True: "yes", False: "no"}.get(c.get("flash_sale"), ""),
        "request": c.get("request") or "",
        "tags": "、".join(c.get("tags_any") or ()),
        "only_reaches": c.get("only_reaches") or "",
        "couriers": list(a.get("couriers") or ()),
        "use_request": bool(a.get("use_request")),
        "allow_out_of_area": bool(a.get("allow_out_of_area")),
        "surcharge": fen_to_yuan(a["surcharge_fen"]) if a.get("surcharge_fen") else "",
        "approval": bool(a.get("approval")),
        "refuse_reason": a.get("refuse_reason") or "",
        "fallback": a.get("fallback") or "",
    }
    for field, key, _ in _COUNTS:
        values[field] = "" if c.get(key) is None else str(c[key])
    for field, key, _ in _AMOUNTS:
        values[field] = "" if c.get(key) is None else fen_to_yuan(c[key])
    return values


def rule_from_values(values: Mapping[str, Any], couriers: Iterable[str]) -> tuple[str, dict, dict]:
    """(name, conditions, action) from the form; OperationError listing every
    problem, each naming the rule and the field, when anything is wrong."""
    known = set(couriers)
    name = str(values.get("name") or "").strip()
    label = name or "（未命名）"
    errors: list[str] = []

    def bad(field: str, problem: str) -> None:
        errors.append(f"规则「{label}」的「{field}」：{problem}")

    if not name:
        bad("规则名称", "必须填写")
    elif len(name) > 64:
        bad("规则名称", "最多 64 个字")
    conditions: dict[str, Any] = {}
    action: dict[str, Any] = {}

    provinces = [p for p in values.get("provinces") or () if p]
    unknown = [p for p in provinces if getattr(divisions().by_code.get(p), "level", None) != 1]
    if unknown:
        bad("省份", f"不认识 {'、'.join(unknown)}")
    elif provinces:
        conditions["province_codes"] = sorted(set(provinces))
    for field, key, level, shown in (("cities", "city_codes", 2, "城市"), ("districts", "district_codes", 3, "区县")):
        codes = []
        for word in _words(str(values.get(field) or "")):
            try:
                codes.append(resolve_region(word, level))
            except ValueError as exc:
                bad(shown, str(exc))
        if codes:
            conditions[key] = sorted(set(codes))

    numbers: dict[str, int] = {}
    for field, key, shown in _COUNTS:
        text = str(values.get(field) or "").strip()
        if text:
            if not text.isdigit():
                bad(shown, f"「{text}」不是非负整数")
            else:
                numbers[field] = conditions[key] = int(text)
    for field, key, shown in _AMOUNTS:
        text = str(values.get(field) or "").strip()
        if text:
            try:
                fen = yuan_to_fen(text)
            except ValueError:
                bad(shown, f"「{text}」不是金额")
                continue
            if fen < 0:
                bad(shown, "不能为负数")
            else:
                numbers[field] = conditions[key] = fen
    for low, high, shown in _PAIRS:
        if low in numbers and high in numbers and numbers[low] > numbers[high]:
            bad(shown, "下限大于上限")

    flash = values.get("flash_sale") or ""
    if flash not in ("", "yes", "no"):
        bad("秒杀", "选项无效")
    elif flash:
        conditions["flash_sale"] = flash == "yes"
    request = values.get("request") or ""
    if request not in ("", "any", "none"):
        bad("买家指定快递", "选项无效")
    elif request:
        conditions["request"] = request
    tags = list(dict.fromkeys(_words(str(values.get("tags") or ""))))
    if tags:
        conditions["tags_any"] = tags
    only = values.get("only_reaches") or ""
    if only:
        if only not in known:
            bad("只有该快递能到", f"未知快递「{only}」")
        else:
            conditions["only_reaches"] = only

    chosen = [c for c in values.get("couriers") or () if c]
    if [c for c in chosen if c not in known]:
        bad("分配快递", "有未知快递")
    elif len(set(chosen)) != len(chosen):
        bad("分配快递", "同一快递选了两次")
    elif chosen:
        action["couriers"] = chosen
    for flag in ("use_request", "allow_out_of_area", "approval"):
        if values.get(flag):
            action[flag] = True
    surcharge = str(values.get("surcharge") or "").strip()
    if surcharge:
        try:
            fen = yuan_to_fen(surcharge)
        except ValueError:
            fen = -1
        if fen < 0:
            bad("加收运费（元）", f"「{surcharge}」不是非负金额")
        elif fen:
            action["surcharge_fen"] = fen
    reason = str(values.get("refuse_reason") or "").strip()
    if reason:
        action["refuse_reason"] = reason[:200]
    fallback = values.get("fallback") or ""
    if fallback:
        if fallback not in known:
            bad("备选快递", f"未知快递「{fallback}」")
        elif fallback in chosen:
            bad("备选快递", "已在分配快递中")
        else:
            action["fallback"] = fallback

    if not (chosen or action.get("use_request") or reason):
        bad("动作", "至少要分配快递、使用买家指定的快递或填写拒绝理由")
    if (action.get("use_request") or (reason and not chosen)) and request != "any":
        bad("买家指定快递", "使用或拒绝买家指定的快递时，条件须选「买家指定了快递」")
    if action.get("use_request") and chosen:
        bad("分配快递", "使用买家指定的快递时不再分配其他快递（可填备选快递）")
    if errors:
        raise OperationError("；".join(errors))
    return name, conditions, action


TEXT_FIELDS = ("name", "cities", "districts", "items_min", "items_max", "weight_min", "weight_max", "amount_min",
               "amount_max", "flash_sale", "request", "tags", "only_reaches", "surcharge", "refuse_reason", "fallback")
LIST_FIELDS = ("provinces", "couriers")
FLAGS = ("use_request", "allow_out_of_area", "approval")


def values_from_post(form: Any, prefix: str) -> dict[str, Any]:
    """The form's values from a posted MultiDict, fields named "<prefix>-<field>"."""
    values: dict[str, Any] = {k: form.get(f"{prefix}-{k}", "") for k in TEXT_FIELDS}
    values.update({k: form.getlist(f"{prefix}-{k}") for k in LIST_FIELDS})
    values.update({k: bool(form.get(f"{prefix}-{k}")) for k in FLAGS})
    return values

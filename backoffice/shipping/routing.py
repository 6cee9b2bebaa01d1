"""Courier routing: a pure function over plain data, compiled once per rule set.

A rule is {"position", "name", "conditions", "action"}:

conditions (all given ones must hold; an absent key means "any"):
  province_codes / city_codes / district_codes  official 6-digit codes; the
      destination matches when any of its codes is in the set of its level
  items_min / items_max, weight_min_g / weight_max_g, amount_min_fen /
      amount_max_fen   inclusive ranges (amount: the buyer's orders that day)
  flash_sale   true / false: the parcel holds a flash-sale (秒杀) item or not
  request      "any": the buyer asked for a courier; "none": did not
  tags_any     product tags, at least one present
  only_reaches a courier code: no other known courier reaches the destination
action:
  couriers           couriers to choose from, first that reaches the address wins
  use_request        use the courier the buyer asked for
  allow_out_of_area  may use a courier where it is out of area (超区) when its
                     coverage row names the extra freight; that freight is charged
  surcharge_fen      extra freight the buyer pays
  approval           a supervisor must approve
  refuse_reason      refuse the buyer's request with this reason (alone: refuse
                     and go on with the next rules; with use_request: the reason
                     when the requested courier does not reach)
  fallback           courier to use when none of `couriers` reaches
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any, Callable, Iterable, Mapping

from backoffice.addresses.divisions import divisions
from backoffice.money import fen_to_yuan
from backoffice.shipping.freight import Rate, RateTable, freight_fen

STATUSES = ("ok", "needs_approval", "request_refused", "surcharge", "no_route")


@dataclass(frozen=True)
class Parcel:
    """What routing looks at. Codes are the parser's official division codes."""

    province_code: str | None
    city_code: str | None = None
    district_code: str | None = None
    place: str = ""  # province/city/district names, for the reasons
    items: int = 1
    weight_g: int = 800
    amount_fen: int = 0
    flash_sale: bool = False
    requested: str | None = None
    tags: frozenset[str] = frozenset()


@dataclass(slots=True)  # not frozen: built once per parcel, and frozen init costs a third of routing
class Decision:
    courier_code: str | None
    surcharge_fen: int
    status: str
    rule: str  # "#4 新疆走邮政"; "" when no rule applied
    reasons: tuple[str, ...]
    choices: tuple[str, ...] = ()  # the couriers the rule allowed, reachable ones
    freight_fen: int | None = None

    def as_json(self, names: Mapping[str, str]) -> dict[str, Any]:
        return {"courier": names.get(self.courier_code, "") if self.courier_code else None,
                "courier_code": self.courier_code, "surcharge": fen_to_yuan(self.surcharge_fen),
                "status": self.status, "rule": self.rule, "reasons": list(self.reasons),
                "choices": list(self.choices),
                "freight": None if self.freight_fen is None else fen_to_yuan(self.freight_fen)}


@dataclass(frozen=True)
class _Rule:
    label: str
    provinces: frozenset[str]
    cities: frozenset[str]
    districts: frozenset[str]
    ranges: tuple[tuple[str, int, int], ...]  # (parcel attribute, low, high)
    flash_sale: bool | None
    request: str | None
    tags: frozenset[str]
    only_reaches: str | None
    couriers: tuple[str, ...]
    use_request: bool
    allow_out_of_area: bool
    surcharge_fen: int
    approval: bool
    refuse_reason: str
    fallback: str | None
    has_region: bool = field(init=False)
    # the parcel's values this rule's ranges test, for the sentence describing them
    range_values: Callable[[Parcel], Any] | None = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "has_region", bool(self.provinces or self.cities or self.districts))
        object.__setattr__(self, "range_values", attrgetter(*(a for a, _, _ in self.ranges)) if self.ranges else None)

    def matches_region(self, p: Parcel) -> bool:
        return p.province_code in self.provinces or p.city_code in self.cities or p.district_code in self.districts

    def matches(self, p: Parcel, requested: str | None) -> bool:
        if self.has_region and not self.matches_region(p):
            return False
        for attr, low, high in self.ranges:
            if not low <= getattr(p, attr) <= high:
                return False
        if self.flash_sale is not None and p.flash_sale != self.flash_sale:
            return False
        if self.request == "any" and requested is None or self.request == "none" and requested is not None:
            return False
        return not self.tags or not self.tags.isdisjoint(p.tags)


_RANGES = (("items", "items_min", "items_max", "件数"), ("weight_g", "weight_min_g", "weight_max_g", "重量"),
           ("amount_fen", "amount_min_fen", "amount_max_fen", "买家当天金额"))


def _show(attr: str, value: int) -> str:
    if attr == "amount_fen":
        return f"{fen_to_yuan(value)} 元"
    return f"{value} 克" if attr == "weight_g" else f"{value} 件"
_BIG = 10**12


def _compile_rule(rule: Mapping[str, Any]) -> _Rule:
    c, a = rule.get("conditions") or {}, rule.get("action") or {}
    ranges = tuple((attr, int(c.get(lo, 0) or 0), int(c[hi]) if c.get(hi) is not None else _BIG)
                   for attr, lo, hi, _ in _RANGES if c.get(lo) is not None or c.get(hi) is not None)
    return _Rule(
        label=f"#{rule['position']} {rule['name']}",
        provinces=frozenset(c.get("province_codes") or ()), cities=frozenset(c.get("city_codes") or ()),
        districts=frozenset(c.get("district_codes") or ()), ranges=ranges, flash_sale=c.get("flash_sale"),
        request=c.get("request"), tags=frozenset(c.get("tags_any") or ()), only_reaches=c.get("only_reaches"),
        couriers=tuple(a.get("couriers") or ()), use_request=bool(a.get("use_request")),
        allow_out_of_area=bool(a.get("allow_out_of_area")), surcharge_fen=int(a.get("surcharge_fen") or 0),
        approval=bool(a.get("approval")), refuse_reason=a.get("refuse_reason") or "", fallback=a.get("fallback"))


@dataclass(frozen=True, eq=False)  # hashed by identity: it keys the per-parcel sentence cache
class _Outcome:
    """What the rules decided for a class of alike parcels; reasons with the
    parcel's own numbers are written per parcel."""

    rule: _Rule | None
    chosen: str | None
    surcharge: int
    status: str
    choices: tuple[str, ...]
    before: tuple[str, ...]  # reasons before the matching rule (refusals, skipped rules)
    after: tuple[str, ...]  # notes after it (out of area, fallback, surcharge, approval)
    requested: str | None  # the request still standing when the rule matched


_MEMO_SIZE = 200_000
_UNKNOWN: Any = object()  # a courier's rate at a destination not looked up yet


def region_name(code: str) -> str:
    division = divisions().by_code.get(code)
    return division.name if division else code


class Router:
    """The rules of one rule set, compiled once; route() is pure and cheap."""

    def __init__(self, rules: Iterable[Mapping[str, Any]], coverage: Iterable[tuple[str, str, int]],
                 names: Mapping[str, str], rates: Iterable[Rate] = ()) -> None:
        self.rules = tuple(_compile_rule(r) for r in sorted(rules, key=lambda r: r["position"]))
        self.names = dict(names)
        # courier -> region code -> extra freight when used there anyway (0: never)
        self.excluded: dict[str, dict[str, int]] = {}
        for courier, region, surcharge in coverage:
            self.excluded.setdefault(courier, {})[region] = surcharge
        self.rates = RateTable(rates)
        bounds: tuple[set[int], set[int], set[int]] = (set(), set(), set())
        index = {"items": 0, "weight_g": 1, "amount_fen": 2}
        for rule in self.rules:
            for attr, low, high in rule.ranges:
                bounds[index[attr]].update((low, high + 1))
        self._bounds = tuple(sorted(b) for b in bounds)
        self._memo: dict[tuple, _Outcome] = {}
        # destination -> (class, courier -> its freight rate there), see _destination
        self._dest: dict[tuple, tuple[int, dict[str, Rate | None]]] = {}
        self._described: dict[tuple, tuple[str, ...]] = {}
        self._classes: dict[tuple, int] = {}

    def name(self, code: str | None) -> str:
        return self.names.get(code, code or "")

    def out_of_area(self, courier: str, p: Parcel) -> int | None:
        """None when the courier reaches the parcel's destination; else the extra
        freight allowed there (0: not usable at all)."""
        found = self._excluded_region(courier, p)
        return None if found is None else self.excluded[courier][found]

    def _excluded_region(self, courier: str, p: Parcel) -> str | None:
        """The region of the courier's out-of-area list the destination lies in."""
        table = self.excluded.get(courier)
        if table:
            for code in (p.district_code, p.city_code, p.province_code):
                if code in table:
                    return code
        return None

    def _destination(self, p: Parcel) -> tuple[int, dict[str, Rate | None]]:
        """Destinations alike for every rule's regions and every courier's coverage
        share a class; each destination also caches its couriers' freight rates."""
        dest = (p.province_code, p.city_code, p.district_code)
        found = self._dest.get(dest)
        if found is None:
            signature = (tuple(not r.has_region or r.matches_region(p) for r in self.rules),
                         tuple(self._excluded_region(c, p) for c in sorted(self.excluded)))
            found = self._dest[dest] = (self._classes.setdefault(signature, len(self._classes)), {})
        return found

    def only_reaches(self, courier: str, p: Parcel) -> bool:
        return self.out_of_area(courier, p) != 0 and all(
            self.out_of_area(other, p) is not None for other in self.names if other != courier)

    def route(self, p: Parcel) -> Decision:
        if p.province_code is None:
            return Decision(None, 0, "no_route", "", ("收货地址无法识别到省，需人工指定快递",))
        # Parcels alike in everything the rules test share one evaluation: numbers
        # count only by which side of each rule threshold they fall on.
        dest = self._dest.get((p.province_code, p.city_code, p.district_code)) or self._destination(p)
        bounds = self._bounds
        key = (dest[0], bisect_right(bounds[0], p.items), bisect_right(bounds[1], p.weight_g),
               bisect_right(bounds[2], p.amount_fen), p.flash_sale, p.requested, p.tags)
        outcome = self._memo.get(key)
        if outcome is None:
            if len(self._memo) >= _MEMO_SIZE:
                self._memo.clear()
                self._dest.clear()
                self._described.clear()
            outcome = self._memo[key] = self._evaluate(p)
        rule = outcome.rule
        if rule is None:
            return Decision(None, 0, "no_route", "", outcome.before)
        # The sentence naming the inputs depends only on the outcome and the inputs the rule tests.
        dkey = (outcome, p.place if rule.has_region else None, rule.range_values(p) if rule.range_values else None)
        reasons = self._described.get(dkey)
        if reasons is None:
            if len(self._described) >= _MEMO_SIZE:
                self._described.clear()
            matched = f"规则 {rule.label} 适用：{self.describe(rule, p, outcome.requested)}"
            reasons = self._described[dkey] = (*outcome.before, matched, *outcome.after)
        chosen = outcome.chosen
        rates = dest[1]
        rate = rates.get(chosen, _UNKNOWN)
        if rate is _UNKNOWN:
            rate = rates[chosen] = self.rates.rate_for(chosen, p)
        freight = None if rate is None else (
            rate.first_fen if p.weight_g <= rate.first_weight_g else freight_fen(p.weight_g, rate))
        return Decision(chosen, outcome.surcharge, outcome.status, rule.label, reasons, outcome.choices, freight)

    def _evaluate(self, p: Parcel) -> "_Outcome":
        reasons: list[str] = []
        requested, refused = p.requested, False
        if requested and requested not in self.names:
            reasons.append(f"买家指定的快递「{requested}」不认识，按规则分配")
            requested, refused = None, True
        for rule in self.rules:
            if not rule.matches(p, requested) or rule.only_reaches and not self.only_reaches(rule.only_reaches, p):
                continue
            if rule.refuse_reason and not rule.use_request and not rule.couriers:
                reasons.append(f"规则 {rule.label}：不接受买家指定的{self.name(requested)}：{rule.refuse_reason}")
                requested, refused = None, True
                continue
            candidates = (requested,) if rule.use_request else rule.couriers
            chosen, surcharge, notes = self._pick(rule, candidates, p)
            if chosen is None and rule.fallback:
                chosen, surcharge, more = self._pick(rule, (rule.fallback,), p)
                notes += more
                if chosen:
                    notes.append(f"改用备选快递{self.name(chosen)}")
            if chosen is None:
                if rule.use_request:
                    why = rule.refuse_reason or "该快递不到收货地址"
                    reasons.append(f"规则 {rule.label}：不接受买家指定的{self.name(requested)}（{'；'.join(notes)}）：{why}")
                    requested, refused = None, True
                else:
                    reasons.append(f"规则 {rule.label} 条件符合，但其快递都不到该地址（{'；'.join(notes)}），跳过")
                continue
            surcharge = max(surcharge, rule.surcharge_fen)
            if surcharge:
                notes.append(f"买家需补运费 {fen_to_yuan(surcharge)} 元")
            if rule.approval:
                notes.append("需主管审批（是否包邮）")
            status = ("needs_approval" if rule.approval else "request_refused" if refused
                      else "surcharge" if surcharge else "ok")
            choices = tuple(c for c in candidates if c and self.out_of_area(c, p) is None)
            return _Outcome(rule, chosen, surcharge, status, choices, tuple(reasons), tuple(notes), requested)
        reasons.append("没有适用的规则，需主管指定快递")
        return _Outcome(None, None, 0, "no_route", (), tuple(reasons), (), requested)

    def _pick(self, rule: _Rule, candidates: Iterable[str | None], p: Parcel) -> tuple[str | None, int, list[str]]:
        notes: list[str] = []
        for courier in candidates:
            if not courier:
                continue
            region = self._excluded_region(courier, p)
            if region is None:
                return courier, 0, notes
            extra = self.excluded[courier][region]
            if rule.allow_out_of_area and extra > 0:
                notes.append(f"{self.name(courier)}在{region_name(region)}超区，按规则加收运费")
                return courier, extra, notes
            notes.append(f"{self.name(courier)}在{region_name(region)}超区")
        return None, 0, notes

    def describe(self, rule: _Rule, p: Parcel, requested: str | None) -> str:
        """The inputs the rule looked at, in words."""
        parts = []
        if rule.has_region:
            parts.append(f"收货地 {p.place or p.province_code}")
        for attr, low, high in rule.ranges:
            label = next(lbl for a, _, _, lbl in _RANGES if a == attr)
            shown = (f"{_show(attr, low)}–{_show(attr, high)}" if high < _BIG and low
                     else f"≤{_show(attr, high)}" if high < _BIG else f"≥{_show(attr, low)}")
            parts.append(f"{label} {_show(attr, getattr(p, attr))}（规则 {shown}）")
        if rule.flash_sale is not None:
            parts.append("含秒杀商品" if p.flash_sale else "不含秒杀商品")
        if rule.request == "any":
            parts.append(f"买家指定{self.name(requested)}")
        elif rule.request == "none":
            parts.append("买家未指定快递")
        if rule.only_reaches:
            parts.append(f"只有{self.name(rule.only_reaches)}能到")
        if rule.tags:
            parts.append("商品标签 " + "、".join(sorted(rule.tags & p.tags)))
        return "，".join(parts) or "无条件"


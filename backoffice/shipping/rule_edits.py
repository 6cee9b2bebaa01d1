"""Changing rule sets: drafts, rule/coverage/rate edits, publishing. Flushes, never commits.
Published sets are read-only, so past decisions keep pointing at what made them."""
from __future__ import annotations

import re
from typing import Any, Mapping

from sqlalchemy import func, select

from backoffice.accounts import audit
from backoffice.addresses.divisions import divisions
from backoffice.addresses.parser import parse_address
from backoffice.db import session
from backoffice.errors import OperationError
from backoffice.shipping.models import CourierRule, CoverageExclusion, FreightRate, RuleSet
from backoffice.shipping.rule_form import AmbiguousRegion, resolve_region, rule_from_values
from backoffice.shipping.rulesets import courier_names, published_rule_set
from backoffice.timeutil import utcnow

_CODE = re.compile(r"^\d{6}$")


def region_code(text: str, field: str = "region") -> str:
    """A region typed by a person (新疆, 阿里地区, 西藏噶尔县, or a 6-digit code) → its official code."""
    text = (text or "").strip()
    if _CODE.match(text):
        if text not in divisions().by_code:
            raise OperationError(f"没有代码为 {text} 的地区", field=field)
        return text
    if text and not parse_address(text).province_code:  # a bare city or district name: refuse ambiguous ones
        for level in (2, 3):
            try:
                return resolve_region(text, level)
            except AmbiguousRegion as exc:
                raise OperationError(str(exc), field=field) from exc
            except ValueError:
                continue
    parsed = parse_address(text)
    code = parsed.district_code or parsed.city_code or parsed.province_code
    if code is None:
        raise OperationError(f"无法识别地区「{text}」", field=field)
    return code


def rule_set_name(rule_set: RuleSet) -> str:
    """How staff call a version: "v3 新疆走邮政"."""
    return f"v{rule_set.version} {rule_set.note}".strip()


def _audit(rule_set: RuleSet, change: str, action: str = "rule.change") -> None:
    audit.record(action, f"rule_set:{rule_set.id}", name=rule_set_name(rule_set), change=change)


def _where(courier_code: str, code: str) -> str:
    region = divisions().by_code.get(code)
    return f"{courier_names(active_only=False).get(courier_code, courier_code)} {region.name if region else '其他地区'}"


def _draft(rule_set: RuleSet) -> RuleSet:
    if rule_set.status != "draft":
        raise OperationError(f"规则版本 v{rule_set.version} 已发布，不能修改；请先新建草稿")
    return rule_set


def create_draft(note: str, user_id: int | None = None, source: RuleSet | None = None) -> RuleSet:
    source = source or published_rule_set()
    version = (session.scalar(select(func.max(RuleSet.version))) or 0) + 1
    draft = RuleSet(version=version, status="draft", note=note.strip(), created_by_id=user_id,
                    default_item_weight_g=source.default_item_weight_g)
    draft.rules = [CourierRule(position=r.position, name=r.name, conditions=dict(r.conditions), action=dict(r.action))
                   for r in source.rules]
    draft.coverage = [CoverageExclusion(courier_code=c.courier_code, region_code=c.region_code,
                                        surcharge_fen=c.surcharge_fen) for c in source.coverage]
    draft.rates = [FreightRate(courier_code=r.courier_code, region_code=r.region_code, first_weight_g=r.first_weight_g,
                               first_fen=r.first_fen, extra_unit_g=r.extra_unit_g, extra_fen=r.extra_fen,
                               rounding=r.rounding) for r in source.rates]
    session.add(draft)
    session.flush()
    _audit(draft, f"新建草稿（复制自 v{source.version}）")
    return draft


def save_rule(rule_set: RuleSet, values: Mapping[str, Any], rule_id: int | None = None) -> CourierRule:
    """Save one rule from the structured form: new rules go last; all or nothing."""
    _draft(rule_set)
    name, conditions, action = rule_from_values(values, courier_names(active_only=False))
    rule = next((r for r in rule_set.rules if r.id == rule_id), None) if rule_id else None
    if rule_id and rule is None:
        raise OperationError("规则不存在")
    if rule is None:
        position = max((r.position for r in rule_set.rules), default=0) + 10
        rule = CourierRule(position=position, name=name, conditions=conditions, action=action)
        rule_set.rules.append(rule)
    else:
        rule.name, rule.conditions, rule.action = name, conditions, action
    session.flush()
    _audit(rule_set, f"{'修改' if rule_id else '新增'}规则「{name}」")
    return rule


def move_rule(rule_set: RuleSet, rule_id: int, direction: str) -> None:
    """Swap a rule's priority with its neighbour above ("up") or below ("down")."""
    _draft(rule_set)
    rules = sorted(rule_set.rules, key=lambda r: r.position)
    index = next((i for i, r in enumerate(rules) if r.id == rule_id), None)
    if index is None:
        raise OperationError("规则不存在")
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(rules):
        return
    a, b = rules[index], rules[other]
    a_pos, b_pos = a.position, b.position
    a.position = -1  # (rule set, position) is unique: park one while swapping
    session.flush()
    b.position = a_pos
    session.flush()
    a.position = b_pos
    session.flush()
    _audit(rule_set, f"规则「{a.name}」{'上移' if direction == 'up' else '下移'}")


def delete_rule(rule_set: RuleSet, rule_id: int) -> None:
    _draft(rule_set)
    rule = next((r for r in rule_set.rules if r.id == rule_id), None)
    if rule is None:
        raise OperationError("规则不存在")
    rule_set.rules.remove(rule)
    session.flush()
    _audit(rule_set, f"删除规则「{rule.name}」")


def add_coverage(rule_set: RuleSet, courier_code: str, region_text: str, surcharge_fen: int) -> CoverageExclusion:
    _draft(rule_set)
    if courier_code not in courier_names(active_only=False):
        raise OperationError(f"未知快递「{courier_code}」", field="courier_code")
    code = region_code(region_text)
    if any(c.courier_code == courier_code and c.region_code == code for c in rule_set.coverage):
        raise OperationError("该快递的这个地区已在超区表中", field="region")
    row = CoverageExclusion(courier_code=courier_code, region_code=code, surcharge_fen=max(0, surcharge_fen))
    rule_set.coverage.append(row)
    session.flush()
    _audit(rule_set, f"超区表新增 {_where(courier_code, code)}")
    return row


def delete_coverage(rule_set: RuleSet, row_id: int) -> None:
    _draft(rule_set)
    row = next((c for c in rule_set.coverage if c.id == row_id), None)
    if row is None:
        raise OperationError("超区记录不存在")
    rule_set.coverage.remove(row)
    session.flush()
    _audit(rule_set, f"超区表删除 {_where(row.courier_code, row.region_code)}")


def save_rate(rule_set: RuleSet, *, courier_code: str, region_text: str, first_weight_g: int, first_fen: int,
              extra_unit_g: int, extra_fen: int | None, rounding: str, rate_id: int | None = None) -> FreightRate:
    """Add a freight row, or change one (rate_id) of this draft."""
    _draft(rule_set)
    rate = next((r for r in rule_set.rates if r.id == rate_id), None) if rate_id else None
    if rate_id and rate is None:
        raise OperationError("运费记录不存在")
    if courier_code not in courier_names(active_only=False):
        raise OperationError(f"未知快递「{courier_code}」", field="courier_code")
    code = region_code(region_text) if region_text.strip() else ""
    if any(r.courier_code == courier_code and r.region_code == code and r is not rate for r in rule_set.rates):
        raise OperationError("该快递在这个地区已有运费，请修改那一行", field="region")
    if first_weight_g <= 0 or extra_unit_g <= 0:
        raise OperationError("首重和续重单位必须大于 0", field="first_weight_g")
    if first_fen < 0 or (extra_fen is not None and extra_fen < 0):
        raise OperationError("运费不能为负数", field="first")
    if rounding not in ("ceil", "half_up"):
        raise OperationError("未知的取整方式", field="rounding")
    if rate is None:
        rate = FreightRate(courier_code=courier_code, region_code=code)
        rule_set.rates.append(rate)
    rate.courier_code, rate.region_code = courier_code, code
    rate.first_weight_g, rate.first_fen, rate.extra_unit_g = first_weight_g, first_fen, extra_unit_g
    rate.extra_fen, rate.rounding = extra_fen, rounding
    session.flush()
    _audit(rule_set, f"运费{'修改' if rate_id else '新增'} {_where(courier_code, code)}")
    return rate


def delete_rate(rule_set: RuleSet, rate_id: int) -> None:
    _draft(rule_set)
    row = next((r for r in rule_set.rates if r.id == rate_id), None)
    if row is None:
        raise OperationError("运费记录不存在")
    rule_set.rates.remove(row)
    session.flush()
    _audit(rule_set, f"运费删除 {_where(row.courier_code, row.region_code)}")


def publish(rule_set: RuleSet) -> None:
    _draft(rule_set)
    if not rule_set.rules:
        raise OperationError("草稿没有任何规则，不能发布")
    for old in session.scalars(select(RuleSet).where(RuleSet.status == "published")):
        old.status = "retired"
    rule_set.status = "published"
    rule_set.published_at = utcnow()
    session.flush()
    _audit(rule_set, f"发布 v{rule_set.version}，共 {len(rule_set.rules)} 条规则", action="rule.publish")

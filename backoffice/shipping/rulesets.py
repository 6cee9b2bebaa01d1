"""Loading rule sets from the database into compiled routers (read-only)."""
from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from backoffice.db import session
from backoffice.errors import OperationError
from backoffice.shipping.freight import Rate
from backoffice.shipping.models import Courier, RuleSet
from backoffice.shipping.routing import Router

# Compiled routers by content: the same rules, coverage, rates and couriers
# compile once per process, and a changed or rolled-back set can never be served stale.
_compiled: dict[tuple, Router] = {}


def published_rule_set() -> RuleSet:
    rule_set = session.scalars(select(RuleSet).where(RuleSet.status == "published")
                               .order_by(RuleSet.version.desc()).limit(1)).first()
    if rule_set is None:
        raise OperationError("没有已发布的快递规则")
    return rule_set


def courier_names(active_only: bool = True) -> dict[str, str]:
    query = select(Courier.code, Courier.name).order_by(Courier.code)
    if active_only:
        query = query.where(Courier.active.is_(True))
    return dict(session.execute(query).all())


def router_for(rule_set: RuleSet) -> Router:
    names = courier_names()
    rule_set = session.scalars(select(RuleSet).where(RuleSet.id == rule_set.id).options(
        selectinload(RuleSet.rules), selectinload(RuleSet.coverage), selectinload(RuleSet.rates))).one()
    rules = tuple((r.position, r.name, json.dumps(r.conditions, sort_keys=True), json.dumps(r.action, sort_keys=True))
                  for r in rule_set.rules)
    coverage = tuple(sorted((c.courier_code, c.region_code, c.surcharge_fen) for c in rule_set.coverage))
    rates = tuple(sorted((r.courier_code, r.region_code, r.first_weight_g, r.first_fen, r.extra_unit_g,
                          -1 if r.extra_fen is None else r.extra_fen, r.rounding) for r in rule_set.rates))
    key = (rules, coverage, rates, tuple(names.items()))
    router = _compiled.get(key)
    if router is None:
        if len(_compiled) > 32:
            _compiled.clear()
        router = _compiled[key] = Router(
            [{"position": p, "name": n, "conditions": json.loads(c), "action": json.loads(a)} for p, n, c, a in rules],
            coverage, names,
            [Rate(r.courier_code, r.region_code, r.first_weight_g, r.first_fen, r.extra_unit_g, r.extra_fen,
                  r.rounding) for r in rule_set.rates])
    return router

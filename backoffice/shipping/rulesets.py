"""Loading rule sets from the database into compiled routers (read-only)."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from backoffice.db import session
from backoffice.errors import OperationError
from backoffice.shipping.freight import Rate
from backoffice.shipping.models import Courier, RuleSet
from backoffice.shipping.routing import Router

# Published rule sets never change, so their compiled routers are kept (by id).
_compiled: dict[tuple[int, str], Router] = {}


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
    key = (rule_set.id, ",".join(names))
    if rule_set.status == "published" and key in _compiled:
        return _compiled[key]
    rule_set = session.scalars(select(RuleSet).where(RuleSet.id == rule_set.id).options(
        selectinload(RuleSet.rules), selectinload(RuleSet.coverage), selectinload(RuleSet.rates))).one()
    router = Router(
        [{"position": r.position, "name": r.name, "conditions": r.conditions, "action": r.action}
         for r in rule_set.rules],
        [(c.courier_code, c.region_code, c.surcharge_fen) for c in rule_set.coverage],
        names,
        [Rate(r.courier_code, r.region_code, r.first_weight_g, r.first_fen, r.extra_unit_g, r.extra_fen, r.rounding)
         for r in rule_set.rates],
    )
    if rule_set.status == "published":
        _compiled[key] = router
    return router

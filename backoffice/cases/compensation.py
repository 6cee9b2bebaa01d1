"""Compensation policy lookup (SPEC §4.3), pure: the policy rows are data."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PolicyRow:
    item_kind: str
    price_from_fen: int
    price_below_fen: int | None
    severity: str
    amount_min_fen: int | None
    amount_max_fen: int | None
    full_refund: bool


@dataclass(frozen=True)
class Offer:
    min_fen: int | None
    max_fen: int | None
    full_refund: bool
    needs_approval_over_fen: int | None  # an amount above this needs a supervisor
    row: PolicyRow


class NoPolicy(LookupError):
    pass


def offer_for(rows: list[PolicyRow], item_kind: str, price_fen: int, severity: str) -> Offer:
    for row in rows:
        if (row.item_kind == item_kind and row.severity == severity and price_fen >= row.price_from_fen
                and (row.price_below_fen is None or price_fen < row.price_below_fen)):
            if row.full_refund:
                return Offer(None, None, True, None, row)
            return Offer(row.amount_min_fen, row.amount_max_fen, False, row.amount_max_fen, row)
    raise NoPolicy(f"no compensation rule for {item_kind} at {price_fen} fen, severity {severity}")

"""Freight: first weight + each additional unit, per courier and region, with
the courier's rounding rule. Pure; the most specific region's rate wins."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:
    from backoffice.shipping.routing import Parcel


@dataclass(frozen=True)
class Rate:
    courier_code: str
    region_code: str  # "" = every region without a more specific rate
    first_weight_g: int
    first_fen: int
    extra_unit_g: int = 1000
    extra_fen: int | None = None
    rounding: str = "ceil"  # ceil: a started unit counts; half_up: under half a unit is dropped


def extra_units(weight_g: int, rate: Rate) -> int:
    over = max(0, weight_g - rate.first_weight_g)
    unit = max(1, rate.extra_unit_g)
    if rate.rounding == "half_up":
        return (over + unit // 2) // unit if over * 2 >= unit else 0
    return -(-over // unit)


def freight_fen(weight_g: int, rate: Rate) -> int | None:
    """The price for one parcel; None when it needs an extra-unit price nobody set."""
    units = extra_units(weight_g, rate)
    if units == 0:
        return rate.first_fen
    if rate.extra_fen is None:
        return None
    return rate.first_fen + units * rate.extra_fen


class RateTable:
    def __init__(self, rates: Iterable[Rate]) -> None:
        self.by_key = {(r.courier_code, r.region_code): r for r in rates}

    def rate_for(self, courier: str | None, p: "Parcel") -> Rate | None:
        """The most specific rate of the courier for the parcel's destination (the router caches it)."""
        for code in (p.district_code, p.city_code, p.province_code, ""):
            if code is not None and (courier, code) in self.by_key:
                return self.by_key[(courier, code)]
        return None

"""Size class from the bag's longest side (SPEC §1.3), over the staff's size-class table."""
from __future__ import annotations

from decimal import Decimal
from typing import Sequence


def size_class(dimensions_cm: Sequence[Decimal | float | int | None],
               classes: Sequence[tuple[str, Decimal | None]]) -> tuple[str | None, str]:
    """classes: (name, below_cm) in ascending order, the last one unbounded (below_cm None).
    Returns the class and the reason; (None, reason) without any dimension."""
    sides = [Decimal(str(d)) for d in dimensions_cm if d is not None]
    if not sides:
        return None, "no dimensions given"
    longest = max(sides)
    for name, below in sorted(classes, key=lambda c: (c[1] is None, c[1] or 0)):
        if below is None or longest < Decimal(str(below)):
            bound = f"< {below} cm" if below is not None else "no upper bound"
            return name, f"longest side {longest} cm: {name} ({bound})"
    return None, f"no size class takes a longest side of {longest} cm"


def listed_sizes(has_variants: bool, variant_sizes: Sequence[str] = ("小", "大"), default: str = "中") -> list[str]:
    """The shop lists every bag as 中 unless it has real size variants (then 小 and 大)."""
    return list(variant_sizes) if has_variants else [default]

"""The manual order form's items box: one item per line, "SKU code, quantity,
price in yuan" (price optional: the SKU's price). Pure."""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

from backoffice.money import AmountError, whole_quantity, yuan_to_fen
from backoffice.orders.incoming import IncomingLine

_SPLIT = re.compile(r"[\s,，×*]+")  # not x: SKU codes contain it (xialuoxi-X-366)


def codes_in(text: str) -> set[str]:
    return {parts[0] for parts in (_split(raw) for raw in text.splitlines()) if parts}


def _split(raw: str) -> list[str]:
    return [p for p in _SPLIT.split(raw.strip()) if p]


def parse_lines(text: str, prices: dict[str, int]) -> tuple[list[IncomingLine], list[str]]:
    """``prices``: SKU code -> price in fen of the SKUs that exist."""
    lines, errors = [], []
    for number, raw in enumerate(text.splitlines(), start=1):
        parts = _split(raw)
        if not parts:
            continue
        code = parts[0]
        if code not in prices:
            errors.append(str(_l("Line %(n)d: unknown SKU code %(code)s", n=number, code=code)))
            continue
        try:
            quantity = whole_quantity(parts[1]) if len(parts) > 1 else 1
            price = yuan_to_fen(parts[2]) if len(parts) > 2 else prices[code]
            if price < 0 or len(parts) > 3:
                raise ValueError
        except AmountError as exc:
            if exc.kind == "format":
                errors.append(str(_l("Line %(n)d: write the SKU code, a quantity and optionally a price", n=number)))
            else:
                errors.append(str(_l("Line %(n)d: %(value)s is %(reason)s", n=number, value=exc.text,
                                     reason=exc.reason)))
            continue
        except ValueError:
            errors.append(str(_l("Line %(n)d: write the SKU code, a quantity and optionally a price", n=number)))
            continue
        lines.append(IncomingLine(code, quantity, price))
    if not lines and not errors:
        errors.append(str(_l("Add at least one item.")))
    return lines, errors

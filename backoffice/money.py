"""Money is integer fen everywhere; yuan exists only at the edges (forms, display).

Parsing refuses rather than changes: an amount with fractions of a fen, or one
beyond what the shop could ever charge, is an error, never rounded or clipped.
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l

# No order, refund, claim or freight of a handbag shop comes near a million
# yuan; anything above is a typo (or 1e20) and would overflow the columns.
MAX_YUAN = 1_000_000
# The most pieces of one SKU on one order line, return or reship.
MAX_QUANTITY = 9_999


class AmountError(ValueError):
    """A value that is not an acceptable amount; ``reason`` says why, for staff."""

    def __init__(self, text, reason, kind="format"):
        super().__init__(f"not an amount: {text!r}")
        self.text = str(text)
        self.reason = reason
        self.kind = kind  # format (not a number at all), limit or precision


def fen_to_yuan(fen: int) -> str:
    sign = "-" if fen < 0 else ""
    fen = abs(fen)
    return f"{sign}{fen // 100}.{fen % 100:02d}"


def yuan_to_fen(text: str | int | Decimal) -> int:
    """Parse a yuan amount as a person types it (¥ and thousands commas allowed)."""
    try:
        value = Decimal(str(text).strip().replace("¥", "").replace(",", ""))
    except InvalidOperation as exc:
        raise AmountError(text, _l("not an amount in yuan")) from exc
    if not value.is_finite():
        raise AmountError(text, _l("not an amount in yuan"))
    if value.adjusted() >= len(str(MAX_YUAN)) or abs(value) > MAX_YUAN:  # adjusted first: 1E+999999 stays cheap
        raise AmountError(text, _l("more than %(limit)s yuan", limit=f"{MAX_YUAN:,}"), "limit")
    fen = value * 100
    if fen != fen.to_integral_value():
        raise AmountError(text, _l("finer than one fen (at most two decimals)"), "precision")
    return int(fen)


def whole_quantity(text: str | int, maximum: int = MAX_QUANTITY) -> int:
    """A count of pieces: a whole number from 1 to ``maximum``."""
    text = str(text).strip()
    if not text.isascii() or not text.isdigit() or int(text) < 1:
        raise AmountError(text, _l("not a whole number above 0"))
    if len(text) > len(str(maximum)) or int(text) > maximum:
        raise AmountError(text, _l("more than %(limit)s pieces", limit=maximum), "limit")
    return int(text)

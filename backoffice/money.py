"""Money is integer fen everywhere; yuan exists only at the edges (forms, display)."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation


def fen_to_yuan(fen: int) -> str:
    sign = "-" if fen < 0 else ""
    fen = abs(fen)
    return f"{sign}{fen // 100}.{fen % 100:02d}"


def yuan_to_fen(text: str | int | Decimal) -> int:
    """Parse a yuan amount as a person types it; half-up to the fen."""
    try:
        value = Decimal(str(text).strip().replace("¥", "").replace(",", ""))
    except InvalidOperation as exc:
        raise ValueError(f"not an amount: {text!r}") from exc
    if not value.is_finite():
        raise ValueError(f"not an amount: {text!r}")
    return int((value * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))

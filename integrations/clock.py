"""Platform time formats. China keeps UTC+8 all year, so a fixed offset is exact."""
from __future__ import annotations

import datetime as dt

CST = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")


def to_cst_text(at: dt.datetime) -> str:
    """'yyyy-MM-dd HH:mm:ss' in Beijing time, as Taobao and Pinduoduo write times."""
    return at.astimezone(CST).strftime("%Y-%m-%d %H:%M:%S")


def from_cst_text(text: str) -> dt.datetime:
    if len(text) != 19 or text[10] != " ":  # fromisoformat (fast) would also take other shapes
        raise ValueError(f"not a 'yyyy-MM-dd HH:mm:ss' time: {text!r}")
    return dt.datetime.fromisoformat(text + "+08:00").astimezone(dt.timezone.utc)


def to_unix(at: dt.datetime) -> int:
    return int(at.timestamp())


def from_unix(seconds: int | float | str) -> dt.datetime:
    return dt.datetime.fromtimestamp(int(seconds), dt.timezone.utc)


def yuan_to_fen(text: str | float | int) -> int:
    """'128.50' -> 12850, exactly (no float rounding)."""
    if type(text) is str and len(text) > 3 and text[-3] == ".":  # '128.50': the usual shape, fast
        try:
            return int(text[:-3] + text[-2:])
        except ValueError:
            pass
    if isinstance(text, int):
        return text * 100
    value = str(text)
    whole, dot, part = value.partition(".")
    if whole.lstrip("-").isdigit() and (not dot or (part.isdigit() and len(part) <= 2)):
        fen = int(whole.lstrip("-")) * 100 + (int(part.ljust(2, "0")) if dot else 0)
        return -fen if whole.startswith("-") else fen
    from decimal import Decimal  # other shapes ('1e2', '0.125'): the slow exact way

    return int((Decimal(value) * 100).to_integral_value())


def fen_to_yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}" if fen >= 0 else "-" + fen_to_yuan(-fen)

"""Platform time formats. China keeps UTC+8 all year, so a fixed offset is exact."""
from __future__ import annotations

import datetime as dt

CST = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")


def to_cst_text(at: dt.datetime) -> str:
    """'yyyy-MM-dd HH:mm:ss' in Beijing time, as Taobao and Pinduoduo write times."""
    return at.astimezone(CST).strftime("%Y-%m-%d %H:%M:%S")


def from_cst_text(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=CST).astimezone(dt.timezone.utc)


def to_unix(at: dt.datetime) -> int:
    return int(at.timestamp())


def from_unix(seconds: int | float | str) -> dt.datetime:
    return dt.datetime.fromtimestamp(int(seconds), dt.timezone.utc)


def yuan_to_fen(text: str | float | int) -> int:
    """'128.50' -> 12850, exactly (no float rounding for strings)."""
    from decimal import Decimal

    return int((Decimal(str(text)) * 100).to_integral_value())


def fen_to_yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}" if fen >= 0 else "-" + fen_to_yuan(-fen)

"""Tracking numbers: normalised and checked against the courier's format (data on the courier)."""
from __future__ import annotations

import re
import unicodedata


def normalise(number: str) -> str:
    return re.sub(r"[\s\-]", "", unicodedata.normalize("NFKC", number or "")).upper()


def check(number: str, pattern: str | None, courier_name: str) -> tuple[str, str | None]:
    """(normalised number, problem in Chinese or None)."""
    clean = normalise(number)
    if not clean:
        return clean, "没有快递单号"
    if pattern and not re.fullmatch(pattern, clean):
        return clean, f"「{clean}」不是{courier_name}的单号格式"
    return clean, None

"""Masking of buyers' personal data for roles that do not need to see it."""
from __future__ import annotations

import re

MASK = "*"


def mask_name(name: str | None) -> str:
    """张三 → 张*, 欧阳娜娜 → 欧***, Li Lei → L******."""
    name = (name or "").strip()
    if not name:
        return ""
    return name[0] + MASK * max(len(name) - 1, 1)


def mask_phone(phone: str | None) -> str:
    """13812345678 → 138****5678; landlines and virtual numbers keep the same
    shape: first three and last four digits visible, the rest masked."""
    phone = (phone or "").strip()
    digits = [i for i, ch in enumerate(phone) if ch.isdigit()]
    if len(digits) <= 7:
        return re.sub(r"\d", MASK, phone)
    hidden = set(digits[3:-4])
    return "".join(MASK if i in hidden else ch for i, ch in enumerate(phone))


def mask_address(province: str | None, city: str | None, district: str | None, detail: str | None) -> str:
    """The region stays visible (it decides the courier); the street part is hidden."""
    region = " ".join(part for part in (province, city, district) if part)
    return f"{region} ****" if detail else region

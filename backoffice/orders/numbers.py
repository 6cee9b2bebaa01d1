"""Internal order numbers and production/batch numbers (SPEC §2), formatted
from editable patterns. Pure: the sequence itself is handed out by
``numbering.allocate`` under a row lock."""
from __future__ import annotations

import datetime as dt
import functools
import string
from typing import Callable

FIELDS = frozenset({"yyyy", "yy", "mm", "month_letter", "seq"})
MONTH_LETTERS = "ABCDEFGHIJKL"  # A = January ... L = December


class PatternError(ValueError):
    pass


def check_pattern(pattern: str) -> None:
    """Raise PatternError unless the pattern uses known fields and has {seq}
    and a month (numbers restart each month, so the month keeps them unique)."""
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None}
    except ValueError as exc:
        raise PatternError(str(exc)) from None
    unknown = names - FIELDS
    if unknown:
        raise PatternError(f"unknown field {sorted(unknown)[0]!r}")
    if "seq" not in names:
        raise PatternError("the pattern needs {seq}")
    if not names & {"mm", "month_letter"} or not names & {"yyyy", "yy"}:
        raise PatternError("the pattern needs the year and the month")
    format_number(pattern, dt.date(2026, 11, 1), 1)


def format_number(pattern: str, day: dt.date, seq: int) -> str:
    return number_formatter(pattern, day)(seq)


def number_formatter(pattern: str, day: dt.date) -> Callable[[int], str]:
    """``seq -> number`` for one day: the date fields are filled once."""
    fill = functools.partial(pattern.format, yyyy=f"{day.year:04d}", yy=f"{day.year % 100:02d}",
                             mm=f"{day.month:02d}", month_letter=MONTH_LETTERS[day.month - 1])

    def formatted(seq: int) -> str:
        try:
            return fill(seq=seq)
        except (ValueError, IndexError, KeyError) as exc:
            raise PatternError(str(exc)) from None

    return formatted


def period_of(day: dt.date) -> str:
    return f"{day.year:04d}{day.month:02d}"

"""Cells of the spreadsheets we write (XLSX and CSV) that no spreadsheet runs as a formula.

A buyer message, product title or reply that starts with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return would otherwise be evaluated when staff open
the file (``=HYPERLINK(...)``, DDE). Per OWASP "CSV Injection": CSV cells get a
leading single quote; XLSX cells are stored as text with Excel's quote prefix,
so the value reads back unchanged. Numbers (negative money included) stay numbers.
"""
from __future__ import annotations

from typing import Any, Iterable

from openpyxl.cell import WriteOnlyCell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_like(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_cell(value: Any) -> Any:
    return "'" + value if formula_like(value) else value


def csv_row(values: Iterable[Any]) -> list[Any]:
    return [csv_cell(v) for v in values]


def xlsx_row(sheet, values: Iterable[Any]) -> list[Any]:
    """``values`` ready for ``sheet.append``: formula-like strings become text cells."""
    row = []
    for value in values:
        if formula_like(value):
            cell = WriteOnlyCell(sheet, value)
            cell.data_type = "s"  # openpyxl made it a formula ("f") from the leading "="
            cell.quotePrefix = True  # Excel keeps it text even when the cell is edited
            value = cell
        row.append(value)
    return row

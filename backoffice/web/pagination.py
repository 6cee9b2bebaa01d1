"""Keyset pagination on the id: stays fast however deep the list goes."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import request
from sqlalchemy import Select

from backoffice.db import session

PAGE_SIZE = 50


@dataclass
class Page:
    items: list[Any]
    next_before: int | None  # pass as ?before= for the next (older) page


def keyset_page(query: Select, id_column, size: int = PAGE_SIZE) -> Page:
    before = request.args.get("before", type=int)
    if before:
        query = query.where(id_column < before)
    rows = session.scalars(query.order_by(id_column.desc()).limit(size + 1)).all()
    more = len(rows) > size
    rows = rows[:size]
    return Page(rows, rows[-1].id if more and rows else None)

"""Paging strategies for incremental windows."""
from __future__ import annotations

from math import ceil
from typing import Callable, Iterator, TypeVar

T = TypeVar("T")


def backwards(fetch: Callable[[int, int], tuple[list[T], int]], page_size: int, first: int = 1) -> Iterator[list[T]]:
    """Every page from the last to the first.

    `fetch(page_no, size)` returns (items, total). A one-record probe learns the
    total; then the last page is read first. An order modified while we page
    leaves the window (its new time is after the window's end), which shifts
    the records after it one place towards the front: reading backwards, those
    land on pages already read (seen twice, harmless) instead of being skipped.
    The moved order itself is read by the next window."""
    _, total = fetch(first, 1)
    pages = ceil(total / page_size)
    for page in range(first + pages - 1, first - 1, -1):
        items, _ = fetch(page, page_size)
        if items:
            yield items


def forwards(fetch: Callable[[int, int], tuple[list[T], bool]], page_size: int, first: int = 1) -> Iterator[list[T]]:
    """Pages in order while the platform says there are more (has_next / has_more)."""
    page = first
    while True:
        items, more = fetch(page, page_size)
        if items:
            yield items
        if not more or not items:
            return
        page += 1

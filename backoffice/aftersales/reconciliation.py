"""Returns reconciliation: received vs refunded vs platform status, pure.
Discrepancies come first, the worst first."""
from __future__ import annotations

import datetime as dt
from typing import NamedTuple

PROBLEM_ORDER = ("refunded_not_received", "received_not_refunded", "amount_differs", "platform_differs")
PLATFORM_REFUNDED = frozenset({"SUCCESS", "refunded", "REFUND_SUCCESS"})


class ReturnRow(NamedTuple):  # a tuple: 100,000 of them are built per report
    request_id: int
    order_number: str
    tracking_number: str | None
    amount_fen: int
    status: str
    received_at: dt.datetime | None
    refunded_fen: int
    outcome: str | None
    platform_status: str | None


class ReconciledRow(NamedTuple):
    row: ReturnRow
    problems: tuple[str, ...]


def reconcile(rows: list[ReturnRow], now: dt.datetime, grace: dt.timedelta = dt.timedelta(hours=24)) -> list[ReconciledRow]:
    troubled, clean = [], []
    for row in rows:
        problems = []
        refunded, received = row.refunded_fen, row.received_at
        if refunded and received is None:
            problems.append("refunded_not_received")
        if received is not None and not refunded and row.outcome != "refuse" and now - received > grace:
            problems.append("received_not_refunded")
        if refunded and row.outcome == "refund" and refunded != row.amount_fen:
            problems.append("amount_differs")
        if row.platform_status is not None and (row.platform_status in PLATFORM_REFUNDED) != bool(refunded):
            problems.append("platform_differs")
        if problems:
            troubled.append(ReconciledRow(row, tuple(problems)))
        else:
            clean.append(ReconciledRow(row, ()))

    def newest(r: ReconciledRow) -> dt.datetime:
        return r.row.received_at or now

    # newest first, then (stable) by the worst problem; problems are listed in PROBLEM_ORDER
    rank = {p: i for i, p in enumerate(PROBLEM_ORDER)}
    troubled.sort(key=newest, reverse=True)
    troubled.sort(key=lambda r: rank[r.problems[0]])
    clean.sort(key=newest, reverse=True)
    return troubled + clean

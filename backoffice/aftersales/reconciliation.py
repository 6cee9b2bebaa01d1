"""Returns reconciliation: received vs refunded vs platform status, pure.
Discrepancies come first, the worst first."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

PROBLEM_ORDER = ("refunded_not_received", "received_not_refunded", "amount_differs", "platform_differs")
PLATFORM_REFUNDED = frozenset({"SUCCESS", "refunded", "REFUND_SUCCESS"})


@dataclass(frozen=True)
class ReturnRow:
    request_id: int
    order_number: str
    tracking_number: str | None
    amount_fen: int
    status: str
    received_at: dt.datetime | None
    refunded_fen: int
    outcome: str | None
    platform_status: str | None


@dataclass(frozen=True)
class ReconciledRow:
    row: ReturnRow
    problems: tuple[str, ...]


def reconcile(rows: list[ReturnRow], now: dt.datetime, grace: dt.timedelta = dt.timedelta(hours=24)) -> list[ReconciledRow]:
    result = []
    for row in rows:
        problems = []
        if row.refunded_fen and row.received_at is None:
            problems.append("refunded_not_received")
        if row.received_at is not None and not row.refunded_fen and row.outcome != "refuse" \
                and now - row.received_at > grace:
            problems.append("received_not_refunded")
        if row.refunded_fen and row.outcome == "refund" and row.refunded_fen != row.amount_fen:
            problems.append("amount_differs")
        if row.platform_status is not None and (row.platform_status in PLATFORM_REFUNDED) != bool(row.refunded_fen):
            problems.append("platform_differs")
        result.append(ReconciledRow(row, tuple(problems)))
    rank = {p: i for i, p in enumerate(PROBLEM_ORDER)}
    result.sort(key=lambda r: (0 if r.problems else 1, min((rank[p] for p in r.problems), default=99),
                               -(r.row.received_at or now).timestamp()))
    return result

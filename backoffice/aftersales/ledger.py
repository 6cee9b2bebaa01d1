"""The part of the reconciliation outside returns: every refund-only refund,
compensation, case refund and reship, one row each, the problems first."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import aliased

from backoffice.aftersales.models import RefundRequest
from backoffice.cases.models import MoneyMovement, Reship
from backoffice.db import session
from backoffice.orders.models import Order
from backoffice.outbox import OutboxMessage

LEDGER_PROBLEMS = ("platform_failed", "platform_pending_long", "reship_not_shipped")


@dataclass(frozen=True)
class LedgerRow:
    key: str                # the movement's idempotency key, or reship:<id>
    kind: str               # refund / partial_refund / compensation / reship
    order_number: str
    amount_fen: int | None  # None for a reship
    created_at: dt.datetime
    platform: str           # outbox status of the platform refund, "none"; for a reship its order's status
    reship_order: str | None = None


def problems_of(row: LedgerRow, now: dt.datetime, grace: dt.timedelta = dt.timedelta(hours=24)) -> tuple[str, ...]:
    late = now - row.created_at > grace
    if row.kind == "reship":
        return ("reship_not_shipped",) if late and row.platform in ("pending", "paid") else ()
    if row.platform == "failed":
        return ("platform_failed",)
    return ("platform_pending_long",) if late and row.platform == "pending" else ()


def order_rows(rows: list[LedgerRow], now: dt.datetime) -> list[tuple[LedgerRow, tuple[str, ...]]]:
    result = [(row, problems_of(row, now)) for row in rows]
    result.sort(key=lambda r: (0 if r[1] else 1, -r[0].created_at.timestamp()))
    return result


def ledger_rows() -> list[LedgerRow]:
    outbox = aliased(OutboxMessage)
    movements = session.execute(
        select(MoneyMovement.idempotency_key, MoneyMovement.kind, Order.number, MoneyMovement.amount_fen,
               MoneyMovement.created_at, outbox.status)
        .join(Order, Order.id == MoneyMovement.order_id)
        .outerjoin(RefundRequest, RefundRequest.id == MoneyMovement.refund_request_id)
        .outerjoin(outbox, outbox.idempotency_key == "refund:" + MoneyMovement.idempotency_key)
        .where(or_(RefundRequest.id.is_(None), RefundRequest.kind != "return"))  # returns have their own rows
        .order_by(MoneyMovement.id))
    rows = [LedgerRow(key, kind, number, amount, created, status or "none")
            for key, kind, number, amount, created, status in movements]
    new_order = aliased(Order)
    reships = session.execute(
        select(Reship.id, Order.number, Reship.created_at, new_order.status, new_order.number)
        .join(Order, Order.id == Reship.original_order_id).join(new_order, new_order.id == Reship.order_id)
        .order_by(Reship.id))
    rows += [LedgerRow(f"reship:{rid}", "reship", number, None, created, status, reship_number)
             for rid, number, created, status, reship_number in reships]
    return rows

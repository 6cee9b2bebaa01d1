"""Refunds and returns pulled from the platforms become after-sales records.

The decision (which of our statuses a platform state means, and whether a
report may move a record) is pure; `upsert` applies it. One record per
(platform, platform refund id): a repeat or an older report changes nothing."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from backoffice import outbox
from backoffice.aftersales.models import RefundRequest
from backoffice.db import session
from backoffice.orders.models import Order, OrderEvent
from backoffice.timeutil import utcnow
from integrations.base import RefundDecision, supports

# The adapters' refund states (integrations.base.Refund.status) -> ours, per kind.
STATUS = {
    "refund_only": {"requested": "pending", "agreed": "refunded", "succeeded": "refunded", "refused": "refused",
                    "closed": "closed"},
    "return": {"requested": "pending", "agreed": "awaiting_return", "succeeded": "refunded", "refused": "refused",
               "closed": "closed"},
}
# How far along a request is; a report never moves a request back (our own
# decision may be ahead of the platform until the outbox has told it).
_STAGE = {"pending": 0, "awaiting_return": 1, "received": 2, "refunded": 3, "refused": 3, "closed": 3}
FINAL = ("refunded", "refused", "closed")


def kind_of(payload: dict[str, Any]) -> str:
    return "return" if payload.get("goods_returned") else "refund_only"


def next_status(current: str | None, reported: str) -> str:
    """The status after the platform reported `reported` (already ours)."""
    if current is None or _STAGE[reported] > _STAGE[current]:
        return reported
    return current


@dataclass
class RefundIntake:
    created: int = 0
    updated: int = 0
    waiting: int = 0  # the order is not taken in yet; kept in the inbox for the next run


def upsert(platform: str, shop_id: int, payloads: list[dict[str, Any]]) -> tuple[RefundIntake, list[int]]:
    """Create or update the requests of `payloads` (Refund DTOs as stored).
    Returns the counts and the indexes of the payloads that were handled."""
    result, handled = RefundIntake(), []
    order_ids = {p["platform_order_id"] for p in payloads}
    orders = {o.platform_order_id: o for o in session.scalars(select(Order).where(
        Order.platform == platform, Order.shop_id == shop_id, Order.platform_order_id.in_(order_ids)))}
    refund_ids = [p["platform_refund_id"] for p in payloads]
    existing = {r.platform_refund_id: r for r in session.scalars(
        select(RefundRequest).join(Order, Order.id == RefundRequest.order_id)
        .where(Order.platform == platform, RefundRequest.platform_refund_id.in_(refund_ids)))}
    for index, payload in enumerate(payloads):
        order = orders.get(payload["platform_order_id"])
        if order is None:
            result.waiting += 1
            continue
        handled.append(index)
        kind = kind_of(payload)
        reported = STATUS[kind][payload["status"]]
        request = existing.get(payload["platform_refund_id"])
        if request is None:
            request = RefundRequest(order=order, platform_refund_id=payload["platform_refund_id"], kind=kind,
                                    status=reported, amount_fen=payload["amount_fen"],
                                    reason=(payload.get("reason") or None) and payload["reason"][:64],
                                    platform_status=payload["platform_status"][:32])
            if reported in FINAL:
                request.resolved_at = utcnow()
            session.add(request)
            existing[request.platform_refund_id] = request
            session.add(OrderEvent(order_id=order.id, kind="refund",
                                   message=f"平台售后申请 {request.platform_refund_id}"
                                           f"（{payload['amount_fen'] / 100:.2f} 元）"))
            result.created += 1
            continue
        status = next_status(request.status, reported)
        if request.status == "pending":
            request.amount_fen = payload["amount_fen"]  # the buyer may change the amount while it waits
        if status != request.status and status in FINAL:
            request.resolved_at = utcnow()
        request.status, request.platform_status = status, payload["platform_status"][:32]
        result.updated += 1
    session.flush()
    return result, handled


def tell_platform(request: RefundRequest, agree: bool, reason: str = "", amount_fen: int | None = None) -> None:
    """Queue our answer for the platform the order came from, in the caller's
    transaction (the outbox); requests and orders from elsewhere have no one to tell."""
    order = request.order
    if not request.platform_refund_id or not supports(order.platform, "decide_refund"):
        return
    outbox.enqueue(order.shop_id, "refund", f"refund:{order.platform}:{request.platform_refund_id}",
            {"platform_refund_id": request.platform_refund_id, "platform_order_id": order.platform_order_id,
             "agree": agree, "amount_fen": request.amount_fen if amount_fen is None else amount_fen,
             "goods_returned": request.kind == "return",
             "reason": reason})


@outbox.handles("refund")
def deliver_refund_decision(payload: dict, adapter) -> None:
    adapter.decide_refund(RefundDecision(**payload))

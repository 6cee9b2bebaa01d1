"""From the inbox to the orders: platform orders as pulled become orders through
the one intake operation. Pure mapping first, then one operation."""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update

from backoffice.db import session
from backoffice.orders.incoming import IncomingLine, IncomingOrder, IncomingReceiver
from backoffice.orders.intake import intake
from backoffice.service import reviews
from backoffice.shops.models import Shop
from backoffice.sync.models import InboxRecord
from backoffice.sync.operations import latest_versions
from backoffice.timeutil import utcnow

log = logging.getLogger(__name__)

# the adapters' order states (integrations.base.Order.status) -> ours
ORDER_STATUS = {"awaiting_payment": "pending", "to_ship": "paid", "shipped": "shipped", "completed": "completed",
                "closed": "closed", "cancelled": "cancelled"}


def incoming_order(platform: str, shop_id: int, payload: dict[str, Any]) -> IncomingOrder:
    """An inbox payload (an integrations Order DTO as stored) as the intake wants it."""
    receiver = payload["receiver"]
    when = dt.datetime.fromisoformat
    status = ORDER_STATUS[payload["status"]]
    return IncomingOrder(
        platform=platform, shop_id=shop_id, platform_order_id=payload["platform_order_id"], status=status,
        receiver=IncomingReceiver(receiver["name"], receiver["phone"], receiver["address"],
                                  receiver.get("province") or None, receiver.get("city") or None,
                                  receiver.get("district") or None),
        lines=[IncomingLine(line["sku_code"], line["quantity"], line["price_fen"], line.get("title", ""))
               for line in payload["lines"]],
        paid_fen=payload["paid_fen"], ordered_at=when(payload["created_at"]),
        paid_at=when(payload["created_at"]) if status != "pending" else None,
        platform_status=payload.get("platform_status"), platform_modified_at=when(payload["modified_at"]),
        buyer_message=payload.get("buyer_note") or None,
    )


@dataclass
class InboxIntake:
    processed: int = 0
    created: int = 0
    updated: int = 0
    waiting: int = 0


def process_orders(shop_id: int, limit: int = 2000) -> InboxIntake:
    """Turn the shop's unprocessed inbox orders into orders (in the caller's unit of work)."""
    shop = session.get(Shop, shop_id)
    records = session.execute(
        select(InboxRecord.id, InboxRecord.payload).where(
            InboxRecord.shop_id == shop_id, InboxRecord.kind == "order", InboxRecord.processed_at.is_(None))
        .order_by(InboxRecord.platform_modified_at, InboxRecord.id).limit(limit)).all()
    result = InboxIntake()
    if not records:
        return result
    outcome = intake([incoming_order(shop.platform, shop_id, payload) for _, payload in records], source="sync")
    _mark_processed([rid for rid, _ in records])
    result.processed, result.created, result.updated = len(records), len(outcome.created), len(outcome.updated)
    return result


def take_in_pulled(shop_id: int, platform: str, rows: list[tuple[str, dt.datetime, dict[str, Any]]]) -> bool:
    """Orders just pulled (``rows`` as ``store_inbox`` takes them, not stored
    yet) made into orders at once, in the transaction that then stores them in
    the inbox as processed: a pull leaves no backlog, and a crash loses neither
    the record nor the order. False when the intake refused them: nothing of
    it is kept, and the caller stores them unprocessed for the intake job,
    which records why."""
    try:
        with session.begin_nested():
            intake([incoming_order(platform, shop_id, payload) for _, _, payload in latest_versions(rows)],
                   source="sync")
    except Exception:
        log.exception("intake of %d pulled orders of shop %s failed; left in the inbox", len(rows), shop_id)
        return False
    return True


def _mark_processed(inbox_ids: list[int]) -> None:
    session.execute(update(InboxRecord).where(InboxRecord.id.in_(inbox_ids))
                    .values(processed_at=utcnow()).execution_options(synchronize_session=False))


def process_refunds(shop_id: int, after_id: int = 0, limit: int = 500) -> tuple[InboxIntake, int]:
    """Turn the shop's unprocessed inbox refunds after inbox id `after_id` into
    after-sales requests. A refund whose order is not taken in yet stays
    unprocessed for a later run. Returns the counts and the last id read."""
    from backoffice.aftersales.platform_refunds import upsert

    shop = session.get(Shop, shop_id)
    records = session.execute(
        select(InboxRecord.id, InboxRecord.payload).where(
            InboxRecord.shop_id == shop_id, InboxRecord.kind == "refund", InboxRecord.processed_at.is_(None),
            InboxRecord.id > after_id)
        .order_by(InboxRecord.id).limit(limit)).all()
    result = InboxIntake()
    if not records:
        return result, after_id
    outcome, handled = upsert(shop.platform, shop_id, [payload for _, payload in records])
    done = [records[i][0] for i in handled]
    if done:
        _mark_processed(done)
    result.processed, result.created, result.updated = len(done), outcome.created, outcome.updated
    result.waiting = outcome.waiting
    return result, records[-1][0]


def process_reviews(shop_id: int, limit: int = 500) -> reviews.ReviewIntake:
    """The shop's unprocessed inbox reviews become reviews (in the caller's unit of work)."""
    records = session.execute(
        select(InboxRecord.id, InboxRecord.payload).where(
            InboxRecord.shop_id == shop_id, InboxRecord.kind == "review", InboxRecord.processed_at.is_(None))
        .order_by(InboxRecord.platform_modified_at, InboxRecord.id).limit(limit)).all()
    result = reviews.ReviewIntake()
    if not records:
        return result
    row = reviews.settings()
    rules = reviews.rules_of(row)
    for _id, payload in records:
        review, new = reviews.take_in(shop_id, payload, rules, row.review_reply)
        if new:
            result.replies += review.verdict == "good"
            result.bad += review.verdict == "bad"
    session.execute(update(InboxRecord).where(InboxRecord.id.in_([rid for rid, _p in records]))
                    .values(processed_at=utcnow()).execution_options(synchronize_session=False))
    result.processed = len(records)
    return result

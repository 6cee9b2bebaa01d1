"""Delivering outbox messages to the platforms, each exactly once as the
platform sees it: a message is claimed before it is sent (two dispatchers
never send it together), and a repeat after a crash or an unanswered call is
recognised by the platform ("already shipped") and counted as delivered."""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from backoffice.db import session
from backoffice.sync import operations as ops
from backoffice.sync.models import OutboxMessage, Shop
from integrations.base import (AlreadyDone, AuthExpired, Listing, ListingSku, PlatformError, RefundDecision,
                               ReviewReply, Shipment, StockLevel, adapter_for)

CLAIM_SECONDS = 120
MAX_ATTEMPTS = 12
# what deliver() can send; other kinds wait, pending
DELIVERABLE = ("shipment", "review_reply", "refund", "stock", "listing")


@dataclass
class DispatchResult:
    delivered: int = 0
    retried: int = 0
    failed: int = 0


def deliver(kind: str, payload: dict, adapter) -> str | None:
    """Send one message; returns what the platform made, where the back office keeps it (an item id)."""
    if kind == "listing":
        fields = dict(payload["listing"])
        fields["skus"] = tuple(ListingSku(**sku) for sku in fields["skus"])
        fields["image_urls"] = tuple(fields["image_urls"])
        return adapter.publish_listing(Listing(**fields))
    if kind == "shipment":
        adapter.confirm_shipment(Shipment(**payload))
    elif kind == "review_reply":
        adapter.reply_review(ReviewReply(**payload))
    elif kind == "refund":
        adapter.decide_refund(RefundDecision(**payload))
    elif kind == "stock":
        adapter.push_stock([StockLevel(sku, quantity) for sku, quantity in payload["levels"]])
    else:
        raise PlatformError(f"unknown outbox message kind {kind}")
    return None


def write_back(kind: str, payload: dict, result: str | None, delivered: bool) -> None:
    """Record the outcome where the change came from, in the transaction that settles the message: a
    crash before it commits leaves the message due, and its repeat answers the same result."""
    if kind != "listing":
        return
    from backoffice.catalog import publishing

    if delivered:
        publishing.record_published(payload["listing_id"], result)
    else:
        publishing.record_failed(payload["listing_id"])


def retry_delay(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=min(3600, 30 * 2 ** min(attempts, 7)) * random.uniform(0.5, 1.0))


def dispatch(limit: int = 200, adapters: dict[int, object] | None = None) -> DispatchResult:
    """Deliver due messages. Commits after each step (job code); every write
    opens its own transaction, so SQLite never has to upgrade a read lock."""
    result = DispatchResult()
    adapters = dict(adapters or {})
    due = ops.due_messages(limit, DELIVERABLE)
    session.commit()
    for message_id in due:
        if not ops.claim(message_id, CLAIM_SECONDS):
            session.rollback()
            continue  # another dispatcher has it
        session.commit()
        message = session.get(OutboxMessage, message_id)
        kind, payload, attempts, shop_id = message.kind, dict(message.payload), message.attempts, message.shop_id
        adapter = adapters.get(shop_id)
        if adapter is None:
            shop = session.get(Shop, shop_id)
            adapter = adapters[shop_id] = adapter_for(shop.platform, ops.shop_credentials(shop))
        session.commit()  # end the read before the platform call
        try:
            made = deliver(kind, payload, adapter)
            write_back(kind, payload, made, delivered=True)
            ops.settle(message_id, delivered=True)
            result.delivered += 1
        except AlreadyDone:
            ops.settle(message_id, delivered=True, error="already done on the platform")
            result.delivered += 1
        except AuthExpired as exc:
            ops.mark_needs_reauthorisation(shop_id, str(exc))
            ops.settle(message_id, delivered=False, error=str(exc), retry_in=dt.timedelta(minutes=30))
            result.retried += 1
        except PlatformError as exc:
            give_up = not exc.retryable or attempts >= MAX_ATTEMPTS
            if give_up:
                write_back(kind, payload, None, delivered=False)
            ops.settle(message_id, delivered=False, error=str(exc), retry_in=retry_delay(attempts),
                       give_up=give_up)
            result.failed += give_up
            result.retried += not give_up
        session.commit()
    return result

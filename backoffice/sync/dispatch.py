"""Delivering outbox messages to the platforms, each exactly once as the
platform sees it: a message is claimed before it is sent (two dispatchers
never send it together), and a repeat after a crash or an unanswered call is
recognised by the platform ("already shipped") and counted as delivered."""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from backoffice import outbox
from backoffice.aftersales import platform_refunds  # noqa: F401
from backoffice.catalog import publishing  # noqa: F401
from backoffice.db import session
from backoffice.outbox import OutboxMessage

# The domains whose messages are delivered here register their handlers when imported.
from backoffice.service import reviews  # noqa: F401
from backoffice.shipping import operations as shipping  # noqa: F401
from backoffice.shops import operations as shops
from backoffice.shops.models import Shop, connected_shop_ids
from backoffice.sync import stock_push  # noqa: F401
from integrations.base import AlreadyDone, AuthExpired, PlatformError, adapter_for

CLAIM_SECONDS = 120
MAX_ATTEMPTS = 12


@dataclass
class DispatchResult:
    delivered: int = 0
    retried: int = 0
    failed: int = 0


def deliver(kind: str, payload: dict, adapter) -> str | None:
    """Send one message through the handler its domain registered; returns
    what the platform made, where the back office keeps it (an item id)."""
    handler = outbox.HANDLERS.get(kind)
    if handler is None:
        raise PlatformError(f"unknown outbox message kind {kind}")
    return handler.deliver(payload, adapter)


def write_back(kind: str, payload: dict, result: str | None, delivered: bool) -> None:
    """Record the outcome where the change came from, in the transaction that settles the message: a
    crash before it commits leaves the message due, and its repeat answers the same result."""
    handler = outbox.HANDLERS.get(kind)
    if handler is not None and handler.write_back is not None:
        handler.write_back(payload, result, delivered)


def deliverable() -> tuple[str, ...]:
    """The kinds a handler is registered for; others (payouts without a platform call) wait, pending."""
    return tuple(sorted(outbox.HANDLERS))


def retry_delay(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=min(3600, 30 * 2 ** min(attempts, 7)) * random.uniform(0.5, 1.0))


def dispatch(limit: int = 200, adapters: dict[int, object] | None = None) -> DispatchResult:
    """Deliver due messages. Commits after each step (job code); every write
    opens its own transaction, so SQLite never has to upgrade a read lock."""
    result = DispatchResult()
    adapters = dict(adapters or {})
    due = outbox.due_messages(limit, deliverable(), connected_shop_ids())
    session.commit()
    for message_id in due:
        if not outbox.claim(message_id, CLAIM_SECONDS):
            session.rollback()
            continue  # another dispatcher has it
        session.commit()
        message = session.get(OutboxMessage, message_id)
        kind, payload, attempts, shop_id = message.kind, dict(message.payload), message.attempts, message.shop_id
        adapter = adapters.get(shop_id)
        if adapter is None:
            shop = session.get(Shop, shop_id)
            adapter = adapters[shop_id] = adapter_for(shop.platform, shops.shop_credentials(shop))
        session.commit()  # end the read before the platform call
        try:
            made = deliver(kind, payload, adapter)
            write_back(kind, payload, made, delivered=True)
            outbox.settle(message_id, delivered=True)
            result.delivered += 1
        except AlreadyDone:
            outbox.settle(message_id, delivered=True, error="already done on the platform")
            result.delivered += 1
        except AuthExpired as exc:
            shops.mark_needs_reauthorisation(shop_id, str(exc))
            outbox.settle(message_id, delivered=False, error=str(exc), retry_in=dt.timedelta(minutes=30))
            result.retried += 1
        except PlatformError as exc:
            give_up = not exc.retryable or attempts >= MAX_ATTEMPTS
            if give_up:
                write_back(kind, payload, None, delivered=False)
            outbox.settle(message_id, delivered=False, error=str(exc), retry_in=retry_delay(attempts),
                       give_up=give_up)
            result.failed += give_up
            result.retried += not give_up
        session.commit()
    return result

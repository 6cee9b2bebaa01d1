"""Pulling a shop's records window by window into the inbox, orders made
into orders on the way.

The checkpoint moves only after a whole window succeeded; pages are committed
to the inbox (and their orders to the orders) as they arrive, a batch at a
time (both are idempotent, so a window read again after a crash changes
nothing they already hold). A lease on the checkpoint keeps a second pull of
the same shop from running at once."""
from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable

from backoffice import outbox
from backoffice.db import session
from backoffice.shops import operations as shops
from backoffice.shops.models import Shop
from backoffice.sync import operations as ops
from backoffice.sync.inbox_intake import take_in_pulled
from backoffice.timeutil import utcnow
from integrations.base import AuthExpired, adapter_for
from integrations.prefetch import prefetch
from integrations.windows import windows

OVERLAP = dt.timedelta(minutes=5)  # re-read the end of the last window: clocks and late writes
FIRST_PULL = dt.timedelta(days=3)  # how far back a newly connected shop starts
LEASE_SECONDS = 300
COMMIT_EVERY = 1.0  # seconds
FETCH_PATIENCE = 0.05  # seconds: a next page due sooner is waited for without committing first
# Pulled records are stored (orders also made into orders) at most this many
# at a time: the intake's cost per call is paid per batch, not per page.
INTAKE_BATCH = 2000
log = logging.getLogger(__name__)
# The line logged when a pull gives its lease back: the times it held it, the
# only times that must never overlap for one stream (tests read it).
LEASE_HELD = "lease held: shop=%s stream=%s owner=%s from=%s until=%s"
STREAMS = {  # stream: (inbox kind, the adapter's pages, record -> (platform id, modified, payload))
    "orders": ("order", lambda adapter: adapter.order_pages,
               lambda r: (r.platform_order_id, r.modified_at, ops.order_payload(r))),
    "refunds": ("refund", lambda adapter: adapter.refund_pages,
                lambda r: (r.platform_refund_id, r.modified_at, outbox.to_payload(r))),
    "reviews": ("review", lambda adapter: adapter.review_pages,
                lambda r: (r.platform_review_id, r.created_at, outbox.to_payload(r))),
}


@dataclass
class PullResult:
    skipped: str = ""
    windows: int = 0
    pages: int = 0
    records: int = 0
    written: int = 0
    taken_in: int = 0  # orders made from the pulled records in the same transaction
    synced_until: dt.datetime | None = None
    counts: dict[str, Any] = field(default_factory=dict)


def renew_and_commit(cp_id: int, owner: str, result: PullResult, on_page) -> None:
    if not ops.acquire_lease(cp_id, owner, LEASE_SECONDS):  # renew; lost means stop
        raise RuntimeError("sync lease lost")
    if on_page:
        on_page(result.pages)
    session.commit()


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def pull(shop_id: int, stream: str = "orders", adapter=None, now: dt.datetime | None = None,
         owner: str | None = None, on_page: Callable[[int], None] | None = None) -> PullResult:
    """Pull `stream` of one shop up to the platform's settled horizon.

    Commits as it goes (this is job code, the unit of work of each step)."""
    kind, pages_of, key_of = STREAMS[stream]
    owner = owner or worker_name()
    result = PullResult()
    ops.ensure_checkpoint(shop_id, stream)
    session.commit()
    cp_id = ops.checkpoint(shop_id, stream).id
    session.commit()
    if not ops.acquire_lease(cp_id, owner, LEASE_SECONDS):
        session.rollback()
        result.skipped = "another pull of this shop is running"
        return result
    session.commit()
    leased_at = utcnow()  # after the commit that took it: no other pull can hold it from here on
    try:
        shop = session.get(Shop, shop_id)
        if shop.token_expires_at and shop.token_expires_at <= utcnow():
            raise AuthExpired(f"the access token expired at {shop.token_expires_at:%Y-%m-%d %H:%M} UTC", "expires_at")
        if adapter is None:
            adapter = adapter_for(shop.platform, shops.shop_credentials(shop))
        now = now or utcnow()
        since = ops.checkpoint(shop_id, stream).synced_until
        start = (since - OVERLAP) if since else now - FIRST_PULL
        horizon = now - adapter.settle_lag
        platform = shop.platform
        session.commit()  # end the read: each page's write then starts its own transaction
        last_commit = time.monotonic()
        pulled: list = []  # rows of the pages read since the last commit

        def store() -> None:
            if not pulled:
                return
            taken = kind == "order" and take_in_pulled(shop_id, platform, pulled)
            result.written += ops.store_inbox(shop_id, kind, pulled, processed=taken)
            result.taken_in += len(pulled) if taken else 0
            pulled.clear()

        for w_start, w_end in windows(start, horizon, adapter.max_window):
            pages = prefetch(pages_of(adapter)(w_start, w_end))
            for page in pages:
                pulled.extend(key_of(r) for r in page)
                result.records += len(page)
                result.pages += 1
                # Store and commit before waiting for the platform, else about once a
                # second or every INTAKE_BATCH records (each commit is a disk sync):
                # no write lock is held across a slow fetch.
                if (len(pulled) >= INTAKE_BATCH or not pages.ready_within(FETCH_PATIENCE)
                        or time.monotonic() - last_commit >= COMMIT_EVERY):
                    store()
                    renew_and_commit(cp_id, owner, result, on_page)
                    last_commit = time.monotonic()
            store()
            ops.advance(cp_id, owner, w_end)
            renew_and_commit(cp_id, owner, result, on_page)
            last_commit = time.monotonic()
            result.windows += 1
            result.synced_until = w_end
    except AuthExpired as exc:
        session.rollback()
        shops.mark_needs_reauthorisation(shop_id, str(exc))
        session.commit()
        raise
    finally:
        session.rollback()
        released_at = utcnow()  # before the commit that gives it back
        ops.release_lease(cp_id, owner)
        session.commit()
        log.info(LEASE_HELD, shop_id, stream, owner, leased_at.isoformat(), released_at.isoformat())
    return result

"""Scheduled jobs. Each runs in its own unit of work and leaves a JobRun."""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from huey import crontab
from sqlalchemy import delete

from backoffice import queue
from backoffice.jobs import RELEASE_ON_ABANDON, run_job
from backoffice.shops.models import PULL_PLATFORMS
from backoffice.sync.operations import release_leases_of

RELEASE_ON_ABANDON.append(release_leases_of)  # a dead worker's pulls keep no shop's lease


@queue.periodic("nightly_backup", crontab(minute="0", hour="19"))  # 03:00 Asia/Shanghai
def nightly_backup() -> None:
    app = queue.job_app()
    with app.app_context():
        from backoffice.accounts import audit
        from backoffice.backup import scheduled_backup

        def work(counts: dict) -> None:
            keep = int(os.environ.get("BACKOFFICE_BACKUP_KEEP", "14"))
            written = scheduled_backup(app.extensions["engine"], Path(app.instance_path) / "backups", keep,
                                       instance=Path(app.instance_path))
            counts["file"] = written.name
            audit.record("backup", str(written))

        run_job("nightly_backup", work, task="nightly_backup", params=[])


@queue.periodic("purge_login_attempts", crontab(minute="30", hour="19"))
def purge_login_attempts() -> None:
    """Login attempts matter only for throttling; keep 30 days for inquiries."""
    app = queue.job_app()
    with app.app_context():
        from backoffice.accounts.models import LoginAttempt
        from backoffice.db import session
        from backoffice.timeutil import utcnow

        def work(counts: dict) -> None:
            result = session.execute(delete(LoginAttempt).where(LoginAttempt.at < utcnow() - dt.timedelta(days=30)))
            counts["deleted"] = result.rowcount

        run_job("purge_login_attempts", work, task="purge_login_attempts", params=[])



@queue.job("pull_shop")
def pull_shop(shop_id: int, stream: str = "orders") -> None:
    """Pull one shop's orders (or refunds) into the inbox. A second pull of the
    same shop while one runs ends at once (the checkpoint's lease)."""
    with queue.app_for_job().app_context():
        from backoffice.jobs import record_progress
        from backoffice.sync.pulling import pull

        def work(counts) -> None:
            def progress(pages: int) -> None:
                counts["pages"] = pages
                record_progress(counts)

            result = pull(shop_id, stream, on_page=progress)
            counts.update(windows=result.windows, pages=result.pages, records=result.records,
                          written=result.written)
            if stream == "orders":
                counts["taken_in"] = result.taken_in
            if result.skipped:
                counts["skipped"] = result.skipped

        run_job(f"pull_{stream}", work, shop_id=shop_id, task="pull_shop", params=[shop_id, stream])


@queue.job("intake_shop", retries=3, retry_delay=5)
def intake_shop(shop_id: int) -> None:
    """The pulled orders become orders. A failed run is retried; the inbox keeps
    what is not processed yet. Queued by "sync now" and by the demo's first pull."""
    with queue.app_for_job().app_context():
        run_job("intake_orders", _intake_work(shop_id), shop_id=shop_id, writer=True, task="intake_shop",
                params=[shop_id])


@queue.job("intake_all_shops", startable=True)
def intake_all_shops() -> None:
    """Queue the intake of every shop that has pulled orders or refunds waiting."""
    with queue.app_for_job().app_context():
        from sqlalchemy import select

        from backoffice.db import session
        from backoffice.sync.models import InboxRecord

        waiting = session.execute(select(InboxRecord.shop_id, InboxRecord.kind).where(
            InboxRecord.kind.in_(("order", "refund")), InboxRecord.processed_at.is_(None)).distinct()).all()
        session.remove()
    for shop_id, kind in sorted(waiting, key=lambda row: row[1] != "order"):  # orders first: refunds need them
        (intake_shop if kind == "order" else intake_refunds)(shop_id)


@queue.job("intake_refunds", retries=3, retry_delay=5)
def intake_refunds(shop_id: int) -> None:
    """Pulled refunds and returns become after-sales requests (the refund-only
    queue, the returns desk); those whose order is not in yet wait in the inbox."""
    with queue.app_for_job().app_context():
        def work(counts) -> None:
            from backoffice.sync.inbox_intake import process_refunds

            counts.update(processed=0, created=0, updated=0, waiting=0)
            last = 0
            while True:
                batch, last = process_refunds(shop_id, last)
                if not (batch.processed or batch.waiting):
                    break
                for key in ("processed", "created", "updated", "waiting"):
                    counts[key] += getattr(batch, key)

        run_job("intake_refunds", work, shop_id=shop_id, writer=True, task="intake_refunds", params=[shop_id])


def _intake_work(shop_id: int):
    """The pulled orders become orders (numbers, stock, merges later) in their own unit of work."""
    def work(counts) -> None:
        from backoffice.sync.inbox_intake import process_orders

        counts.update(processed=0, created=0, updated=0)
        while True:
            batch = process_orders(shop_id)
            if not batch.processed:
                break
            counts["processed"] += batch.processed
            counts["created"] += batch.created
            counts["updated"] += batch.updated

    return work


@queue.periodic("pull_all_shops", crontab(minute="*/5"))
def pull_all_shops() -> None:
    """Queue a pull of orders and refunds for every connected shop, each
    followed by its intake (a pipeline: the intake starts when its pull ended)."""
    with queue.app_for_job().app_context():
        from sqlalchemy import select

        from backoffice.db import session
        from backoffice.shops.models import Shop

        shop_ids = list(session.scalars(select(Shop.id).where(
            Shop.active.is_(True), Shop.auth_status == "ok", Shop.platform.in_(PULL_PLATFORMS))))
        session.remove()
    for shop_id in shop_ids:
        queue.huey.enqueue(pull_shop.s(shop_id, "orders").then(intake_shop, shop_id))
        queue.huey.enqueue(pull_shop.s(shop_id, "refunds").then(intake_refunds, shop_id))


@queue.periodic("dispatch_outbox", crontab(minute="*"))
def dispatch_outbox() -> None:
    """Deliver pending outbox messages (shipments confirmed to the platforms)."""
    with queue.app_for_job().app_context():
        from backoffice.db import session
        from backoffice.outbox import due_messages
        from backoffice.shops.models import connected_shop_ids
        from backoffice.sync.dispatch import dispatch

        nothing_due = not due_messages(1, None, connected_shop_ids())
        session.remove()
        if nothing_due:  # no run recorded for an idle minute
            return

        def work(counts) -> None:
            result = dispatch()
            counts.update(delivered=result.delivered, retried=result.retried, failed=result.failed)

        run_job("dispatch_outbox", work, task="dispatch_outbox", params=[])


@queue.periodic("track_parcels", crontab(minute="*/30"))
def track_parcels() -> None:
    """Subscribe and poll Kuaidi100 for the parcels shipped and not delivered."""
    with queue.app_for_job().app_context():
        from backoffice.sync.parcel_tracking import account, track

        acc = account()
        if acc is None:  # no Kuaidi100 account configured: nothing to do, no run recorded
            return

        def work(counts) -> None:
            result = track(acc)
            counts.update(queried=result.queried, subscribed=result.subscribed, failed=result.failed)

        run_job("track_parcels", work, task="track_parcels", params=[])


@queue.periodic("push_stock", crontab(minute="*/10"))
def push_stock() -> None:
    """Queue the available quantity of every listed SKU for the shops whose
    platform takes stock levels; the outbox dispatcher sends them."""
    with queue.app_for_job().app_context():
        def work(counts) -> None:
            from backoffice.sync.stock_push import queue_stock, stock_shops

            counts.update(shops=0, queued=0)
            for shop_id in stock_shops():
                counts["shops"] += 1
                counts["queued"] += queue_stock(shop_id)

        run_job("push_stock", work, task="push_stock", params=[])


@queue.periodic("sweep_abandoned_runs", crontab(minute="*"), startable=False)
def sweep_abandoned_runs() -> None:
    """Runs whose worker died are marked failed and queued again; the folders
    their work left half-made are removed. No run recorded: it is bookkeeping."""
    with queue.app_for_job().app_context():
        sweep()


def sweep() -> None:
    """What ``sweep_abandoned_runs`` does, also done when a worker or server starts."""
    from backoffice.catalog.media_swap import remove_orphans
    from backoffice.catalog.operations import media_root
    from backoffice.jobs import sweep_abandoned

    sweep_abandoned()
    remove_orphans(media_root())


@queue.job("sync_reviews")
def sync_reviews(shop_id: int) -> None:
    """Pull a shop's reviews into the inbox, then judge them: good ones get the
    counter-review queued, bad ones a supervisor task."""
    with queue.app_for_job().app_context():
        from backoffice.sync.inbox_intake import process_reviews
        from backoffice.sync.pulling import pull

        def pull_work(counts) -> None:
            result = pull(shop_id, "reviews")
            counts.update(windows=result.windows, records=result.records, written=result.written)
            if result.skipped:
                counts["skipped"] = result.skipped

        def intake_work(counts) -> None:
            counts.update(processed=0, replies=0, bad=0)
            while True:
                batch = process_reviews(shop_id)
                if not batch.processed:
                    break
                counts["processed"] += batch.processed
                counts["replies"] += batch.replies
                counts["bad"] += batch.bad

        again = {"task": "sync_reviews", "params": [shop_id]}  # both steps are run again whole
        run_job("pull_reviews", pull_work, shop_id=shop_id, **again)
        run_job("intake_reviews", intake_work, shop_id=shop_id, writer=True, **again)


@queue.periodic("sync_all_reviews", crontab(minute="*/15"))
def sync_all_reviews() -> None:
    """Queue the review sync of every connected shop whose platform lists reviews."""
    with queue.app_for_job().app_context():
        from sqlalchemy import select

        from backoffice.db import session
        from backoffice.service.reviews import REVIEW_PLATFORMS
        from backoffice.shops.models import Shop

        shop_ids = list(session.scalars(select(Shop.id).where(
            Shop.active.is_(True), Shop.auth_status == "ok", Shop.platform.in_(REVIEW_PLATFORMS))))
        session.remove()
    for shop_id in shop_ids:
        sync_reviews(shop_id)


# Jobs a person may start by name (`backoffice jobs enqueue NAME`, "run now").
JOBS = queue.STARTABLE

"""Scheduled jobs. Each runs in its own unit of work and leaves a JobRun."""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from huey import crontab
from sqlalchemy import delete

from backoffice.sync.queue import huey, job_app
from backoffice.sync.runs import run_job


@huey.periodic_task(crontab(minute="0", hour="19"), name="nightly_backup")  # 03:00 Asia/Shanghai
def nightly_backup() -> None:
    app = job_app()
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


@huey.periodic_task(crontab(minute="30", hour="19"), name="purge_login_attempts")
def purge_login_attempts() -> None:
    """Login attempts matter only for throttling; keep 30 days for inquiries."""
    app = job_app()
    with app.app_context():
        from backoffice.accounts.models import LoginAttempt
        from backoffice.db import session
        from backoffice.timeutil import utcnow

        def work(counts: dict) -> None:
            result = session.execute(delete(LoginAttempt).where(LoginAttempt.at < utcnow() - dt.timedelta(days=30)))
            counts["deleted"] = result.rowcount

        run_job("purge_login_attempts", work, task="purge_login_attempts", params=[])


def _app():
    """The current app when there is one (a job run at once inside a request or
    a test), else the process's job app."""
    from flask import current_app, has_app_context

    return current_app._get_current_object() if has_app_context() else job_app()


from backoffice.sync.models import PULL_PLATFORMS  # noqa: E402


@huey.task(name="pull_shop")
def pull_shop(shop_id: int, stream: str = "orders") -> None:
    """Pull one shop's orders (or refunds) into the inbox. A second pull of the
    same shop while one runs ends at once (the checkpoint's lease)."""
    with _app().app_context():
        from backoffice.sync.pulling import pull
        from backoffice.sync.runs import record_progress

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


@huey.task(name="intake_shop", retries=3, retry_delay=5)
def intake_shop(shop_id: int) -> None:
    """The pulled orders become orders. A failed run is retried; the inbox keeps
    what is not processed yet. Queued by "sync now" and by the demo's first pull."""
    with _app().app_context():
        run_job("intake_orders", _intake_work(shop_id), shop_id=shop_id, writer=True, task="intake_shop",
                params=[shop_id])


@huey.task(name="intake_all_shops")
def intake_all_shops() -> None:
    """Queue the intake of every shop that has pulled orders or refunds waiting."""
    with _app().app_context():
        from sqlalchemy import select

        from backoffice.db import session
        from backoffice.sync.models import InboxRecord

        waiting = session.execute(select(InboxRecord.shop_id, InboxRecord.kind).where(
            InboxRecord.kind.in_(("order", "refund")), InboxRecord.processed_at.is_(None)).distinct()).all()
        session.remove()
    for shop_id, kind in sorted(waiting, key=lambda row: row[1] != "order"):  # orders first: refunds need them
        (intake_shop if kind == "order" else intake_refunds)(shop_id)


@huey.task(name="intake_refunds", retries=3, retry_delay=5)
def intake_refunds(shop_id: int) -> None:
    """Pulled refunds and returns become after-sales requests (the refund-only
    queue, the returns desk); those whose order is not in yet wait in the inbox."""
    with _app().app_context():
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


@huey.periodic_task(crontab(minute="*/5"), name="pull_all_shops")
def pull_all_shops() -> None:
    """Queue a pull of orders and refunds for every connected shop, each
    followed by its intake (a pipeline: the intake starts when its pull ended)."""
    with _app().app_context():
        from sqlalchemy import select

        from backoffice.db import session
        from backoffice.sync.models import Shop

        shop_ids = list(session.scalars(select(Shop.id).where(
            Shop.active.is_(True), Shop.auth_status == "ok", Shop.platform.in_(PULL_PLATFORMS))))
        session.remove()
    for shop_id in shop_ids:
        huey.enqueue(pull_shop.s(shop_id, "orders").then(intake_shop, shop_id))
        huey.enqueue(pull_shop.s(shop_id, "refunds").then(intake_refunds, shop_id))


@huey.periodic_task(crontab(minute="*"), name="dispatch_outbox")
def dispatch_outbox() -> None:
    """Deliver pending outbox messages (shipments confirmed to the platforms)."""
    with _app().app_context():
        from backoffice.db import session
        from backoffice.sync.dispatch import dispatch
        from backoffice.sync.operations import due_messages

        nothing_due = not due_messages(1)
        session.remove()
        if nothing_due:  # no run recorded for an idle minute
            return

        def work(counts) -> None:
            result = dispatch()
            counts.update(delivered=result.delivered, retried=result.retried, failed=result.failed)

        run_job("dispatch_outbox", work, task="dispatch_outbox", params=[])


@huey.periodic_task(crontab(minute="*/30"), name="track_parcels")
def track_parcels() -> None:
    """Subscribe and poll Kuaidi100 for the parcels shipped and not delivered."""
    with _app().app_context():
        from backoffice.sync.parcel_tracking import account, track

        acc = account()
        if acc is None:  # no Kuaidi100 account configured: nothing to do, no run recorded
            return

        def work(counts) -> None:
            result = track(acc)
            counts.update(queried=result.queried, subscribed=result.subscribed, failed=result.failed)

        run_job("track_parcels", work, task="track_parcels", params=[])


@huey.periodic_task(crontab(minute="*/10"), name="push_stock")
def push_stock() -> None:
    """Queue the available quantity of every listed SKU for the shops whose
    platform takes stock levels; the outbox dispatcher sends them."""
    with _app().app_context():
        def work(counts) -> None:
            from backoffice.sync.stock_push import queue_stock, stock_shops

            counts.update(shops=0, queued=0)
            for shop_id in stock_shops():
                counts["shops"] += 1
                counts["queued"] += queue_stock(shop_id)

        run_job("push_stock", work, task="push_stock", params=[])


@huey.periodic_task(crontab(minute="*"), name="sweep_abandoned_runs")
def sweep_abandoned_runs() -> None:
    """Runs whose worker died are marked failed and queued again; the folders
    their work left half-made are removed. No run recorded: it is bookkeeping."""
    with _app().app_context():
        sweep()


def sweep() -> None:
    """What ``sweep_abandoned_runs`` does, also done when a worker or server starts."""
    from backoffice.catalog.media_swap import remove_orphans
    from backoffice.catalog.operations import media_root
    from backoffice.sync.runs import sweep_abandoned

    sweep_abandoned()
    remove_orphans(media_root())


from backoffice.orders.tasks import merge_orders  # noqa: E402 (registers the periodic task)
from backoffice.aftersales.tasks import sync_all_reviews  # noqa: E402 (registers the periodic task)

# Jobs a person may start by name (`backoffice jobs enqueue NAME`, "run now").
JOBS = {"nightly_backup": nightly_backup, "purge_login_attempts": purge_login_attempts,
        "pull_all_shops": pull_all_shops, "dispatch_outbox": dispatch_outbox, "merge_orders": merge_orders,
        "intake_all_shops": intake_all_shops, "push_stock": push_stock,
        "track_parcels": track_parcels, "sync_all_reviews": sync_all_reviews}

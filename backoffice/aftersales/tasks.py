"""Review jobs: pull each shop's reviews and take them in (registered in sync.tasks)."""
from __future__ import annotations

from huey import crontab

from backoffice.sync.queue import huey
from backoffice.sync.runs import run_job


def _app():
    from backoffice.sync.tasks import _app as current

    return current()


@huey.task(name="sync_reviews")
def sync_reviews(shop_id: int) -> None:
    """Pull a shop's reviews into the inbox, then judge them: good ones get the
    counter-review queued, bad ones a supervisor task."""
    with _app().app_context():
        from backoffice.aftersales.reviews import process_reviews
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


@huey.periodic_task(crontab(minute="*/15"), name="sync_all_reviews")
def sync_all_reviews() -> None:
    """Queue the review sync of every connected shop whose platform lists reviews."""
    with _app().app_context():
        from sqlalchemy import select

        from backoffice.aftersales.reviews import REVIEW_PLATFORMS
        from backoffice.db import session
        from backoffice.sync.models import Shop

        shop_ids = list(session.scalars(select(Shop.id).where(
            Shop.active.is_(True), Shop.auth_status == "ok", Shop.platform.in_(REVIEW_PLATFORMS))))
        session.remove()
    for shop_id in shop_ids:
        sync_reviews(shop_id)

"""Order jobs: merging open orders on a schedule (registered in sync.tasks)."""
from __future__ import annotations

from huey import crontab

from backoffice import queue
from backoffice.jobs import run_job


def merge_work(counts: dict, apply: bool | None = None) -> None:
    """Detect merges over all open orders; apply them when the setting says
    so (or when asked, after a livestream), otherwise propose them."""
    from backoffice.orders import operations, settings

    run = operations.run_merge(settings.get("merge_auto_apply") if apply is None else apply)
    counts.update(proposed=run.proposed, merged=run.merged, under_minimum=run.under_minimum)


@queue.periodic("merge_orders", crontab(minute="*/30"))
def merge_orders() -> None:
    app = queue.job_app()
    with app.app_context():
        run_job("merge_orders", merge_work, writer=True, task="merge_orders", params=[])

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
            written = scheduled_backup(app.extensions["engine"], Path(app.instance_path) / "backups", keep)
            counts["file"] = written.name
            audit.record("backup", str(written))

        run_job("nightly_backup", work)


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

        run_job("purge_login_attempts", work)


from backoffice.orders.tasks import merge_orders  # noqa: E402 (registers the periodic task)

# Jobs a person may start by name (`backoffice jobs enqueue NAME`, "run now").
JOBS = {"nightly_backup": nightly_backup, "purge_login_attempts": purge_login_attempts,
        "merge_orders": merge_orders}

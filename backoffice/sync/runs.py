"""Recording job runs: start, end, counts and errors, visible on the sync page."""
from __future__ import annotations

from typing import Callable

from sqlalchemy import update

from backoffice.db import session, unit_of_work
from backoffice.sync.models import JobRun
from backoffice.timeutil import utcnow


class RunCounts(dict):
    """The counts of a run, knowing which run they belong to (for progress)."""

    run_id: int = 0


def record_progress(counts: RunCounts) -> None:
    """Show the counts so far on the sync page; committed with the job's next step."""
    session.execute(update(JobRun).where(JobRun.id == counts.run_id).values(counts=dict(counts)))


def run_job(job: str, work: Callable[[dict], None], shop_id: int | None = None) -> int:
    """Run `work(counts)` in its own unit of work; the JobRun row is committed
    separately so a failed job still leaves its record."""
    with unit_of_work():
        run = JobRun(job=job, shop_id=shop_id, status="running")
        session.add(run)
        session.flush()
        run_id = run.id
    counts = RunCounts()
    counts.run_id = run_id
    try:
        with unit_of_work():
            work(counts)
    except Exception as exc:
        with unit_of_work():
            run = session.get(JobRun, run_id)
            run.status, run.finished_at, run.counts, run.error = "failed", utcnow(), dict(counts), f"{type(exc).__name__}: {exc}"
        raise
    with unit_of_work():
        run = session.get(JobRun, run_id)
        run.status, run.finished_at, run.counts = "succeeded", utcnow(), dict(counts)
    return run_id

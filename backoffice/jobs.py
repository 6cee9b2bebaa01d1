"""Recording job runs: start, end, counts and errors, visible on the sync page."""
from __future__ import annotations

import datetime as dt
import logging
import time
from typing import Any, Callable

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Mapped, mapped_column

from backoffice import logsafe
from backoffice.db import Base, session, unit_of_work
from backoffice.timeutil import utcnow

log = logging.getLogger(__name__)

# A run still "running" this long after it started lost its worker (killed,
# or it could not record its end); the next run of the same job says so.
ABANDONED_AFTER = dt.timedelta(hours=1)
# Recording the end is retried this long: a busy SQLite database or a dropped
# PostgreSQL connection must not leave a finished run looking "running".
RECORD_PATIENCE_SECONDS = 60.0


class JobRun(Base):
    """One run of a scheduled or on-demand job: when, how it ended, what it did."""

    __tablename__ = "job_runs"
    __table_args__ = (
        CheckConstraint("status IN ('running', 'succeeded', 'failed')", name="status_known"),
        Index("ix_job_runs_job_started_at", "job", "started_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(64))
    shop_id: Mapped[int | None] = mapped_column(ForeignKey("shops.id"))
    started_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[dt.datetime | None]
    status: Mapped[str] = mapped_column(String(16), default="running")
    counts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    error: Mapped[str | None] = mapped_column(Text)


class RunCounts(dict):
    """The counts of a run, knowing which run they belong to (for progress)."""

    run_id: int = 0


def record_progress(counts: RunCounts) -> None:
    """Show the counts so far on the sync page; committed with the job's next step."""
    session.execute(update(JobRun).where(JobRun.id == counts.run_id).values(counts=dict(counts)))


def run_job(job: str, work: Callable[[dict], None], shop_id: int | None = None, writer: bool = False) -> int:
    """Run `work(counts)` in its own unit of work; the JobRun row is committed
    separately so a failed job still leaves its record. ``writer``: see
    ``db.unit_of_work`` (for work that makes no platform calls while it holds
    the transaction)."""
    run_id = _with_retries(lambda: _start(job, shop_id))
    counts = RunCounts()
    counts.run_id = run_id
    try:
        with unit_of_work(writer=writer):
            work(counts)
    except Exception as exc:
        error = logsafe.error_text(exc)
        try:
            _with_retries(lambda: _finish(run_id, "failed", dict(counts), error))
        except DBAPIError:  # the job's own error matters more; the next run marks this one abandoned
            log.exception("could not record the failure of job run %s", run_id)
        raise
    _with_retries(lambda: _finish(run_id, "succeeded", dict(counts), None))
    return run_id


def _start(job: str, shop_id: int | None) -> int:
    with unit_of_work():
        now = utcnow()
        same_job = (JobRun.job == job) & (JobRun.shop_id.is_(None) if shop_id is None else JobRun.shop_id == shop_id)
        session.execute(
            update(JobRun)
            .where(same_job, JobRun.status == "running", JobRun.started_at < now - ABANDONED_AFTER)
            .values(status="failed", finished_at=now,
                    error="Abandoned: the worker stopped before recording how this run ended")
        )
        run = JobRun(job=job, shop_id=shop_id, status="running", started_at=now)
        session.add(run)
        session.flush()
        return run.id


def _finish(run_id: int, status: str, counts: dict, error: str | None) -> None:
    with unit_of_work():
        session.execute(update(JobRun).where(JobRun.id == run_id).values(
            status=status, finished_at=utcnow(), counts=counts, error=error))


def _with_retries(step: Callable[[], int | None]):
    """Run a short bookkeeping transaction, retrying while the database is
    busy or the connection dropped; gives up after RECORD_PATIENCE_SECONDS."""
    deadline = time.monotonic() + RECORD_PATIENCE_SECONDS
    delay = 0.05
    while True:
        try:
            return step()
        except DBAPIError:
            if time.monotonic() + delay > deadline:
                raise
            log.warning("job run bookkeeping failed, retrying in %.2fs", delay, exc_info=True)
            time.sleep(delay)
            delay = min(delay * 2, 2.0)

"""Recording job runs: start, end, counts and errors, visible on the sync page."""
from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import time
from contextlib import contextmanager
from typing import Any, Callable, Iterator

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Mapped, mapped_column

from backoffice import logsafe
from backoffice.db import Base, session, unit_of_work
from backoffice.queue import current_attempt, enqueue_again
from backoffice.timeutil import utcnow

log = logging.getLogger(__name__)

# A run still "running" this long after it started lost its worker (killed,
# or it could not record its end); the next run of the same job says so.
ABANDONED_AFTER = dt.timedelta(hours=1)
# Recording the end is retried this long: a busy SQLite database or a dropped
# PostgreSQL connection must not leave a finished run looking "running".
RECORD_PATIENCE_SECONDS = 60.0
# A run names its worker. A worker on this machine that is gone (kill -9, a
# crash) is seen at once; one elsewhere by its lease, which it renews every
# quarter of the lease (PostgreSQL only: on SQLite each renewal would be a
# commit between another transaction's reads and its writes, refusing them;
# SQLite's runs are all on this machine anyway). A run whose worker is gone is
# marked failed and run again, at most MAX_ATTEMPTS times in all.
MAX_ATTEMPTS = 2
ABANDONED = "Abandoned: its worker {worker} stopped before the run ended"


# Called with a dead worker's name when its runs are swept, in the sweep's
# transaction: each package frees what such a worker held (sync: the shop
# leases of its pulls), so the shared layer needs to know none of them.
RELEASE_ON_ABANDON: list[Callable[[str], None]] = []


def this_worker() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:80]


def lease_seconds() -> float:
    return float(os.environ.get("BACKOFFICE_JOB_LEASE_SECONDS", "300"))


class JobRun(Base):
    """One run of a scheduled or on-demand job: when, how it ended, what it did."""

    __tablename__ = "job_runs"
    __table_args__ = (
        CheckConstraint("status IN ('running', 'succeeded', 'failed')", name="status_known"),
        Index("ix_job_runs_job_started_at", "job", "started_at"),
        Index("ix_job_runs_status_lease_until", "status", "lease_until"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(64))
    shop_id: Mapped[int | None] = mapped_column(ForeignKey("shops.id"))
    started_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[dt.datetime | None]
    status: Mapped[str] = mapped_column(String(16), default="running")
    counts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    error: Mapped[str | None] = mapped_column(Text)
    # Who runs it ("host:pid"), and a lease its worker renews while it runs
    # (not on SQLite, whose runs are told alive by their process): a "running"
    # run whose worker is gone is marked failed, then run again from task/params.
    worker: Mapped[str | None] = mapped_column(String(80))
    lease_until: Mapped[dt.datetime | None]
    task: Mapped[str | None] = mapped_column(String(64))  # the queue's task name
    params: Mapped[list[Any] | None] = mapped_column()  # its arguments
    attempt: Mapped[int] = mapped_column(default=1, server_default="1")


class RunCounts(dict):
    """The counts of a run, knowing which run they belong to (for progress)."""

    run_id: int = 0


def record_progress(counts: RunCounts) -> None:
    """Show the counts so far on the sync page; committed with the job's next step."""
    session.execute(update(JobRun).where(JobRun.id == counts.run_id).values(counts=dict(counts)))


def run_job(job: str, work: Callable[[dict], None], shop_id: int | None = None, writer: bool = False,
            task: str | None = None, params: list | None = None) -> int:
    """Run `work(counts)` in its own unit of work; the JobRun row is committed
    separately so a failed job still leaves its record. ``writer``: see
    ``db.unit_of_work`` (for work that makes no platform calls while it holds
    the transaction). ``task``, ``params``: the queue task and its arguments
    that run this job again if its worker dies."""
    run_id = _with_retries(lambda: _start(job, shop_id, task, params))
    counts = RunCounts()
    counts.run_id = run_id
    try:
        with unit_of_work(writer=writer), heartbeat(run_id):
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


def _start(job: str, shop_id: int | None, task: str | None = None, params: list | None = None) -> int:
    with unit_of_work():
        now = utcnow()
        same_job = (JobRun.job == job) & (JobRun.shop_id.is_(None) if shop_id is None else JobRun.shop_id == shop_id)
        session.execute(
            update(JobRun)
            .where(same_job, JobRun.status == "running", JobRun.started_at < now - ABANDONED_AFTER)
            .values(status="failed", finished_at=now,
                    error="Abandoned: the worker stopped before recording how this run ended")
        )
        run = JobRun(job=job, shop_id=shop_id, status="running", started_at=now, task=task, params=params,
                     **claim(now))
        session.add(run)
        session.flush()
        return run.id


def _renews() -> bool:
    return session.get_bind().dialect.name != "sqlite"


def claim(now: dt.datetime) -> dict:
    """The fields of a new run that say who runs it and until when."""
    lease = now + dt.timedelta(seconds=lease_seconds()) if _renews() else None
    return {"worker": this_worker(), "lease_until": lease, "attempt": current_attempt.get()}


@contextmanager
def heartbeat(run_id: int) -> Iterator[None]:
    """Renew the run's lease from a thread of its own while the work runs, in
    short transactions of their own; a renewal that fails (the database busy)
    is tried again at the next beat. Nothing to renew on SQLite."""
    if not _renews():
        yield
        return
    engine = session.get_bind().engine
    stop = threading.Event()
    every = lease_seconds() / 4

    def beat() -> None:
        while not stop.wait(every):
            try:
                with engine.begin() as conn:
                    conn.execute(update(JobRun).where(JobRun.id == run_id, JobRun.status == "running").values(
                        lease_until=utcnow() + dt.timedelta(seconds=lease_seconds())))
            except DBAPIError:
                log.warning("could not renew the lease of job run %s", run_id, exc_info=True)

    thread = threading.Thread(target=beat, name=f"job-run-{run_id}-lease", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def _gone(worker: str | None, lease_until: dt.datetime | None, now: dt.datetime) -> bool:
    host, _, pid = (worker or "").rpartition(":")
    if host == socket.gethostname() and pid.isdigit():
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            pass
        return False
    return lease_until is not None and lease_until < now


def sweep_abandoned(now: dt.datetime | None = None) -> list[int]:
    """Mark failed every running run whose worker is gone, and queue it again
    unless it was already its last attempt. Returns the ids of the runs
    marked. Each run is claimed by a conditional UPDATE, so of two sweepers
    only one marks (and re-queues) it."""
    now = now or utcnow()
    with unit_of_work():
        running = session.execute(select(JobRun.id, JobRun.worker, JobRun.lease_until, JobRun.task, JobRun.params,
                                         JobRun.attempt).where(JobRun.status == "running",
                                                               JobRun.worker.is_not(None))).all()
    marked = []
    for run in running:
        if not _gone(run.worker, run.lease_until, now):
            continue
        with unit_of_work():
            claimed = session.execute(update(JobRun).where(JobRun.id == run.id, JobRun.status == "running").values(
                status="failed", finished_at=now, error=ABANDONED.format(worker=run.worker)))
            if claimed.rowcount != 1:
                continue
            for release in RELEASE_ON_ABANDON:  # what the dead worker held must not block its retry
                release(run.worker)
        marked.append(run.id)
        if run.task and run.attempt < MAX_ATTEMPTS:
            enqueue_again(run.task, list(run.params or []), run.attempt + 1)
            log.warning("job run %s lost its worker: queued %s again (attempt %s)", run.id, run.task, run.attempt + 1)
        else:
            log.error("job run %s lost its worker on its last attempt: not run again", run.id)
    return marked


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

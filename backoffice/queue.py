"""The job queue (Huey): one definition of every job, two runners.

Embedded (default): Huey keeps its queue in a SQLite file in the instance
folder and `backoffice serve` runs the consumer in a background thread, so a
single machine needs no extra service. Distributed: BACKOFFICE_QUEUE_URL set
to redis://... and any number of `backoffice worker` processes.

Every job is declared with ``job`` or ``periodic`` below, under its name; a
domain that wants another's job run asks for it by name (``enqueue``), after
its transaction commits, so no domain imports another's tasks.
"""
from __future__ import annotations

import contextvars
import functools
import logging
import os
import socket
import threading
import time
from pathlib import Path
from typing import Any, Callable

from flask import current_app, g, has_app_context, has_request_context
from huey import MemoryHuey, RedisHuey, SqliteHuey
from huey.consumer import Consumer

from backoffice.config import Settings


def _make_huey():
    url = Settings.from_env().queue_url
    if url.startswith("redis://") or url.startswith("rediss://"):
        return RedisHuey("backoffice", url=url, utc=True)
    if url.startswith("memory://"):
        return MemoryHuey("backoffice", immediate=True, utc=True)  # tests: run at once, in-process
    path = url.removeprefix("sqlite:///")
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("backoffice", filename=path, utc=True)


log = logging.getLogger(__name__)
huey = _make_huey()
TASKS: dict[str, Any] = {}  # name -> Huey task
STARTABLE: dict[str, Any] = {}  # the jobs a person may start by name (`backoffice jobs enqueue NAME`, "run now")
_app_factory: Callable[[], Any] | None = None
# The attempt of the run being started in this context (a retry sets it, see jobs.sweep_abandoned).
current_attempt: contextvars.ContextVar[int] = contextvars.ContextVar("job_attempt", default=1)
_job_app = None


def job(name: str, *, startable: bool = False, **options) -> Callable:
    """Declare a queued job (Huey task) under ``name``."""
    def declare(fn):
        task = huey.task(name=name, **options)(fn)
        TASKS[name] = task
        if startable:
            STARTABLE[name] = task
        return task

    return declare


def periodic(name: str, schedule, *, startable: bool = True) -> Callable:
    """Declare a job that runs on ``schedule`` (a huey.crontab); a person may also start it by name.
    One run at a time: a tick that comes while the last run still runs (a slow run, or
    the scheduler of a second worker) ends at once."""
    def declare(fn):
        task = huey.periodic_task(schedule, name=name)(one_at_a_time(name, fn))
        TASKS[name] = task
        if startable:
            STARTABLE[name] = task
        return task

    return declare


def lock_seconds() -> float:
    """How long a periodic job's lock holds at most: a worker killed while it held
    the lock blocks the job that long, then the next tick takes the lock over."""
    return float(os.environ.get("BACKOFFICE_PERIODIC_LOCK_SECONDS", "3600"))


def one_at_a_time(name: str, fn: Callable) -> Callable:
    """``fn`` under the job's lock, a key in the queue's own storage (SQLite or
    Redis, so it holds across the workers of the queue) naming its holder and
    when it expires; huey's storages keep no expiry of their own."""
    key = f"periodic-lock:{name}"

    @functools.wraps(fn)
    def run(*args, **kwargs):
        holder = f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}:{time.time()}"
        if not _acquire(key, holder):
            log.info("%s skipped: its previous run still runs", name)
            return None
        try:
            return fn(*args, **kwargs)
        finally:
            if (huey.get(key, peek=True) or (0, ""))[1] == holder:
                huey.delete(key)

    return run


def _acquire(key: str, holder: str) -> bool:
    lock = (time.time() + lock_seconds(), holder)
    if huey.put_if_empty(key, lock):
        return True
    held = huey.get(key, peek=True)
    if held is not None and held[0] > time.time():
        return False
    # Expired (its holder died) or released meanwhile: take it over. (Two workers
    # taking over one expired lock in the same instant may both run that once.)
    huey.delete(key)
    return huey.put_if_empty(key, lock)


def enqueue(name: str, *args) -> None:
    """Queue the job ``name``: inside a request after the request's transaction
    commits (a job never sees, or acts on, a change that is rolled back), else at once."""
    task = TASKS[name]
    if has_request_context():
        g.setdefault("jobs_after_commit", []).append((task, args))
    else:
        task(*args)


def run_after_commit() -> None:
    """Called by the request's unit of work once it committed."""
    for task, args in g.pop("jobs_after_commit", []):
        task(*args)


@huey.task(name="run_again")
def run_again(task: str, params: list, attempt: int) -> None:
    """A run whose worker died, run again as its next attempt (see jobs.sweep_abandoned)."""
    token = current_attempt.set(attempt)
    try:
        TASKS[task].call_local(*params)
    finally:
        current_attempt.reset(token)


def enqueue_again(task: str, params: list, attempt: int) -> None:
    TASKS[task]  # refuse an unknown name now, not in the worker
    run_again(task, params, attempt)


def embedded() -> bool:
    return isinstance(huey, SqliteHuey)


def use_app_factory(factory: Callable[[], Any]) -> None:
    """The app factory jobs run under in a worker (set by backoffice.app)."""
    global _app_factory
    _app_factory = factory


def job_app():
    """The Flask app the jobs of this process run in (created once)."""
    global _job_app
    if _job_app is None:
        if _app_factory is None:
            raise RuntimeError("no app factory: import backoffice.app before running jobs")
        _job_app = _app_factory()
    return _job_app


def app_for_job():
    """The current app when there is one (a job run at once inside a request or
    a test), else the process's job app."""
    return current_app._get_current_object() if has_app_context() else job_app()


class _ThreadConsumer(Consumer):
    """A consumer that lives in a background thread of the web process, so it
    must leave the process's signal handling to the web server."""

    def _set_signal_handlers(self) -> None:
        pass


def start_embedded_consumer(workers: int = 2) -> Consumer:
    consumer = _ThreadConsumer(huey, workers=workers, worker_type="thread", periodic=True)
    thread = threading.Thread(target=consumer.start, name="jobs", daemon=True)
    thread.start()
    return consumer


def run_consumer(workers: int = 2) -> None:
    Consumer(huey, workers=workers, worker_type="thread", periodic=True).run()

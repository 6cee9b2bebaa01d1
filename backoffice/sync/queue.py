"""The job queue (Huey): one definition of every job, two runners.

Embedded (default): Huey keeps its queue in a SQLite file in the instance
folder and `backoffice serve` runs the consumer in a background thread, so a
single machine needs no extra service. Distributed: BACKOFFICE_QUEUE_URL set
to redis://... and any number of `backoffice worker` processes.
"""
from __future__ import annotations

import threading
from functools import lru_cache

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
    from pathlib import Path

    Path(path).parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("backoffice", filename=path, utc=True)


huey = _make_huey()


def embedded() -> bool:
    return isinstance(huey, SqliteHuey)


@lru_cache(maxsize=1)
def job_app():
    """The Flask app the jobs of this process run in (created once)."""
    from backoffice.app import create_app

    return create_app()


class _ThreadConsumer(Consumer):
    """A consumer that lives in a background thread of the web process, so it
    must leave the process's signal handling to the web server."""

    def _set_signal_handlers(self) -> None:
        pass


TASK_MODULES = ("backoffice.catalog.tasks", "backoffice.sync.tasks", "backoffice.orders.tasks",
                "backoffice.aftersales.tasks")


def register_tasks() -> None:
    """Import every module that defines jobs, so the consumer knows them."""
    import backoffice.catalog.tasks  # noqa: F401
    import backoffice.sync.tasks  # noqa: F401


def task_named(name: str):
    """The queue task called ``name`` (as given to ``huey.task(name=...)``)."""
    import importlib

    from huey.api import TaskWrapper

    for module in TASK_MODULES:
        for value in vars(importlib.import_module(module)).values():
            if isinstance(value, TaskWrapper) and value.name == name:
                return value
    raise KeyError(f"no queue task named {name!r}")


@huey.task(name="run_again")
def run_again(task: str, params: list, attempt: int) -> None:
    """A run whose worker died, run again as its next attempt (see runs.sweep_abandoned)."""
    from backoffice.sync.runs import current_attempt

    token = current_attempt.set(attempt)
    try:
        task_named(task).call_local(*params)
    finally:
        current_attempt.reset(token)


def enqueue_again(task: str, params: list, attempt: int) -> None:
    task_named(task)  # refuse an unknown name now, not in the worker
    run_again(task, params, attempt)


def start_embedded_consumer(workers: int = 2) -> Consumer:
    register_tasks()

    consumer = _ThreadConsumer(huey, workers=workers, worker_type="thread", periodic=True)
    thread = threading.Thread(target=consumer.start, name="jobs", daemon=True)
    thread.start()
    return consumer


def run_consumer(workers: int = 2) -> None:
    register_tasks()

    Consumer(huey, workers=workers, worker_type="thread", periodic=True).run()

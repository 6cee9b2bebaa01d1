"""Jobs run through a real queue: Huey on SQLite (embedded) and on Redis (distributed)."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from backoffice import migrate
from backoffice.db import make_engine
from backoffice.jobs import JobRun

REDIS_URL = os.environ.get("BACKOFFICE_TEST_REDIS_URL")
SCRIPT = Path(sys.executable).with_name("backoffice")


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("redis", marks=pytest.mark.skipif(
    not REDIS_URL, reason="set BACKOFFICE_TEST_REDIS_URL=redis://127.0.0.1:6379/15 to test the Redis queue"))])
def test_a_worker_process_runs_a_queued_job(tmp_path, kind):
    db_url = f"sqlite:///{tmp_path / 'queue-test.db'}"
    migrate.upgrade(db_url)
    queue_url = f"sqlite:///{tmp_path / 'queue.db'}" if kind == "sqlite" else REDIS_URL
    env = dict(os.environ, BACKOFFICE_INSTANCE_PATH=str(tmp_path / "instance"), BACKOFFICE_DATABASE_URL=db_url,
               BACKOFFICE_QUEUE_URL=queue_url)
    if kind == "redis":
        import redis

        redis.Redis.from_url(REDIS_URL).flushdb()
    worker = subprocess.Popen([str(SCRIPT), "worker", "--workers", "1"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        queued = subprocess.run([str(SCRIPT), "jobs", "enqueue", "nightly_backup"], env=env,
                                capture_output=True, text=True, timeout=60)
        assert queued.returncode == 0, queued.stderr
        engine = make_engine(db_url)
        deadline = time.monotonic() + 45
        run = None
        while time.monotonic() < deadline:
            with engine.connect() as conn:
                run = conn.execute(select(JobRun.status, JobRun.counts)).first()
            if run and run.status != "running":
                break
            time.sleep(0.3)
        engine.dispose()
        assert run is not None, "the worker did not pick up the job"
        assert run.status == "succeeded"
        assert (tmp_path / "instance" / "backups" / run.counts["file"]).exists()
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()


def test_unknown_jobs_are_refused_by_name(tmp_path):
    env = dict(os.environ, BACKOFFICE_INSTANCE_PATH=str(tmp_path / "instance"))
    result = subprocess.run([str(SCRIPT), "jobs", "enqueue", "pull_everything"], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and "nightly_backup" in result.stderr


@pytest.fixture(params=["sqlite", pytest.param("redis", marks=pytest.mark.skipif(
    not REDIS_URL, reason="set BACKOFFICE_TEST_REDIS_URL to test the Redis queue"))])
def queue_storage(request, tmp_path, monkeypatch):
    """The job queue on a real storage of each kind the shop runs (the lock lives there)."""
    from huey import RedisHuey, SqliteHuey

    from backoffice import queue

    if request.param == "sqlite":
        storage = SqliteHuey("lock-test", filename=str(tmp_path / "queue.db"))
    else:
        storage = RedisHuey("lock-test", url=REDIS_URL)
        storage.storage.flush_all()
    monkeypatch.setattr(queue, "huey", storage)
    return storage


def test_a_periodic_job_runs_one_at_a_time(queue_storage):
    import threading

    from backoffice import queue

    started, release, runs = threading.Event(), threading.Event(), []

    def slow():
        runs.append("ran")
        started.set()
        release.wait(10)
        return "done"

    job = queue.one_at_a_time("slow_job", slow)
    first = threading.Thread(target=job)
    first.start()
    assert started.wait(10)
    assert job() is None and runs == ["ran"]  # the second tick ends at once while the first runs
    release.set()
    first.join(10)
    assert job() == "done" and runs == ["ran", "ran"]  # the lock was given back


def test_a_lock_left_by_a_dead_worker_is_taken_over_once_it_expired(queue_storage, monkeypatch):
    from backoffice import queue

    key = "periodic-lock:stuck_job"
    queue_storage.put(key, (time.time() + 3600, "elsewhere:4242:1:0"))
    job = queue.one_at_a_time("stuck_job", lambda: "ran")
    assert job() is None  # held, and not expired: the holder may still be running
    queue_storage.put(key, (time.time() - 1, "elsewhere:4242:1:0"))
    assert job() == "ran"
    assert queue_storage.get(key, peek=True) is None


def test_a_failing_run_gives_the_lock_back(queue_storage):
    from backoffice import queue

    def broken():
        raise RuntimeError("boom")

    job = queue.one_at_a_time("broken_job", broken)
    with pytest.raises(RuntimeError):
        job()
    assert queue_storage.get("periodic-lock:broken_job", peek=True) is None

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

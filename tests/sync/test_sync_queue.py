"""Pull jobs through the real queue: two worker processes, Huey on SQLite
(embedded) or Redis (distributed), against a simulator over HTTP."""
from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import func, select

from backoffice import migrate
from backoffice.db import make_engine, session
from backoffice.jobs import JobRun
from backoffice.sync.models import InboxRecord
from tests import factories
from tests.simulated import start_simulator, visible_orders

REDIS_URL = os.environ.get("BACKOFFICE_TEST_REDIS_URL")
SCRIPT = Path(sys.executable).with_name("backoffice")


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("redis", marks=pytest.mark.skipif(
    not REDIS_URL, reason="set BACKOFFICE_TEST_REDIS_URL=redis://127.0.0.1:6379/12 to test the Redis queue"))])
def test_two_workers_pull_every_order_once(tmp_path, kind, monkeypatch):
    db_url = f"sqlite:///{tmp_path / 'sync-queue.db'}"
    migrate.upgrade(db_url)
    key = Fernet.generate_key().decode()
    monkeypatch.setenv("BACKOFFICE_CREDENTIALS_KEY", key)
    sim = start_simulator("taobao", orders=1500, hours=30)
    sim.faults.set(rate_limit=2, server_error=2, spread=2)
    engine = make_engine(db_url)
    session.remove()
    session.configure(bind=engine)
    try:
        factories.connected_shop(sim, "淘宝旗舰店")
        session.commit()
        session.remove()
        queue_url = f"sqlite:///{tmp_path / 'queue.db'}" if kind == "sqlite" else REDIS_URL
        env = dict(os.environ, BACKOFFICE_INSTANCE_PATH=str(tmp_path / "instance"), BACKOFFICE_DATABASE_URL=db_url,
                   BACKOFFICE_QUEUE_URL=queue_url, BACKOFFICE_CREDENTIALS_KEY=key)
        if kind == "redis":
            import redis

            redis.Redis.from_url(REDIS_URL).flushdb()
        logs = [tmp_path / f"worker-{i}.log" for i in range(2)]
        outputs = [log.open("w") for log in logs]
        workers = [subprocess.Popen([str(SCRIPT), "worker", "--workers", "2"], env=env, stdout=subprocess.DEVNULL,
                                    stderr=out) for out in outputs]
        try:
            for _ in range(2):  # asked twice at once: the lease lets one pull per shop run
                queued = subprocess.run([str(SCRIPT), "jobs", "enqueue", "pull_all_shops"], env=env,
                                        capture_output=True, text=True, timeout=60)
                assert queued.returncode == 0, queued.stderr
            # (the periodic pull_all_shops may add runs of its own: the rules below hold for all)
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                with engine.connect() as conn:
                    runs = conn.execute(select(JobRun.job, JobRun.status, JobRun.counts, JobRun.started_at,
                                               JobRun.finished_at).where(JobRun.job.like("pull_%"))).all()
                    stored = conn.scalar(select(func.count()).select_from(InboxRecord))
                if len([r for r in runs if r.status != "running"]) >= 4 and stored == len(visible_orders(sim)):
                    break
                time.sleep(0.3)
            finished = [r for r in runs if r.status != "running"]
            assert len(finished) >= 4 and all(r.status == "succeeded" for r in finished), runs
            assert stored == len(visible_orders(sim))
            worked = [r for r in finished if r.job == "pull_orders" and "skipped" not in r.counts]
            # A run starts before its pull asks for the lease and ends after it gave it
            # back, so runs may overlap by design; the lease's own times must not.
            held = sorted(lease_times(logs, "orders"))
            assert len(held) >= len(worked), (held, worked)  # (a pull may have ended since)
            assert all(a[1] <= b[0] for a, b in zip(held, held[1:])), f"two pulls of one shop overlapped: {held}"
        finally:
            for w in workers:
                w.terminate()
            for w in workers:
                try:
                    w.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    w.kill()
            for out in outputs:
                out.close()
    finally:
        sim.stop()
        session.remove()
        session.configure(bind=None)
        engine.dispose()


def lease_times(logs: list[Path], stream: str) -> list[tuple[dt.datetime, dt.datetime]]:
    """When each pull of ``stream`` held the shop's lease, as the workers logged it."""
    line = re.compile(rf"lease held: shop=\d+ stream={stream} owner=\S+ from=(\S+) until=(\S+)")
    return [(dt.datetime.fromisoformat(m[1]), dt.datetime.fromisoformat(m[2]))
            for log in logs for m in line.finditer(log.read_text())]

"""Jobs survive a killed worker: a run holds a lease its worker renews; past
it the run is marked failed and run once more, the folders it left half-made
are removed, and the image pool's processes die with their parent."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from backoffice import migrate
from backoffice.db import make_engine, session, unit_of_work
from backoffice.jobs import JobRun, sweep_abandoned
from backoffice.shops.models import Shop
from backoffice.sync.models import SyncCheckpoint
from backoffice.timeutil import utcnow
from tests.supplier_folders import supplier_folder

SCRIPT = Path(sys.executable).with_name("backoffice")


@pytest.fixture
def committed_db(tmp_path):
    url = f"sqlite:///{tmp_path / 'jobs.db'}"
    migrate.upgrade(url)
    engine = make_engine(url)
    session.remove()
    session.configure(bind=engine)
    yield engine
    session.remove()
    session.configure(bind=None)
    engine.dispose()


def test_runs_whose_worker_is_gone_are_marked_failed_once(committed_db):
    import datetime as dt
    import socket

    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    here, now = socket.gethostname(), utcnow()
    cases = {  # worker, lease: marked?
        "killed here": (f"{here}:{int(gone.stdout)}", None, True),
        "alive here": (f"{here}:{os.getpid()}", None, False),
        "elsewhere, lease over": ("other-host:4242", now - dt.timedelta(seconds=1), True),
        "elsewhere, lease on": ("other-host:4242", now + dt.timedelta(minutes=5), False),
        "elsewhere, no lease": ("other-host:4242", None, False),  # the hour-long rule of run_job covers it
    }
    with unit_of_work():
        ids = {}
        for name, (worker, lease, _) in cases.items():
            run = JobRun(job="push_stock", status="running", started_at=now, worker=worker, lease_until=lease)
            session.add(run)
            session.flush()
            ids[run.id] = name
        shop = Shop(platform="taobao", name="淘宝旗舰店")
        session.add(shop)
        session.flush()
        session.add_all([SyncCheckpoint(shop_id=shop.id, stream=stream, lease_owner=f"{cases[who][0]}:1a2b3c4d",
                                        lease_until=now + dt.timedelta(minutes=5))
                         for stream, who in (("orders", "killed here"), ("refunds", "alive here"))])
    marked = sweep_abandoned()
    assert sorted(ids[i] for i in marked) == sorted(n for n, (_, _, m) in cases.items() if m)
    with unit_of_work():  # the killed worker's pull gave its shop's lease back; the live one keeps its own
        held = dict(session.execute(select(SyncCheckpoint.stream, SyncCheckpoint.lease_owner)).all())
        assert held == {"orders": None, "refunds": f"{cases['alive here'][0]}:1a2b3c4d"}
    assert sweep_abandoned() == []  # marked once
    with unit_of_work():
        for run in session.scalars(select(JobRun)):
            expected = "failed" if cases[ids[run.id]][2] else "running"
            assert run.status == expected and (expected == "running" or run.error.startswith("Abandoned")), ids[run.id]


def _descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def _alive(pids: set[int]) -> set[int]:
    alive = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            alive.add(pid)
    return alive


def _wait(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"gave up waiting: {what}")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_the_image_pool_dies_with_its_parent_killed_by_sigkill(tmp_path):
    script = ("import sys, time\n"
              "from backoffice.catalog import images\n"
              "images.run_all(abs, list(range(16)), 2)\n"
              "print(' '.join(str(p) for p in images._pools[2]._processes), flush=True)\n"
              "time.sleep(120)\n")
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        pool = {int(p) for p in parent.stdout.readline().split()}
        assert len(pool) == 2 and _alive(pool) == pool
        helpers = _descendants(parent.pid)  # the pool's processes and the fork server
        parent.send_signal(signal.SIGKILL)
        parent.wait(10)
        _wait(lambda: not _alive(helpers), 10, f"the pool's processes {sorted(_alive(helpers))} to exit")
    finally:
        if parent.poll() is None:
            parent.kill()


def _worker(env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen([str(SCRIPT), "worker", "--workers", "1"], env=env, stdout=subprocess.DEVNULL,
                            stderr=log.open("w"))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_batch_whose_worker_is_killed_fails_and_runs_once_more_to_the_end(tmp_path):
    from backoffice.catalog.models import Product
    from backoffice.catalog.tasks import BATCH_JOB
    from backoffice.shops.models import Shop

    instance = tmp_path / "instance"
    url = f"sqlite:///{tmp_path / 'shop.db'}"
    migrate.upgrade(url)
    engine = make_engine(url)
    session.remove()
    session.configure(bind=engine)
    parent = instance / "imports" / "第12批"
    names = [f"大明&D-{9001 + i}" for i in range(8)]
    for name in names:
        supplier_folder(parent, name, ("黑色", "白色"), models_per_colour=3)
    with unit_of_work():
        session.add_all([Shop(platform="taobao", name="娜好呀"), Shop(platform="mogujie", name="娜好呀的包包")])
    env = dict(os.environ, BACKOFFICE_INSTANCE_PATH=str(instance), BACKOFFICE_DATABASE_URL=url,
               BACKOFFICE_QUEUE_URL=f"sqlite:///{tmp_path / 'queue.db'}")
    job = BATCH_JOB.format(token="k1ll")

    def runs():
        with engine.connect() as conn:
            return conn.execute(select(JobRun.status, JobRun.attempt, JobRun.counts, JobRun.error)
                                .where(JobRun.job == job).order_by(JobRun.id)).all()

    first = _worker(env, tmp_path / "worker-1.log")
    second = None
    try:
        queued = subprocess.run([sys.executable, "-c", "from backoffice.catalog.tasks import catalog_batch; "
                                 f"catalog_batch('k1ll', {str(parent)!r}, '娜好呀')"], env=env, timeout=60)
        assert queued.returncode == 0
        _wait(lambda: (r := runs()) and 1 <= r[0].counts["done"] < len(names), 120, "the batch to be half-way")
        helpers = _descendants(first.pid)
        first.send_signal(signal.SIGKILL)
        first.wait(10)
        (status, attempt, counts, _), = runs()
        assert status == "running" and counts["done"] < len(names)  # as it was left: running for ever, before
        _wait(lambda: not _alive(helpers), 15, "the killed worker's pool to exit")

        second = _worker(env, tmp_path / "worker-2.log")  # its start sweeps
        _wait(lambda: len(r := runs()) == 2 and r[1].status != "running", 180, "the batch's second attempt to end")
        (lost, again) = runs()
        assert (lost.status, lost.attempt) == ("failed", 1) and lost.error.startswith("Abandoned")
        assert (again.status, again.attempt) == ("succeeded", 2), again
        assert again.counts["done"] == again.counts["total"] == len(names)
        assert sorted(i["folder"] for i in again.counts["imported"]) == sorted(names)
        with engine.connect() as conn:
            imported = conn.scalar(select(func.count()).select_from(Product).where(
                Product.listing_code.like("daming-D-9%")))
        assert imported == len(names)  # each folder once
        from backoffice.catalog.media_swap import work_folders

        assert work_folders(instance / "media") == []  # the killed attempt's half-made folders are gone
    finally:
        for worker in (first, second):
            if worker is not None and worker.poll() is None:
                worker.terminate()
                try:
                    worker.wait(15)
                except subprocess.TimeoutExpired:
                    worker.kill()
        session.remove()
        session.configure(bind=None)
        engine.dispose()


@pytest.fixture
def postgres_committed(engine):
    """PostgreSQL only (runs renew their lease there): jobs commit for real; their rows go afterwards."""
    if engine.dialect.name != "postgresql":
        pytest.skip("leases are renewed on PostgreSQL only (set BACKOFFICE_TEST_DATABASE_URL)")
    session.remove()
    session.configure(bind=engine)
    yield engine
    session.remove()
    with engine.begin() as conn:
        conn.execute(JobRun.__table__.delete().where(JobRun.job == "lease_probe"))
    session.configure(bind=None)


def test_a_long_run_renews_its_lease_while_it_works(postgres_committed, monkeypatch):
    from backoffice.jobs import run_job

    monkeypatch.setenv("BACKOFFICE_JOB_LEASE_SECONDS", "0.4")
    seen = []

    def work(counts):  # three leases long
        for _ in range(3):
            time.sleep(0.4)
            with postgres_committed.connect() as conn:
                seen.append(conn.scalar(select(JobRun.lease_until).where(JobRun.id == counts.run_id)))

    run_job("lease_probe", work)
    assert len(set(seen)) >= 2 and seen == sorted(seen), seen  # renewed, never shortened

"""Jobs leave a record of every run, success or failure."""
from __future__ import annotations

import datetime as dt
import sqlite3
import threading
import time

import pytest
from sqlalchemy import select

from backoffice.db import session, unit_of_work
from backoffice.jobs import JobRun, run_job


@pytest.fixture
def committed_db(tmp_path):
    """Jobs commit for real, so they get a database of their own."""
    from backoffice import migrate
    from backoffice.db import make_engine

    url = f"sqlite:///{tmp_path / 'jobs.db'}"
    migrate.upgrade(url)
    engine = make_engine(url)
    session.remove()
    session.configure(bind=engine)
    yield engine
    session.remove()
    engine.dispose()


def test_a_successful_run_records_its_counts(committed_db):
    run_id = run_job("demo_job", lambda counts: counts.update(pulled=12))
    with unit_of_work():
        run = session.get(JobRun, run_id)
        assert (run.status, run.counts, run.error) == ("succeeded", {"pulled": 12}, None)
        assert run.finished_at >= run.started_at


def test_a_failed_run_is_recorded_and_its_work_rolled_back(committed_db):
    from backoffice.shops.models import Shop

    def work(counts):
        session.add(Shop(platform="douyin", name="抖音小店"))
        session.flush()
        counts["half"] = 1
        raise ConnectionError("platform unreachable")

    with pytest.raises(ConnectionError):
        run_job("pull_orders", work)
    with unit_of_work():
        run = session.scalar(select(JobRun))
        assert run.status == "failed" and "platform unreachable" in run.error and run.counts == {"half": 1}
        assert session.scalar(select(Shop)) is None


def test_the_scheduled_jobs_are_registered_with_the_queue():
    import backoffice.sync.tasks  # noqa: F401
    from backoffice.queue import huey

    names = {task.__name__ for task in huey._registry._periodic_tasks}
    assert {"nightly_backup", "purge_login_attempts"} <= names


def _hold_write_lock(path, seconds: float, held: threading.Event) -> None:
    """Another process's writer: SQLite's write lock, held longer than the busy timeout."""
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    held.set()
    time.sleep(seconds)
    other.execute("COMMIT")
    other.close()


@pytest.fixture
def impatient_db(tmp_path):
    """A database whose connections give up on a lock after 100 ms."""
    from backoffice import migrate
    from backoffice.db import make_engine

    path = tmp_path / "busy.db"
    migrate.upgrade(f"sqlite:///{path}")
    engine = make_engine(f"sqlite:///{path}", sqlite_busy_ms=100)
    session.remove()
    session.configure(bind=engine)
    yield path
    session.remove()
    engine.dispose()


@pytest.mark.parametrize("fails", [False, True], ids=["succeeds", "fails"])
def test_the_end_of_a_run_is_recorded_even_while_another_writer_holds_the_database(impatient_db, fails):
    held = threading.Event()
    writer = threading.Thread(target=_hold_write_lock, args=(impatient_db, 1.0, held))

    def work(counts):
        counts["pulled"] = 3
        writer.start()
        held.wait(5)
        if fails:
            raise ConnectionError("platform unreachable")

    if fails:
        with pytest.raises(ConnectionError):
            run_job("pull_orders", work)
    else:
        run_job("pull_orders", work)
    writer.join()
    with unit_of_work():
        run = session.scalar(select(JobRun))
        assert run.status == ("failed" if fails else "succeeded")
        assert run.counts == {"pulled": 3} and run.finished_at is not None


def test_a_run_left_running_by_a_lost_worker_is_marked_abandoned_by_the_next_run(committed_db):
    from backoffice.shops.models import Shop
    from backoffice.timeutil import utcnow

    with unit_of_work():
        shop = Shop(platform="douyin", name="抖音小店")
        session.add(shop)
        session.flush()
        shop_id = shop.id
        long_ago = utcnow() - dt.timedelta(hours=3)
        session.add_all([
            JobRun(job="pull_orders", shop_id=shop_id, status="running", started_at=long_ago),
            JobRun(job="pull_orders", shop_id=None, status="running", started_at=long_ago),  # another scope
            JobRun(job="pull_refunds", shop_id=shop_id, status="running", started_at=long_ago),  # another job
            JobRun(job="pull_orders", shop_id=shop_id, status="running", started_at=utcnow()),  # still at work
        ])
    run_job("pull_orders", lambda counts: None, shop_id=shop_id)
    with unit_of_work():
        runs = session.execute(select(JobRun.job, JobRun.shop_id, JobRun.status, JobRun.error)
                               .order_by(JobRun.id)).all()
    assert [(r.status, (r.error or "").startswith("Abandoned")) for r in runs] == [
        ("failed", True), ("running", False), ("running", False), ("running", False), ("succeeded", False)]


def test_the_jobs_a_person_may_start_by_name(app):
    """`backoffice jobs enqueue NAME` and `make run` name these; the queue's registry must hold each."""
    from backoffice.sync.tasks import JOBS

    assert set(JOBS) == {"nightly_backup", "purge_login_attempts", "pull_all_shops", "dispatch_outbox",
                         "merge_orders", "intake_all_shops", "push_stock", "track_parcels", "sync_all_reviews"}

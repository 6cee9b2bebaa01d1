"""Jobs leave a record of every run, success or failure."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from backoffice.db import session, unit_of_work
from backoffice.sync.models import JobRun
from backoffice.sync.runs import run_job


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
    from backoffice.sync.models import Shop

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
    from backoffice.sync.queue import huey

    names = {task.__name__ for task in huey._registry._periodic_tasks}
    assert {"nightly_backup", "purge_login_attempts"} <= names

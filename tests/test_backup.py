"""Backups are consistent snapshots, and a restore brings back every table exactly."""
from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import make_url

import backoffice.models  # noqa: F401
from backoffice import backup, demo, migrate
from backoffice.db import Base, make_engine, session, unit_of_work


def table_contents(engine):
    with engine.connect() as conn:
        return {t.name: conn.execute(select(t).order_by(*t.primary_key.columns)).all()
                for t in Base.metadata.sorted_tables}


def fill(engine, instance):
    session.remove()
    session.configure(bind=engine)
    with unit_of_work():
        demo.load(instance)
    session.configure(bind=None)


@pytest.fixture
def scratch_url(tmp_path, database_url):
    """A database of its own: a backup must see committed data, outside the per-test transaction."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'scratch.db'}"
        return
    name = f"bo_backup_{uuid.uuid4().hex[:8]}"
    admin = make_engine(database_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(database_url).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_backup_and_restore_round_trip_every_table(scratch_url, tmp_path):
    migrate.upgrade(scratch_url)
    engine = make_engine(scratch_url)
    fill(engine, tmp_path)
    original = table_contents(engine)
    assert all(original[name] for name in ("orders", "order_lines", "users", "skus", "couriers", "audit_log"))

    snapshot = backup.backup(engine, tmp_path / "snap" / "backoffice.bak")
    assert snapshot.exists() and not list(snapshot.parent.glob("*.partial"))

    with engine.begin() as conn:  # the shop carries on (or something goes wrong) after the snapshot
        conn.execute(text("DELETE FROM order_events"))
        conn.execute(text("UPDATE skus SET on_hand = on_hand + 5"))
        conn.execute(text("INSERT INTO shops (platform, name, auth_status, active) VALUES ('douyin', '新店', 'none', true)"))

    backup.restore(engine, snapshot)
    assert table_contents(engine) == original
    engine.dispose()


def test_restore_refuses_a_file_that_is_not_a_snapshot(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    junk = tmp_path / "junk.bak"
    junk.write_bytes(os.urandom(2048))
    with pytest.raises(backup.BackupError):
        backup.restore(engine, junk)


def test_scheduled_backup_keeps_the_newest(tmp_path):
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    migrate.upgrade(url)
    engine = make_engine(url)
    folder = tmp_path / "backups"
    folder.mkdir()
    for stamp in ("20260101-000000", "20260102-000000", "20260103-000000"):
        (folder / f"backoffice-{stamp}.sqlite").write_bytes(b"old")
    written = backup.scheduled_backup(engine, folder, keep=2)
    assert sorted(p.name for p in folder.iterdir()) == ["backoffice-20260103-000000.sqlite", written.name]
    engine.dispose()

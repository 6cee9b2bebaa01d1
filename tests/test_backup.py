"""Backups are consistent snapshots, and a restore brings back every table exactly."""
from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import inspect, select, text
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
def new_database(tmp_path, database_url):
    """new_database() -> the URL of an empty database of its own: a backup must see committed data,
    outside the per-test transaction."""
    made = []
    admin = None if database_url.startswith("sqlite") else make_engine(database_url, isolation_level="AUTOCOMMIT")

    def make() -> str:
        name = f"bo_backup_{uuid.uuid4().hex[:8]}"
        made.append(name)
        if admin is None:
            return f"sqlite:///{tmp_path / (name + '.db')}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        return make_url(database_url).set(database=name).render_as_string(hide_password=False)

    yield make
    if admin is not None:
        with admin.connect() as conn:
            for name in made:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def scratch_url(new_database):
    return new_database()


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


def tables_and_columns(engine):
    inspector = inspect(engine)
    return {t: sorted(c["name"] for c in inspector.get_columns(t)) for t in inspector.get_table_names()}


def snapshot_after(new_database, tmp_path, change, name="odd.bak"):
    """A snapshot of a freshly migrated database after `change(conn)`: what a damaged or foreign file holds."""
    url = new_database()
    migrate.upgrade(url)
    engine = make_engine(url)
    with engine.begin() as conn:
        change(conn)
    path = backup.backup(engine, tmp_path / name)
    engine.dispose()
    return path


def drop_all_but_alembic_version(conn):
    for table in reversed(Base.metadata.sorted_tables):
        conn.execute(text(f'DROP TABLE "{table.name}"' + (" CASCADE" if conn.dialect.name == "postgresql" else "")))


def future_revision_without_orders(conn):
    conn.execute(text("DROP TABLE orders" + (" CASCADE" if conn.dialect.name == "postgresql" else "")))
    conn.execute(text("UPDATE alembic_version SET version_num = '0099' WHERE version_num = '0011'"))


def an_extra_column(conn):
    conn.execute(text("ALTER TABLE skus ADD COLUMN smuggled VARCHAR(10)"))


def no_revision(conn):
    conn.execute(text("DELETE FROM alembic_version"))


@pytest.mark.parametrize("change, reason", [
    (drop_all_but_alembic_version, "tables missing"),
    (future_revision_without_orders, "0099, which this version of the back office does not know"),
    (an_extra_column, "skus has unknown columns smuggled"),
    (no_revision, "no schema revision"),
])
def test_restore_refuses_a_snapshot_that_does_not_match_this_code_and_touches_nothing(
        new_database, tmp_path, change, reason):
    bad = snapshot_after(new_database, tmp_path, change)
    url = new_database()
    migrate.upgrade(url)
    engine = make_engine(url)
    fill(engine, tmp_path)
    media = tmp_path / "media" / "listings" / "daming-D-1"
    media.mkdir(parents=True)
    (media / "main-01.jpg").write_bytes(b"the image in use")
    before = table_contents(engine), tables_and_columns(engine)

    with pytest.raises(backup.BackupError) as refused:
        backup.restore(engine, bad, instance=tmp_path)
    assert "nothing was changed" in str(refused.value) and reason in str(refused.value)
    assert (table_contents(engine), tables_and_columns(engine)) == before
    assert (media / "main-01.jpg").read_bytes() == b"the image in use"
    engine.dispose()


def test_a_snapshot_of_an_older_schema_is_migrated_after_the_restore(new_database, tmp_path):
    from alembic.script import ScriptDirectory

    heads = ScriptDirectory.from_config(migrate.alembic_config()).get_heads()
    old_url = new_database()
    for head in heads:
        if head != "0017":  # the accounts migration adding users.session_version
            migrate.upgrade(old_url, revision=head)
    old = make_engine(old_url)
    with old.begin() as conn:
        conn.execute(text("INSERT INTO users (username, display_name, password_hash, role, active, created_at) "
                          "VALUES ('laozhang', '老张', 'x', 'admin', true, CURRENT_TIMESTAMP)"))
        assert "session_version" not in {c["name"] for c in inspect(conn).get_columns("users")}
    snapshot = backup.backup(old, tmp_path / "old.bak")
    old.dispose()

    url = new_database()
    migrate.upgrade(url)
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE left_over (id INTEGER PRIMARY KEY)"))  # not in the snapshot
    backup.restore(engine, snapshot)
    with engine.connect() as conn:
        versions = set(conn.scalars(text("SELECT version_num FROM alembic_version")))
        users = conn.execute(text("SELECT username, session_version FROM users")).all()
    assert versions == set(heads) and users == [("laozhang", 0)]
    assert "left_over" not in inspect(engine).get_table_names()
    engine.dispose()


def test_a_restore_leaves_no_table_the_snapshot_lacks(scratch_url, tmp_path):
    migrate.upgrade(scratch_url)
    engine = make_engine(scratch_url)
    fill(engine, tmp_path)
    snapshot = backup.backup(engine, tmp_path / "snap.bak")
    schema, contents = tables_and_columns(engine), table_contents(engine)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE made_later (id INTEGER PRIMARY KEY)"))
    backup.restore(engine, snapshot)
    assert "made_later" not in inspect(engine).get_table_names()
    assert tables_and_columns(engine) == schema and table_contents(engine) == contents
    engine.dispose()


def files_under(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_media_files_go_with_the_snapshot_and_come_back_with_it(scratch_url, tmp_path):
    instance = tmp_path / "instance"
    (instance / "media/listings/daming-D-1/taobao").mkdir(parents=True)
    (instance / "media/listings/daming-D-1/taobao/main-01.jpg").write_bytes(b"jpeg main image")
    (instance / "media/products/daming-D-1/src").mkdir(parents=True)
    os.link(instance / "media/listings/daming-D-1/taobao/main-01.jpg",
            instance / "media/products/daming-D-1/src/photo.jpg")  # imports hard-link the photos
    (instance / "case_evidence").mkdir()
    (instance / "case_evidence/3f2a.png").write_bytes(b"png waybill photo")
    original = {name: files_under(instance / name) for name in ("media", "case_evidence")}
    migrate.upgrade(scratch_url)
    engine = make_engine(scratch_url)

    old_umask = os.umask(0o022)
    try:
        snapshot = backup.backup(engine, tmp_path / "snaps" / "backoffice.bak", instance=instance)
    finally:
        os.umask(old_umask)
    archive = snapshot.with_name("backoffice.bak.media.tar")
    for written in (snapshot, archive):
        assert oct(written.stat().st_mode & 0o777) == "0o600", written

    (instance / "case_evidence/3f2a.png").unlink()
    (instance / "media/listings/daming-D-1/taobao/main-01.jpg").write_bytes(b"changed after the backup")
    (instance / "media/listings/daming-D-1/taobao/new.jpg").write_bytes(b"made after the backup")
    assert backup.restore(engine, snapshot, instance=instance) is True
    assert {name: files_under(instance / name) for name in ("media", "case_evidence")} == original
    assert sorted(p.name for p in instance.iterdir()) == ["case_evidence", "media"]
    engine.dispose()


def test_a_media_archive_with_a_path_outside_is_refused_before_anything_changes(scratch_url, tmp_path):
    import io
    import tarfile

    migrate.upgrade(scratch_url)
    engine = make_engine(scratch_url)
    fill(engine, tmp_path)
    snapshot = backup.backup(engine, tmp_path / "snap.bak")
    with tarfile.open(tmp_path / "snap.bak.media.tar", "w") as tar:
        info = tarfile.TarInfo("media/../../outside.txt")
        info.size = 3
        tar.addfile(info, io.BytesIO(b"bad"))
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM order_events"))
    with pytest.raises(backup.BackupError, match="not a media file"):
        backup.restore(engine, snapshot, instance=tmp_path / "instance")
    assert not table_contents(engine)["order_events"] and not (tmp_path / "outside.txt").exists()
    engine.dispose()

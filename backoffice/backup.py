"""Consistent online snapshots and restores.

SQLite uses its online backup API (a consistent copy while the shop keeps
working); PostgreSQL uses pg_dump's custom format and pg_restore. Given the
instance folder, the media files go into ``<snapshot>.media.tar`` beside it.
A restore first checks the snapshot (``backup_checks``) and touches nothing
when it is refused; a snapshot of an older schema is migrated afterwards.
"""
from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import Engine, make_url

from backoffice import backup_checks, backup_media, migrate
from backoffice.timeutil import SHANGHAI


class BackupError(RuntimeError):
    pass


def backup(engine: Engine, path: str | os.PathLike, instance: Path | None = None) -> Path:
    """Snapshot the database to ``path``; with ``instance``, its media files beside it."""
    target = Path(path).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    # Private from the first byte: it holds personal data and password hashes.
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
    os.chmod(partial, 0o600)
    if engine.dialect.name == "sqlite":
        _sqlite_backup(engine, partial)
    elif engine.dialect.name == "postgresql":
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={partial}"], engine)
    else:
        raise BackupError(f"no backup method for {engine.dialect.name}")
    os.chmod(partial, 0o600)
    if instance is not None:
        backup_media.write_archive(Path(instance), backup_media.archive_path(target))
    os.replace(partial, target)  # a snapshot is either complete or absent
    return target


def restore(engine: Engine, path: str | os.PathLike, instance: Path | None = None) -> bool:
    """Replace the database with the snapshot at ``path`` and, with ``instance``, the media files
    with the archive beside it. Returns whether media were restored. Refused (BackupError, nothing
    touched) unless the snapshot's revision is known and its tables match it."""
    source = Path(path)
    media = backup_media.archive_path(source) if instance is not None else None
    try:
        if engine.dialect.name == "sqlite":
            revisions, schema = backup_checks.sqlite_snapshot(source)
        elif engine.dialect.name == "postgresql":
            revisions, schema = backup_checks.postgres_snapshot(source, _pg_env(engine, "pg_restore"))
        else:
            raise BackupError(f"no restore method for {engine.dialect.name}")
        backup_checks.check(revisions, schema)
        if media is not None and media.exists():
            backup_media.check_archive(media)
    except (backup_checks.SnapshotRefused, backup_media.MediaRefused) as exc:
        raise BackupError(f"restore refused, nothing was changed: {exc}") from None

    if engine.dialect.name == "sqlite":
        _sqlite_restore(engine, source)
    else:
        _postgres_restore(engine, source, snapshot_tables=set(schema))
    engine.dispose()
    if revisions != backup_checks.head_revisions():
        migrate.upgrade(engine.url.render_as_string(hide_password=False))  # an older snapshot: bring it up to date
    if media is not None and media.exists():
        backup_media.restore_archive(media, Path(instance))
        return True
    return False


def _sqlite_backup(engine: Engine, target: Path) -> None:
    raw = engine.raw_connection()
    try:
        dest = sqlite3.connect(target)
        try:
            raw.driver_connection.backup(dest)
        finally:
            dest.close()
    finally:
        raw.close()


def _sqlite_restore(engine: Engine, source: Path) -> None:
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        engine.dispose()
        raw = engine.raw_connection()
        try:
            src.backup(raw.driver_connection)
        finally:
            raw.close()
    finally:
        src.close()


def _postgres_restore(engine: Engine, source: Path, snapshot_tables: set[str]) -> None:
    """One transaction through psql: drop the tables the snapshot lacks, then pg_restore's
    script (which drops and recreates the snapshot's own). Any error: all of it rolls back."""
    current = set(inspect(engine).get_table_names(schema="public"))
    engine.dispose()
    drops = "".join(f'DROP TABLE IF EXISTS public."{t}" CASCADE;\n' for t in sorted(current - snapshot_tables))
    env = _pg_env(engine, "psql")
    dump = subprocess.Popen(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "-f", "-",
                             str(source)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    psql = subprocess.Popen(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "--single-transaction", "-f", "-"],
                            env=env, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        psql.stdin.write(drops.encode())
        shutil.copyfileobj(dump.stdout, psql.stdin)
    except BrokenPipeError:
        pass  # psql stopped at an error; its message follows
    finally:
        psql.stdin.close()
    dump_error = dump.stderr.read().decode().strip()
    psql_error = psql.stderr.read().decode().strip()
    if dump.wait() != 0 or psql.wait() != 0:
        raise BackupError(f"restore failed, nothing was changed: {dump_error or psql_error}")


def _pg_env(engine: Engine, tool: str) -> dict[str, str]:
    """The environment for a PostgreSQL client tool; the password travels there,
    never on the command line where `ps` would show it."""
    url = make_url(engine.url)
    if shutil.which(tool) is None:
        raise BackupError(f"{tool} is not installed (Debian: apt-get install postgresql-client)")
    env = dict(os.environ)
    for var, value in (("PGHOST", url.host), ("PGPORT", url.port), ("PGUSER", url.username),
                       ("PGPASSWORD", url.password), ("PGDATABASE", url.database)):
        if value is not None:
            env[var] = str(value)
    return env


def _run(args: list[str], engine: Engine) -> None:
    result = subprocess.run(args, env=_pg_env(engine, args[0]), capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{args[0]} failed: {result.stderr.strip()}")


def scheduled_backup(engine: Engine, folder: Path, keep: int, instance: Path | None = None) -> Path:
    """The nightly snapshot (with the media, given the instance folder), keeping the newest `keep`."""
    suffix = "sqlite" if engine.dialect.name == "sqlite" else "dump"
    stamp = dt.datetime.now(SHANGHAI).strftime("%Y%m%d-%H%M%S")  # the shop's clock, as on every screen
    written = backup(engine, folder / f"backoffice-{stamp}.{suffix}", instance)
    snapshots = sorted(folder.glob(f"backoffice-*.{suffix}"))
    for old in snapshots[:-keep] if keep > 0 else []:
        old.unlink()
        backup_media.archive_path(old).unlink(missing_ok=True)
    return written

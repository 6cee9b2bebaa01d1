"""Consistent online snapshots and restores.

SQLite uses its online backup API (a consistent copy while the shop keeps
working); PostgreSQL uses pg_dump's custom format and pg_restore.
"""
from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import Engine, make_url

from backoffice.timeutil import SHANGHAI


class BackupError(RuntimeError):
    pass


def backup(engine: Engine, path: str | os.PathLike) -> Path:
    target = Path(path).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    if engine.dialect.name == "sqlite":
        _sqlite_backup(engine, partial)
    elif engine.dialect.name == "postgresql":
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={partial}"], engine)
    else:
        raise BackupError(f"no backup method for {engine.dialect.name}")
    os.chmod(partial, 0o600)  # it holds personal data and password hashes
    os.replace(partial, target)  # a snapshot is either complete or absent
    return target


def restore(engine: Engine, path: str | os.PathLike) -> None:
    source = Path(path)
    if engine.dialect.name == "sqlite":
        _sqlite_restore(engine, source)
    elif engine.dialect.name == "postgresql":
        engine.dispose()
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
              "--single-transaction", "--exit-on-error", str(source)], engine, database_flag=True)
    else:
        raise BackupError(f"no restore method for {engine.dialect.name}")
    engine.dispose()


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
        try:
            src.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.DatabaseError:
            raise BackupError(f"{source} is not a back-office SQLite snapshot") from None
        engine.dispose()
        raw = engine.raw_connection()
        try:
            src.backup(raw.driver_connection)
        finally:
            raw.close()
    finally:
        src.close()


def _run(args: list[str], engine: Engine, database_flag: bool = False) -> None:
    """Run a PostgreSQL client tool; the password travels in the environment,
    never on the command line where `ps` would show it."""
    url = make_url(engine.url)
    if shutil.which(args[0]) is None:
        raise BackupError(f"{args[0]} is not installed (Debian: apt-get install postgresql-client)")
    env = dict(os.environ)
    for var, value in (("PGHOST", url.host), ("PGPORT", url.port), ("PGUSER", url.username),
                       ("PGPASSWORD", url.password), ("PGDATABASE", url.database)):
        if value is not None:
            env[var] = str(value)
    if database_flag:
        args = args[:-1] + [f"--dbname={url.database}", args[-1]]
    result = subprocess.run(args, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{args[0]} failed: {result.stderr.strip()}")


def scheduled_backup(engine: Engine, folder: Path, keep: int) -> Path:
    """The nightly snapshot into the instance folder, keeping the newest `keep`."""
    suffix = "sqlite" if engine.dialect.name == "sqlite" else "dump"
    stamp = dt.datetime.now(SHANGHAI).strftime("%Y%m%d-%H%M%S")  # the shop's clock, as on every screen
    written = backup(engine, folder / f"backoffice-{stamp}.{suffix}")
    snapshots = sorted(folder.glob(f"backoffice-*.{suffix}"))
    for old in snapshots[:-keep] if keep > 0 else []:
        old.unlink()
    return written

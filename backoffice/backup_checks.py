"""What a snapshot holds, and whether this code may restore it.

A snapshot is restorable only when every revision in its ``alembic_version`` is
one of this code's migrations and its tables and columns are exactly those the
migrations produce at those revisions (built in a scratch SQLite database each
time: a few seconds, and never stale).
"""
from __future__ import annotations

import re
import sqlite3
import subprocess
import tempfile
from pathlib import Path

from alembic import command
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import create_engine, inspect

from backoffice import migrate

Schema = dict[str, frozenset[str]]  # table -> its column names


class SnapshotRefused(RuntimeError):
    pass


def known_revisions() -> set[str]:
    script = ScriptDirectory.from_config(migrate.alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


def head_revisions() -> set[str]:
    return set(ScriptDirectory.from_config(migrate.alembic_config()).get_heads())


def sqlite_schema(path: Path) -> Schema:
    engine = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    try:
        inspector = inspect(engine)
        return {t: frozenset(c["name"] for c in inspector.get_columns(t)) for t in inspector.get_table_names()}
    finally:
        engine.dispose()


def sqlite_snapshot(path: Path) -> tuple[set[str], Schema]:
    """(revisions, schema) of a SQLite snapshot file."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            revisions = {row[0] for row in conn.execute("SELECT version_num FROM alembic_version")}
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        raise SnapshotRefused(f"{path} is not a back-office SQLite snapshot") from None
    return revisions, sqlite_schema(path)


_CREATE_TABLE = re.compile(r"^CREATE TABLE public\.(\"?[\w]+\"?) \((.*?)\n\);", re.S | re.M)
_COPY_VERSIONS = re.compile(r"^COPY public\.alembic_version \(version_num\) FROM stdin;\n(.*?)^\\\.$", re.S | re.M)


def postgres_snapshot(path: Path, env: dict[str, str]) -> tuple[set[str], Schema]:
    """(revisions, schema) of a pg_dump custom-format file, read by pg_restore without a database."""
    def script(*args: str) -> str:
        result = subprocess.run(["pg_restore", *args, "-f", "-", str(path)], env=env, capture_output=True, text=True)
        if result.returncode != 0:
            raise SnapshotRefused(f"{path} is not a back-office PostgreSQL snapshot: {result.stderr.strip()}")
        return result.stdout

    schema: Schema = {}
    for name, body in _CREATE_TABLE.findall(script("--schema-only")):
        columns = [line.strip().split(" ", 1)[0].strip('"') for line in body.split("\n") if line.strip()]
        schema[name.strip('"')] = frozenset(c for c in columns if c != "CONSTRAINT")
    if "alembic_version" not in schema:
        raise SnapshotRefused(f"{path} is not a back-office snapshot: it has no alembic_version table")
    versions = _COPY_VERSIONS.search(script("--data-only", "--table=alembic_version"))
    revisions = {line for line in (versions.group(1).split("\n") if versions else []) if line}
    return revisions, schema


def expected_schema(revisions: set[str]) -> Schema:
    """The tables and columns this code's migrations make at exactly these revisions."""
    with tempfile.TemporaryDirectory(prefix="backoffice-schema-") as folder:
        path = Path(folder) / "expected.sqlite"
        cfg = migrate.alembic_config(f"sqlite:///{path}")
        for revision in sorted(revisions):
            command.upgrade(cfg, revision)
        return sqlite_schema(path)


def check(revisions: set[str], schema: Schema) -> None:
    """Refuse, saying why, a snapshot this code cannot restore."""
    if not revisions:
        raise SnapshotRefused("the snapshot has no schema revision (its alembic_version table is empty)")
    unknown = sorted(revisions - known_revisions())
    if unknown:
        raise SnapshotRefused(f"the snapshot is at schema revision {', '.join(unknown)}, which this version of the "
                              "back office does not know (made by a newer version?); install that version to "
                              "restore it")
    try:
        expected = expected_schema(revisions)
    except CommandError as exc:
        raise SnapshotRefused(f"the snapshot's schema revisions {', '.join(sorted(revisions))} do not go "
                              f"together: {exc}") from None
    problems = schema_differences(expected, schema)
    if problems:
        raise SnapshotRefused(f"the snapshot's tables do not match its schema revision "
                              f"{', '.join(sorted(revisions))}: " + "; ".join(problems))


def schema_differences(expected: Schema, actual: Schema, limit: int = 8) -> list[str]:
    problems = []
    missing, extra = sorted(set(expected) - set(actual)), sorted(set(actual) - set(expected))
    if missing:
        problems.append(f"{len(missing)} tables missing ({', '.join(missing[:limit])}{' …' if len(missing) > limit else ''})")
    if extra:
        problems.append(f"unknown tables {', '.join(extra[:limit])}")
    for table in sorted(set(expected) & set(actual)):
        lacking, added = sorted(expected[table] - actual[table]), sorted(actual[table] - expected[table])
        if lacking:
            problems.append(f"{table} lacks columns {', '.join(lacking)}")
        if added:
            problems.append(f"{table} has unknown columns {', '.join(added)}")
    return problems

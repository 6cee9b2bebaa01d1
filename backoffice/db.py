"""One declarative base, one scoped session, and the unit of work.

Views and operations only add and flush; the request (see ``init_app``), a CLI
command or a job (see ``unit_of_work``) is the one place that commits or rolls
back.
"""
from __future__ import annotations

import datetime as dt
import logging
from contextlib import contextmanager
from typing import Any, Iterator

from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import JSON, DateTime, MetaData, create_engine, event
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Engine
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase, scoped_session, sessionmaker
from sqlalchemy.sql.expression import FunctionElement
from sqlalchemy.types import Date, TypeDecorator

from backoffice import (
    input_limits,  # noqa: F401  (registers the check of every flush)
    writer_queue,
)
from backoffice.errors import OperationError

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Asia/Shanghai has kept UTC+8 without daylight saving since 1991, so a fixed
# offset is exact for every date the shop can have.
SHANGHAI_OFFSET_HOURS = 8


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC on the way in and out, whatever the database keeps."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use backoffice.timeutil.utcnow()")
        value = value.astimezone(dt.timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None, dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.timezone.utc)
        return value.astimezone(dt.timezone.utc)


JSONType = JSON().with_variant(JSONB(), "postgresql")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dt.datetime: UTCDateTime(), dict[str, Any]: JSONType, list[Any]: JSONType}


class local_date(FunctionElement):
    """The Asia/Shanghai calendar date of a UTC timestamp column, in SQL."""

    type = Date()
    inherit_cache = True


@compiles(local_date, "sqlite")
def _local_date_sqlite(element, compiler, **kw):
    (column,) = element.clauses
    return f"date({compiler.process(column, **kw)}, '+{SHANGHAI_OFFSET_HOURS} hours')"


@compiles(local_date, "postgresql")
def _local_date_pg(element, compiler, **kw):
    (column,) = element.clauses
    return f"(({compiler.process(column, **kw)}) AT TIME ZONE 'Asia/Shanghai')::date"


session: scoped_session = scoped_session(sessionmaker(expire_on_commit=True))
SQLITE_CACHE_MB = 64  # per connection, taken only as pages are read


def make_engine(url: str, *, sqlite_busy_ms: int = 10000, **kwargs) -> Engine:
    # SQL parameters carry receivers' names, phones and addresses: never in an
    # error message or the echo log.
    kwargs.setdefault("hide_parameters", True)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False}, **kwargs)
        _sqlite_proper_transactions(engine, sqlite_busy_ms)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def _sqlite_proper_transactions(engine: Engine, busy_ms: int) -> None:
    """Let SQLAlchemy, not pysqlite, begin transactions, so SAVEPOINT works
    (the documented recipe) and foreign keys are enforced."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_ms)}")  # wait for another writer
        # SQLite's 2 MB default page cache is outgrown by the orders' indexes
        # after some 50,000 orders: a large import then reads pages back again.
        cursor.execute(f"PRAGMA cache_size={-1024 * SQLITE_CACHE_MB}")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")  # pages are read while a job writes
        cursor.close()

    begin_writer_turn = writer_queue.install(engine, lambda connection: connection.exec_driver_sql("BEGIN IMMEDIATE"))

    @event.listens_for(engine, "begin")
    def _begin(connection):
        # A writer takes the write lock at once: a deferred transaction that
        # read first is refused at its first write ("database is locked",
        # without waiting) when another writer committed in between.
        if connection.get_execution_options().get("sqlite_writer"):
            begin_writer_turn(connection)
        else:
            connection.exec_driver_sql("BEGIN")


log = logging.getLogger(__name__)
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Kept in the request's environ (a job run at once inside a request has an app
# context, so a ``g``, of its own): True once the request holds the write lock,
# False while it does not; unset outside the request hooks (test_request_context).
WRITER = "backoffice.sqlite_writer"
_WRITE_STATEMENTS = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def writes(view):
    """Mark a GET view that writes (an audited page, say): on SQLite its request
    takes the write lock at its start, like every POST."""
    view.writes = True
    return view


def late_writer(view):
    """Mark a view that does slow work before it writes (hashing a password):
    it calls ``begin_writer()`` when it is ready to write, instead of holding
    the write lock from its start."""
    view.late_writer = True
    return view


def begin_writer() -> None:
    """End the request's reads and take SQLite's write lock for the rest of it
    (a ``late_writer`` view, before its first write)."""
    session.rollback()
    request.environ[WRITER] = True
    if not current_app.config.get("SESSION_BOUND_EXTERNALLY"):
        session.connection(execution_options={"sqlite_writer": True})


def _request_writes() -> bool:
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    if getattr(view, "late_writer", False):
        return False
    return request.method in WRITE_METHODS or bool(getattr(view, "writes", False))


def _unmarked_write(conn, cursor, statement, parameters, context, executemany) -> None:
    """A request that writes without having taken SQLite's write lock first
    (a GET not marked ``writes``, a ``late_writer`` that did not call
    ``begin_writer``) takes it only at its write, after reading: refused at
    once ("database is locked") when another request committed in between.
    Tests fail on it; production logs it."""
    if not has_request_context() or request.environ.get(WRITER, True):
        return
    if not statement.lstrip()[:7].upper().startswith(_WRITE_STATEMENTS):
        return
    message = f"{request.method} {request.endpoint} writes without @db.writes: {statement.split(None, 3)[:3]}"
    if current_app.config.get("TESTING"):
        raise RuntimeError(message)
    log.error(message)


def init_app(app: Flask) -> None:
    engine = app.config.get("ENGINE") or make_engine(app.config["DATABASE_URL"])
    app.extensions["engine"] = engine
    if not app.config.get("SESSION_BOUND_EXTERNALLY"):
        session.remove()
        session.configure(bind=engine)
    sqlite = engine.dialect.name == "sqlite"
    if sqlite and not event.contains(engine, "before_cursor_execute", _unmarked_write):
        event.listen(engine, "before_cursor_execute", _unmarked_write)

    @app.before_request
    def _begin_writer():
        # Registered before every other hook, so nothing has read yet: a request
        # that writes waits here for SQLite's write lock (busy_timeout) and then
        # holds it to its commit, instead of failing half-way when another
        # writer committed after its first read. Readers are never blocked (WAL).
        if not sqlite:
            return
        if app.config.get("SESSION_BOUND_EXTERNALLY") and (session.new or session.dirty or session.deleted):
            session.flush()  # tests share their session with the requests: what they left unflushed is theirs
        request.environ[WRITER] = _request_writes()
        if request.environ[WRITER]:
            if not app.config.get("SESSION_BOUND_EXTERNALLY"):
                session.connection(execution_options={"sqlite_writer": True})

    app.extensions.setdefault("after_request_commit", [])

    @app.after_request
    def _commit(response):
        # The unit of work of a request: commit unless the request raised.
        if g.get("uow_failed"):
            session.rollback()
        else:
            try:
                session.commit()
            except OperationError as exc:  # e.g. a value too long for its column, found at the final flush
                session.rollback()
                return app.extensions["refusal_page"](exc)
            for hook in app.extensions["after_request_commit"]:
                hook()
        return response

    @app.teardown_request
    def _teardown(exc):
        if exc is not None:
            session.rollback()
        session.remove()


def mark_failed() -> None:
    """Called by the error handlers: whatever the request did is rolled back."""
    g.uow_failed = True


@contextmanager
def unit_of_work(writer: bool = False) -> Iterator[Any]:
    """The unit of work of a CLI command or a job. ``writer``: it reads before
    it writes, and must not be refused its writes by another writer's commit
    in between (SQLite: BEGIN IMMEDIATE; other databases wait on row locks)."""
    try:
        if writer:
            session.connection(execution_options={"sqlite_writer": True})
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.remove()

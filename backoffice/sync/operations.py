"""The only code that changes sync data: checkpoints and leases, and the inbox.
Flushes, never commits."""
from __future__ import annotations

import datetime as dt
from typing import Any, Iterable

from flask_babel import gettext as _
from sqlalchemy import or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from backoffice import bulk
from backoffice.db import session
from backoffice.errors import OperationError
from backoffice.sync.models import InboxRecord, SyncCheckpoint
from backoffice.timeutil import utcnow


# -- checkpoints and leases -------------------------------------------------------
def _insert():
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


def ensure_checkpoint(shop_id: int, stream: str) -> None:
    """Create the stream's checkpoint unless it exists. A write first, so two
    workers starting together never deadlock upgrading a read lock (SQLite)."""
    session.execute(_insert()(SyncCheckpoint).values(shop_id=shop_id, stream=stream, updated_at=utcnow())
                    .on_conflict_do_nothing(index_elements=["shop_id", "stream"]))


def checkpoint(shop_id: int, stream: str) -> SyncCheckpoint:
    found = session.scalar(select(SyncCheckpoint).where(SyncCheckpoint.shop_id == shop_id,
                                                        SyncCheckpoint.stream == stream))
    if found is None:
        ensure_checkpoint(shop_id, stream)
        found = session.scalar(select(SyncCheckpoint).where(SyncCheckpoint.shop_id == shop_id,
                                                            SyncCheckpoint.stream == stream))
    return found


def acquire_lease(checkpoint_id: int, owner: str, seconds: int) -> bool:
    """Take or renew the stream's lease in one conditional UPDATE, so of two
    workers asking at once exactly one wins, on SQLite and PostgreSQL alike."""
    now = utcnow()
    result = session.execute(
        update(SyncCheckpoint)
        .where(SyncCheckpoint.id == checkpoint_id,
               or_(SyncCheckpoint.lease_owner.is_(None), SyncCheckpoint.lease_owner == owner,
                   SyncCheckpoint.lease_until < now))
        .values(lease_owner=owner, lease_until=now + dt.timedelta(seconds=seconds))
        .execution_options(synchronize_session=False))
    return result.rowcount == 1


def release_lease(checkpoint_id: int, owner: str) -> None:
    session.execute(update(SyncCheckpoint)
                    .where(SyncCheckpoint.id == checkpoint_id, SyncCheckpoint.lease_owner == owner)
                    .values(lease_owner=None, lease_until=None).execution_options(synchronize_session=False))


def release_leases_of(worker: str) -> None:
    """Give back the shop leases a dead worker's pulls held (owners are "<worker>:<thread>"),
    so its retried pull is not skipped as running."""
    session.execute(update(SyncCheckpoint).where(SyncCheckpoint.lease_owner.like(f"{worker}:%"))
                    .values(lease_owner=None, lease_until=None))


def advance(checkpoint_id: int, owner: str, until: dt.datetime) -> None:
    """Move the checkpoint forward after a whole window succeeded (never back)."""
    result = session.execute(
        update(SyncCheckpoint)
        .where(SyncCheckpoint.id == checkpoint_id, SyncCheckpoint.lease_owner == owner,
               or_(SyncCheckpoint.synced_until.is_(None), SyncCheckpoint.synced_until < until))
        .values(synced_until=until, updated_at=utcnow()).execution_options(synchronize_session=False))
    if result.rowcount != 1:
        held = session.scalar(select(SyncCheckpoint.lease_owner).where(SyncCheckpoint.id == checkpoint_id))
        if held != owner:
            raise OperationError(_("The sync lease was lost to another worker; this pull stops."))


# -- inbox -------------------------------------------------------------------------
def order_payload(order: Any) -> dict[str, Any]:
    """to_payload for an Order DTO, field by field: the generic walk was the
    largest cost of a pull's own work. The nested dicts are the DTOs' own
    __dict__ (read once, by the JSON encoder of the insert)."""
    out = dict(vars(order))
    out["created_at"], out["modified_at"] = order.created_at.isoformat(), order.modified_at.isoformat()
    out["receiver"] = vars(order.receiver)
    out["lines"] = [vars(line) for line in order.lines]
    return out


_INBOX_COLUMNS = ("shop_id", "kind", "platform_id", "platform_modified_at", "payload", "received_at", "processed_at")
# A newer version replaces the stored one (processed or not, as it comes).
_INBOX_UPSERT = ("ON CONFLICT (shop_id, kind, platform_id) DO UPDATE SET "
                 "platform_modified_at = excluded.platform_modified_at, payload = excluded.payload, "
                 "received_at = excluded.received_at, processed_at = excluded.processed_at "
                 "WHERE sync_inbox.platform_modified_at < excluded.platform_modified_at")

InboxRow = tuple[str, dt.datetime, dict[str, Any]]  # platform id, platform modified time, payload


def latest_versions(records: Iterable[InboxRow]) -> list[InboxRow]:
    """One row per platform id: its latest version (a pull may see a record twice)."""
    latest: dict[str, InboxRow] = {}
    for row in records:
        seen = latest.get(row[0])
        if seen is None or seen[1] < row[1]:
            latest[row[0]] = row
    return list(latest.values())


def store_inbox(shop_id: int, kind: str, records: Iterable[InboxRow], processed: bool = False) -> int:
    """Upsert pulled records: a new record is inserted, a newer version replaces
    an older one, an older or equal version changes nothing. ``processed``: the
    caller has just taken them in (else the intake job will). One driver-level
    statement (SQLAlchemy's per-row parameter processing cost more than the
    insert). Returns the rows written."""
    rows = latest_versions(records)
    if not rows:
        return 0
    conn = session.connection()
    stamp = bulk.time_param(conn)
    now = stamp(utcnow())
    done = now if processed else None
    rows = [(shop_id, kind, pid, stamp(modified), bulk.json_text(payload), now, done) for pid, modified, payload in rows]
    written = bulk.insert_rows(conn, InboxRecord.__table__, _INBOX_COLUMNS, rows, on_conflict=_INBOX_UPSERT,
                               converted=True)
    return written if written >= 0 else len(rows)



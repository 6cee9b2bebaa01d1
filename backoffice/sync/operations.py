"""The only code that changes sync data: shop connections, checkpoints and
leases, the inbox and the outbox. Flushes, never commits."""
from __future__ import annotations

import datetime as dt
from typing import Any, Iterable

from flask_babel import gettext as _
from sqlalchemy import and_, or_, select, true, update
from sqlalchemy.dialects import postgresql, sqlite

from backoffice import bulk
from backoffice.accounts import audit
from backoffice.db import session
from backoffice.errors import OperationError
from backoffice.logsafe import scrub
from backoffice.sync import credentials as vault
from backoffice.sync.models import InboxRecord, OutboxMessage, Shop, SyncCheckpoint
from backoffice.timeutil import utcnow
from integrations.base import Credentials


# -- shop connections -----------------------------------------------------------
def connect_shop(shop: Shop, app_key: str, app_secret: str, access_token: str, expires_at: dt.datetime | None,
                 endpoint: str = "") -> None:
    """Store a shop's credentials encrypted. A blank secret or token keeps the
    stored one, so forms never need to show them back."""
    stored = vault.decrypt(shop.credentials_encrypted).credentials if shop.credentials_encrypted else None
    app_secret = app_secret or (stored.app_secret if stored else "")
    access_token = access_token or (stored.access_token if stored else "")
    if not app_key.strip() or not app_secret:
        raise OperationError(_("App key and app secret are both required."), "app_key")
    creds = Credentials(app_key.strip(), app_secret, access_token, endpoint.strip())
    fields = ("app_key", "app_secret", "access_token", "endpoint")
    before = {key: getattr(stored, key) for key in fields} if stored else {}
    changed = audit.changed({**before, "token_expires_at": shop.token_expires_at if stored else None},
                            {**{key: getattr(creds, key) for key in fields}, "token_expires_at": expires_at})
    # Which fields changed, never their values: the secrets stay in the vault only.
    audit.record("credentials.change", f"shop:{shop.id}", name=shop.name, fields=changed)
    shop.credentials_encrypted = vault.encrypt(creds, expires_at)
    shop.token_expires_at = expires_at
    shop.auth_status = "ok" if access_token and (expires_at is None or expires_at > utcnow()) else "expired"
    shop.auth_error = None if shop.auth_status == "ok" else _("The access token is missing or expired.")
    session.flush()


def shop_credentials(shop: Shop) -> Credentials:
    if not shop.credentials_encrypted:
        raise OperationError(_("This shop is not connected to its platform yet."))
    return vault.decrypt(shop.credentials_encrypted).credentials


def mark_needs_reauthorisation(shop_id: int, reason: str) -> None:
    session.execute(update(Shop).where(Shop.id == shop_id).values(auth_status="expired", auth_error=scrub(reason)[:500]))


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
_SCALARS = (str, int, float, bool, type(None))


def to_payload(record: Any) -> dict[str, Any]:
    """A DTO as a JSON-ready dict: datetimes in ISO 8601 UTC, nested DTOs as
    dicts. (dataclasses.asdict deep-copies every value and dominated a large pull.)"""
    out = dict(vars(record))
    for key, value in out.items():
        if isinstance(value, _SCALARS):
            continue
        if isinstance(value, dt.datetime):
            out[key] = value.isoformat()
        elif isinstance(value, (list, tuple)):
            out[key] = [v if isinstance(v, _SCALARS) else to_payload(v) for v in value]
        elif hasattr(value, "__dataclass_fields__"):
            out[key] = to_payload(value)
    return out


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


# -- outbox ------------------------------------------------------------------------
def enqueue(shop_id: int, kind: str, idempotency_key: str, payload: dict[str, Any]) -> OutboxMessage:
    """Called inside the transaction of the change it reports; the same key
    twice is the same message (asking twice to ship a parcel ships it once)."""
    existing = session.scalar(select(OutboxMessage).where(OutboxMessage.idempotency_key == idempotency_key))
    if existing is not None:
        return existing
    message = OutboxMessage(shop_id=shop_id, kind=kind, idempotency_key=idempotency_key, payload=payload)
    session.add(message)
    session.flush()
    return message


def claim(message_id: int, seconds: int) -> bool:
    """Claim a due message for delivery; of two dispatchers exactly one wins."""
    now = utcnow()
    result = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.status == "pending",
               or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now))
        .values(claimed_until=now + dt.timedelta(seconds=seconds), attempts=OutboxMessage.attempts + 1)
        .execution_options(synchronize_session=False))
    return result.rowcount == 1


def due_messages(limit: int, kinds: tuple[str, ...] | None = None) -> list[int]:
    """Messages to send now; ``kinds``: only those the dispatcher can deliver
    (others, e.g. payouts without a platform call, stay pending). Messages of a
    shop not connected to its platform wait, pending, for the connection or for
    a spreadsheet export (Mogujie); they never block the others."""
    now = utcnow()
    connected = select(Shop.id).where(Shop.credentials_encrypted.is_not(None), Shop.auth_status == "ok")
    return list(session.scalars(
        select(OutboxMessage.id)
        .where(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now,
               OutboxMessage.shop_id.in_(connected),
               OutboxMessage.kind.in_(kinds) if kinds is not None else true(),
               or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now))
        .order_by(OutboxMessage.id).limit(limit)))


def settle(message_id: int, delivered: bool, error: str | None = None, retry_in: dt.timedelta | None = None,
           give_up: bool = False) -> None:
    values: dict[str, Any] = {"claimed_until": None, "last_error": scrub(error) if error else error}
    if delivered:
        values.update(status="delivered", delivered_at=utcnow())
    elif give_up:
        values.update(status="failed")
    else:
        values.update(next_attempt_at=utcnow() + (retry_in or dt.timedelta(minutes=1)))
    session.execute(update(OutboxMessage).where(and_(OutboxMessage.id == message_id))
                    .values(**values).execution_options(synchronize_session=False))

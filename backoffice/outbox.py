"""The outbox: changes to tell a platform, written in the transaction of the
change itself and delivered by the dispatcher (sync) until acknowledged.

Each domain registers, per message kind, how a message is delivered through a
platform adapter and how its outcome is written back; the dispatcher only looks
the kind up here, so it needs to know no domain.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Callable

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, and_, or_, select, true, update
from sqlalchemy.orm import Mapped, mapped_column

from backoffice.db import Base, session
from backoffice.logsafe import scrub
from backoffice.timeutil import utcnow


class OutboxMessage(Base):
    """A change to tell a platform, written in the same transaction as the
    change itself and delivered by the dispatcher until acknowledged."""

    __tablename__ = "sync_outbox"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'delivered', 'failed')", name="status_known"),
        Index("ix_sync_outbox_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"))
    kind: Mapped[str] = mapped_column(String(32))  # shipment, refund, stock
    idempotency_key: Mapped[str] = mapped_column(String(128), unique=True)
    payload: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    claimed_until: Mapped[dt.datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[dt.datetime | None]


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


@dataclass(frozen=True)
class Handler:
    """How one kind of message is sent: ``deliver(payload, adapter)`` returns what
    the platform made (an item id) or None; ``write_back(payload, result,
    delivered)`` records the outcome where the change came from, in the
    transaction that settles the message."""

    deliver: Callable[[dict, Any], str | None]
    write_back: Callable[[dict, str | None, bool], None] | None = None


HANDLERS: dict[str, Handler] = {}


def handles(kind: str, write_back: Callable[[dict, str | None, bool], None] | None = None):
    """Register the decorated function as the delivery of ``kind`` messages."""
    def register(deliver: Callable[[dict, Any], str | None]):
        HANDLERS[kind] = Handler(deliver, write_back)
        return deliver

    return register


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


def due_messages(limit: int, kinds: tuple[str, ...] | None, connected) -> list[int]:
    """Messages to send now; ``kinds``: only those the dispatcher can deliver
    (others, e.g. payouts without a platform call, stay pending); ``connected``:
    a select of the shop ids connected to their platform. Messages of the other
    shops wait, pending, for the connection or for a spreadsheet export
    (Mogujie); they never block the others."""
    now = utcnow()
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

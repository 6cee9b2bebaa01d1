"""Shipments to a Mogujie shop without API access (SPEC: the spreadsheet
fallback). Its shipment confirmations wait in the outbox; staff download them
as Mogujie's batch-shipping sheet, upload it in the seller backend, then mark
exactly the messages of that sheet as delivered."""
from __future__ import annotations

from sqlalchemy import func, select, update

from backoffice.db import session
from backoffice.outbox import OutboxMessage
from backoffice.shops.models import Shop
from backoffice.timeutil import utcnow
from integrations.base import Shipment
from integrations.mogujie.spreadsheet import shipping_sheet

SHEET_PLATFORMS = ("mogujie",)


def uses_sheet(shop: Shop) -> bool:
    """Shipments of this shop go out by spreadsheet rather than through the API."""
    return shop.platform in SHEET_PLATFORMS and not (shop.credentials_encrypted and shop.auth_status == "ok")


def _waiting(shop_id: int, upto: int | None = None):
    query = select(OutboxMessage).where(OutboxMessage.shop_id == shop_id, OutboxMessage.kind == "shipment",
                                        OutboxMessage.status == "pending")
    return query.where(OutboxMessage.id <= upto) if upto is not None else query


def waiting_counts() -> dict[int, tuple[int, int]]:
    """shop id -> (shipments waiting for a sheet, the newest message id among them)."""
    rows = session.execute(select(OutboxMessage.shop_id, func.count(), func.max(OutboxMessage.id))
                           .where(OutboxMessage.kind == "shipment", OutboxMessage.status == "pending")
                           .group_by(OutboxMessage.shop_id))
    return {shop_id: (count, newest) for shop_id, count, newest in rows}


def sheet(shop_id: int, upto: int) -> tuple[bytes, int]:
    """The batch-shipping sheet of the shop's waiting shipments up to message `upto`, and their count."""
    messages = session.scalars(_waiting(shop_id, upto).order_by(OutboxMessage.id)).all()
    return shipping_sheet([Shipment(**m.payload) for m in messages]), len(messages)


def mark_uploaded(shop_id: int, upto: int) -> int:
    """The sheet up to `upto` was uploaded: those messages are delivered (later ones still wait)."""
    result = session.execute(update(OutboxMessage)
                             .where(OutboxMessage.shop_id == shop_id, OutboxMessage.kind == "shipment",
                                    OutboxMessage.status == "pending", OutboxMessage.id <= upto)
                             .values(status="delivered", delivered_at=utcnow(), claimed_until=None,
                                     last_error="uploaded as a batch-shipping sheet"))
    return result.rowcount

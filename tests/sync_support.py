"""A database whose commits are real (jobs commit as they go), on SQLite or
PostgreSQL as the suite runs, emptied of sync data after each test."""
from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select

from backoffice.db import session
from backoffice.jobs import JobRun
from backoffice.orders.models import NumberSequence, Order, OrderEvent, OrderLine
from backoffice.outbox import OutboxMessage
from backoffice.shops.models import Shop
from backoffice.sync.models import InboxRecord, SyncCheckpoint


@pytest.fixture
def committed(engine):
    session.remove()
    session.configure(bind=engine)
    yield engine
    session.remove()
    with engine.begin() as conn:
        # pulls make orders on the way (their lines and events go with them)
        for model in (OrderEvent, OrderLine, Order, NumberSequence, InboxRecord, OutboxMessage, SyncCheckpoint,
                      JobRun, Shop):
            conn.execute(delete(model))
    session.configure(bind=None)


def inbox_state(shop_id: int, kind: str = "order") -> dict[str, tuple]:
    rows = session.execute(select(InboxRecord.platform_id, InboxRecord.platform_modified_at,
                                  InboxRecord.payload["status"].as_string())
                           .where(InboxRecord.shop_id == shop_id, InboxRecord.kind == kind)).all()
    session.rollback()
    return {pid: (modified, status) for pid, modified, status in rows}


def inbox_count(shop_id: int) -> int:
    n = session.scalar(select(func.count()).select_from(InboxRecord).where(InboxRecord.shop_id == shop_id))
    session.rollback()
    return n

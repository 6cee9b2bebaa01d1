"""Tracking shipped parcels through Kuaidi100: which parcels still move,
polling them, subscribing them, and storing what Kuaidi100 reports (by a
query or a signed push). Job code commits per parcel; the callback's request
is its own unit of work."""
from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import and_, or_, select

from backoffice.db import session
from backoffice.logsafe import scrub
from backoffice.orders.models import Order, OrderEvent
from backoffice.sync.models import TrackedParcel
from backoffice.timeutil import utcnow
from integrations.base import Credentials, PlatformError, adapter_for
from integrations.kuaidi100.adapter import COURIERS, Tracking

CALLBACK_PATH = "/sync/tracking/kuaidi100"  # where views.kuaidi100_callback is served
POLL_EVERY = dt.timedelta(hours=2)  # Kuaidi100 asks for no more than a query every half hour per parcel
TRACK_FOR = dt.timedelta(days=30)  # parcels shipped longer ago are left alone
# states worth a line on the order's timeline
NOTABLE = {"delivered": "快递已签收", "problem": "快递显示疑难件", "returned": "快件退回中", "refused": "收件人拒收",
           "returned_delivered": "退回件已签收"}


@dataclass(frozen=True)
class Kuaidi100Account:
    key: str
    customer: str
    endpoint: str
    salt: str  # signs the pushes to our callback
    public_url: str  # how Kuaidi100 reaches us; empty: no subscriptions, polling only


def account() -> Kuaidi100Account | None:
    """From the app config (tests) or the environment; None when not set up."""
    def setting(name: str) -> str:
        return current_app.config.get(f"KUAIDI100_{name}") or os.environ.get(f"BACKOFFICE_KUAIDI100_{name}", "")

    if not (setting("KEY") and setting("CUSTOMER")):
        return None
    salt = setting("SALT") or hashlib.sha256(f"kuaidi100:{current_app.config['SECRET_KEY']}".encode()).hexdigest()[:32]
    return Kuaidi100Account(setting("KEY"), setting("CUSTOMER"), setting("ENDPOINT"), salt,
                            setting("PUBLIC_URL").rstrip("/"))


def adapter(acc: Kuaidi100Account, **transport):
    return adapter_for("kuaidi100", Credentials(acc.key, acc.customer, endpoint=acc.endpoint), **transport)


def open_parcels(limit: int = 500) -> list[tuple[str, str, str]]:
    """(courier, tracking number, receiver phone) of parcels shipped recently,
    not finished, and not checked within POLL_EVERY; one row per parcel."""
    now = utcnow()
    rows = session.execute(
        select(Order.courier_code, Order.tracking_number, Order.receiver_phone)
        .outerjoin(TrackedParcel, and_(TrackedParcel.courier_code == Order.courier_code,
                                       TrackedParcel.tracking_number == Order.tracking_number))
        .where(Order.status == "shipped", Order.tracking_number.is_not(None), Order.courier_code.in_(COURIERS),
               Order.shipped_at >= now - TRACK_FOR,
               or_(TrackedParcel.id.is_(None),
                   and_(TrackedParcel.finished.is_(False),
                        or_(TrackedParcel.checked_at.is_(None), TrackedParcel.checked_at < now - POLL_EVERY))))
        .order_by(Order.shipped_at).limit(limit * 2)).all()
    seen: dict[tuple[str, str], str] = {}
    for courier, number, phone in rows:
        seen.setdefault((courier, number), phone)
    return [(c, n, p) for (c, n), p in list(seen.items())[:limit]]


def parcel(courier: str, number: str) -> TrackedParcel:
    found = session.scalar(select(TrackedParcel).where(TrackedParcel.courier_code == courier,
                                                       TrackedParcel.tracking_number == number))
    if found is None:
        found = TrackedParcel(courier_code=courier, tracking_number=number, state="unknown", finished=False,
                              events=[])
        session.add(found)
        session.flush()
    return found


def record(tracking: Tracking) -> TrackedParcel:
    """Store a report; an older report than the one held changes nothing but the check time."""
    item = parcel(tracking.courier_code, tracking.number)
    item.checked_at, item.last_error = utcnow(), None
    latest = tracking.events[-1].at if tracking.events else None
    if latest is None or (item.last_event_at and latest < item.last_event_at):
        return item
    before = item.state
    item.events = [{"at": e.at.isoformat(), "text": e.text, "state": e.state} for e in tracking.events]
    item.last_event_at, item.state, item.finished = latest, tracking.state, tracking.finished
    if item.state != before and item.state in NOTABLE:
        for order_id in session.scalars(select(Order.id).where(Order.courier_code == item.courier_code,
                                                               Order.tracking_number == item.tracking_number)):
            session.add(OrderEvent(order_id=order_id, kind="tracking", message=NOTABLE[item.state],
                                   data={"tracking_number": item.tracking_number}))
    session.flush()
    return item


@dataclass
class TrackingRun:
    queried: int = 0
    subscribed: int = 0
    failed: int = 0


def track(acc: Kuaidi100Account, client=None, limit: int = 500) -> TrackingRun:
    """Subscribe the open parcels (when Kuaidi100 can reach us) and query them;
    a failure is kept on the parcel and tried again next time."""
    client = client or adapter(acc)
    result = TrackingRun()
    callback = acc.public_url + CALLBACK_PATH if acc.public_url else ""
    todo = open_parcels(limit)
    session.commit()
    for courier, number, phone in todo:
        phone = phone if courier == "shunfeng" else ""
        try:
            if callback and parcel(courier, number).subscribed_at is None:
                session.commit()
                client.subscribe(courier, number, callback, acc.salt, phone=phone)
                parcel(courier, number).subscribed_at = utcnow()
                result.subscribed += 1
            session.commit()
            record(client.query(courier, number, phone=phone))
            result.queried += 1
        except PlatformError as exc:
            session.rollback()
            item = parcel(courier, number)
            item.checked_at, item.last_error = utcnow(), scrub(str(exc))[:500]
            result.failed += 1
        session.commit()
    return result

"""Complaints and follow-up visits (回访): the only code that changes them.
Deadlines are fixed from the settings when a complaint is received, so editing
the settings later never moves a promise already made. Flushes, never commits."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select

from backoffice.accounts.models import User
from backoffice.db import session
from backoffice.errors import OperationError
from backoffice.orders.models import Order
from backoffice.service.models import FOLLOW_UP_KINDS, Complaint, FollowUpVisit
from backoffice.service.reviews import settings
from backoffice.service.rules import complaint_deadlines, visit_due
from backoffice.shipping.models import Courier
from backoffice.timeutil import utcnow


def _text(value: str | None) -> str:
    return (value or "").strip()


def receive(*, buyer: str, reason: str, detail: str, order_number: str = "", courier_code: str = "",
            product: str = "", staff_id: int | None = None, received_at: dt.datetime | None = None,
            by: User | None = None) -> Complaint:
    buyer, reason, detail, order_number = _text(buyer), _text(reason), _text(detail), _text(order_number)
    order = None
    if order_number:
        order = session.scalar(select(Order).where((Order.number == order_number)
                                                   | (Order.platform_order_id == order_number)))
        if order is None:
            raise OperationError(_("No order %(number)s.", number=order_number), "order_number")
        buyer = buyer or order.buyer_id or order.receiver_name
        courier_code = courier_code or order.courier_code or ""
        product = product or (order.lines[0].sku_code if order.lines else "")
    if not buyer:
        raise OperationError(_("The buyer or an order number is required."), "buyer")
    if not reason:
        raise OperationError(_("The reason is required."), "reason")
    if not detail:
        raise OperationError(_("Describe the complaint."), "detail")
    if courier_code and session.get(Courier, courier_code) is None:
        raise OperationError(_("Unknown courier %(code)s.", code=courier_code), "courier_code")
    if staff_id is not None and session.get(User, staff_id) is None:
        raise OperationError(_("No such staff member."), "staff_id")
    row = settings()
    received_at = received_at or utcnow()
    due = complaint_deadlines(received_at, row.first_answer_hours, row.investigation_working_days)
    complaint = Complaint(order=order, buyer=buyer, reason=reason, courier_code=courier_code or None,
                          product=_text(product) or None, staff_id=staff_id, detail=detail,
                          received_at=received_at, first_answer_due=due.first_answer_due,
                          investigation_due=due.investigation_due, created_by_id=by.id if by else None)
    session.add(complaint)
    session.flush()
    return complaint


def _get(complaint_id: int) -> Complaint:
    complaint = session.get(Complaint, complaint_id)
    if complaint is None:
        raise OperationError(_("No such complaint."))
    return complaint


def answer(complaint_id: int, now: dt.datetime | None = None) -> Complaint:
    complaint = _get(complaint_id)
    if complaint.first_answered_at is not None:
        raise OperationError(_("The first answer is already recorded."))
    complaint.first_answered_at, complaint.status = now or utcnow(), "answered"
    session.flush()
    return complaint


def investigate(complaint_id: int, finding: str, now: dt.datetime | None = None) -> Complaint:
    complaint = _get(complaint_id)
    if complaint.investigated_at is not None:
        raise OperationError(_("The investigation is already closed."))
    if not _text(finding):
        raise OperationError(_("Write down what the investigation found."), "finding")
    now = now or utcnow()
    complaint.first_answered_at = complaint.first_answered_at or now
    complaint.investigated_at, complaint.finding, complaint.status = now, _text(finding), "investigated"
    complaint.follow_up_due = now + dt.timedelta(days=settings().complaint_follow_up_days)
    session.flush()
    return complaint


def follow_up(complaint_id: int, note: str, now: dt.datetime | None = None) -> Complaint:
    complaint = _get(complaint_id)
    if complaint.investigated_at is None:
        raise OperationError(_("The follow-up visit comes after the investigation."))
    if complaint.followed_up_at is not None:
        raise OperationError(_("The follow-up visit is already recorded."))
    if not _text(note):
        raise OperationError(_("Write down what the buyer said."), "note")
    complaint.followed_up_at, complaint.follow_up_note, complaint.status = now or utcnow(), _text(note), "closed"
    session.flush()
    return complaint


# -- follow-up visits of buyers (SPEC §5) ----------------------------------------------------
@dataclass
class DueVisit:
    platform: str
    buyer_id: str
    kind: str
    due_at: dt.datetime
    completed_orders: int
    last_order_id: int
    last_visit_at: dt.datetime | None


def due_visits(now: dt.datetime, horizon: dt.timedelta = dt.timedelta(days=7)) -> list[DueVisit]:
    """Buyers whose next follow-up visit falls before now + horizon, earliest first.
    An order's completion time is its last platform change (when it became completed)."""
    row = settings()
    completed = func.coalesce(Order.platform_modified_at, Order.updated_at)
    buyers = session.execute(
        select(Order.platform, Order.buyer_id, func.count(), func.max(completed), func.max(Order.id))
        .where(Order.status == "completed", Order.buyer_id.is_not(None))
        .group_by(Order.platform, Order.buyer_id)).all()
    visits = dict(((p, b), at) for p, b, at in session.execute(
        select(FollowUpVisit.platform, FollowUpVisit.buyer_id, func.max(FollowUpVisit.visited_at))
        .group_by(FollowUpVisit.platform, FollowUpVisit.buyer_id)))
    out = []
    for platform, buyer_id, count, last_completed, last_order_id in buyers:
        last_visit = visits.get((platform, buyer_id))
        due = visit_due(count, last_completed, last_visit, row.new_customer_visit_days,
                        row.regular_customer_visit_months)
        if due.due_at <= now + horizon:
            out.append(DueVisit(platform, buyer_id, due.kind, due.due_at, count, last_order_id, last_visit))
    return sorted(out, key=lambda v: (v.due_at, v.buyer_id))


def record_visit(platform: str, buyer_id: str, kind: str, note: str, by: User,
                 order_id: int | None = None) -> FollowUpVisit:
    if kind not in FOLLOW_UP_KINDS:
        raise OperationError(_("Unknown kind of visit."), "kind")
    if not _text(buyer_id):
        raise OperationError(_("The buyer is required."), "buyer_id")
    if not _text(note):
        raise OperationError(_("Write down what the buyer said."), "note")
    visit = FollowUpVisit(platform=platform, buyer_id=_text(buyer_id), kind=kind, note=_text(note),
                          visited_by_id=by.id, order_id=order_id)
    session.add(visit)
    session.flush()
    return visit

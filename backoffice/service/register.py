"""The customer issue register (客户问题登记表) and the shift handover: the only
code that changes them. Flushes, never commits."""
from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from backoffice.accounts.models import User
from backoffice.db import session
from backoffice.errors import OperationError
from backoffice.orders.models import Order
from backoffice.service.models import CustomerIssue, ShiftHandover
from backoffice.service.rules import handover_key, overdue
from backoffice.timeutil import utcnow


def _order_by_number(number: str) -> Order:
    order = session.scalar(select(Order).where(
        (Order.number == number) | (Order.platform_order_id == number)))
    if order is None:
        raise OperationError(_("No order %(number)s.", number=number), "order_number")
    return order


def open_issue(*, problem: str, solution: str, promised_at: dt.datetime | None, buyer: str = "",
               order_number: str = "", assignee_id: int | None = None, pinned: bool = False,
               by: User | None = None, now: dt.datetime | None = None) -> CustomerIssue:
    """Log an issue that could not be solved at once, with the agreed time and way."""
    problem, solution, buyer, order_number = (problem or "").strip(), (solution or "").strip(), \
        (buyer or "").strip(), (order_number or "").strip()
    order = _order_by_number(order_number) if order_number else None
    if order is not None and not buyer:
        buyer = order.buyer_id or order.receiver_name
    if not buyer:
        raise OperationError(_("The buyer or an order number is required."), "buyer")
    if not problem:
        raise OperationError(_("The problem is required."), "problem")
    if not solution:
        raise OperationError(_("The agreed way to solve it is required."), "solution")
    if promised_at is None:
        raise OperationError(_("The promised time is required."), "promised_at")
    if promised_at < (now or utcnow()) - dt.timedelta(minutes=5):
        raise OperationError(_("The promised time is in the past."), "promised_at")
    if assignee_id is not None and session.get(User, assignee_id) is None:
        raise OperationError(_("No such staff member."), "assignee_id")
    issue = CustomerIssue(order=order, buyer=buyer, problem=problem, solution=solution, promised_at=promised_at,
                          assignee_id=assignee_id, pinned=pinned, created_by_id=by.id if by else None)
    session.add(issue)
    session.flush()
    return issue


def _open(issue_id: int) -> CustomerIssue:
    issue = session.get(CustomerIssue, issue_id)
    if issue is None:
        raise OperationError(_("No such issue."))
    if issue.status != "open":
        raise OperationError(_("This issue is already solved."))
    return issue


def set_pinned(issue_id: int, pinned: bool) -> CustomerIssue:
    issue = _open(issue_id)
    issue.pinned = pinned
    session.flush()
    return issue


def solve(issue_id: int, outcome: str, by: User) -> CustomerIssue:
    issue = _open(issue_id)
    if not (outcome or "").strip():
        raise OperationError(_("Say how the issue was solved."), "outcome")
    issue.status, issue.outcome, issue.solved_at, issue.solved_by_id = "solved", outcome.strip(), utcnow(), by.id
    issue.pinned = False
    session.flush()
    return issue


def open_issues(now: dt.datetime) -> list[CustomerIssue]:
    """The open issues in handover order: pinned, then overdue, then by promised time."""
    issues = session.scalars(select(CustomerIssue).options(selectinload(CustomerIssue.order),
                                                           selectinload(CustomerIssue.assignee))
                             .where(CustomerIssue.status == "open")).all()
    return sorted(issues, key=lambda i: (*handover_key(i.pinned, i.promised_at, now), i.id))


def is_overdue(issue: CustomerIssue, now: dt.datetime) -> bool:
    return issue.status == "open" and overdue(issue.promised_at, None, now)


def pending_handover() -> ShiftHandover | None:
    """The last handover nobody has acknowledged yet."""
    return session.scalar(select(ShiftHandover).where(ShiftHandover.acknowledged_at.is_(None))
                          .order_by(ShiftHandover.id.desc()).limit(1))


def hand_over(note: str, by: User, now: dt.datetime | None = None) -> ShiftHandover:
    now = now or utcnow()
    issues = open_issues(now)
    handover = ShiftHandover(handed_by_id=by.id, handed_at=now, note=(note or "").strip() or None,
                             open_issues=len(issues), overdue_issues=sum(is_overdue(i, now) for i in issues))
    session.add(handover)
    session.flush()
    return handover


def acknowledge(handover_id: int, by: User) -> ShiftHandover:
    handover = session.get(ShiftHandover, handover_id)
    if handover is None:
        raise OperationError(_("No such handover."))
    if handover.acknowledged_at is not None:
        raise OperationError(_("This handover was already acknowledged."))
    if handover.handed_by_id == by.id:
        raise OperationError(_("The next shift acknowledges a handover, not the person who wrote it."))
    handover.acknowledged_by_id, handover.acknowledged_at = by.id, utcnow()
    session.flush()
    return handover


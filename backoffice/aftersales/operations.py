"""Everything that changes after-sales data. Only flushes; the caller commits."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from backoffice.accounts import audit
from backoffice.aftersales import triage as rules
from backoffice.aftersales.models import InterceptTask, RefundRequest
from backoffice.aftersales.platform_refunds import tell_platform
from backoffice.cases.models import MoneyMovement
from backoffice.db import session
from backoffice.errors import OperationError
from backoffice.orders.models import Order, OrderEvent
from backoffice.timeutil import utcnow


def case_of(request: RefundRequest) -> rules.RefundCase:
    order = request.order
    latest = request.intercepts[-1].status if request.intercepts else None
    return rules.RefundCase(
        seller_memo=order.seller_memo,
        waybill_printed=order.waybill_printed_at is not None,
        tracking_moving=order.status in ("shipped", "completed"),
        intercept_status=latest,
    )


def triage(request: RefundRequest) -> rules.Triage:
    return rules.triage_refund_only(case_of(request))


def _open_refund_only(request_id: int) -> RefundRequest:
    request = session.get(RefundRequest, request_id, with_for_update=True)
    if request is None or request.kind != "refund_only":
        raise OperationError(_("No such refund-only request."))
    if request.status != "pending":
        raise OperationError(_("This request is already handled (%(status)s); nothing was changed.",
                               status=request.status))
    return request


def approve_refund_only(request_id: int, user) -> MoneyMovement:
    """Approve when triage says so: not yet shipped, or pulled back by the warehouse."""
    request = _open_refund_only(request_id)
    decision = triage(request)
    if decision.action not in (rules.APPROVE_CANCEL, rules.APPROVE_PULLED):
        raise OperationError(_("The parcel may already be on its way: the refund cannot be approved here. %(why)s",
                               why=decision.reasons[-1]))
    order = request.order
    request.status, request.resolved_at = "refunded", utcnow()
    if order.status == "paid":
        order.status = "closed"
        order.events.append(OrderEvent(kind="refund", user_id=user.id,
                                       message=f"仅退款已同意，取消发货（{decision.reasons[-1]}）"))
    payment = MoneyMovement(order_id=order.id, refund_request_id=request.id, kind="refund",
                            amount_fen=request.amount_fen, idempotency_key=f"refund:{request.id}",
                            created_by_id=user.id, note=decision.reasons[-1])
    session.add(payment)
    tell_platform(request, agree=True)
    audit.record("refund", f"refund:{request.id}", user=user, name=order.number, amount_fen=request.amount_fen)
    session.flush()
    return payment


def refuse_refund_only(request_id: int, user) -> RefundRequest:
    """Refuse when the parcel is on its way (SPEC §4.1): the buyer returns it
    after receipt instead; the platform is told why."""
    request = _open_refund_only(request_id)
    decision = triage(request)
    if decision.action != rules.REPLY_ALREADY_SHIPPED:
        raise OperationError(_("Only a request whose parcel is already on its way is refused here. %(why)s",
                               why=decision.reasons[-1]))
    request.status, request.resolved_at = "refused", utcnow()
    reason = decision.reasons[-1].split("：", 1)[-1]
    session.add(OrderEvent(order_id=request.order_id, kind="refund", user_id=user.id, message=f"仅退款已拒绝（{reason}）"))
    tell_platform(request, agree=False, reason=reason)
    audit.record("refund", f"refund:{request.id}", user=user, name=request.order.number, refused=True)
    session.flush()
    return request


def request_intercept(request_id: int, user) -> InterceptTask:
    request = _open_refund_only(request_id)
    if triage(request).action != rules.INTERCEPT:
        raise OperationError(_("An intercept is not what this request needs now."))
    task = InterceptTask(refund_request=request, order_id=request.order_id, created_by_id=user.id)
    session.add(task)
    request.order.events.append(OrderEvent(kind="intercept", user_id=user.id, message="客服请求库房拦截包裹"))
    session.flush()
    return task


def answer_intercept(task_id: int, outcome: str, user) -> InterceptTask:
    if outcome not in ("pulled", "left"):
        raise OperationError(_("Unknown intercept outcome."))
    task = session.get(InterceptTask, task_id, with_for_update=True)
    if task is None:
        raise OperationError(_("No such intercept task."))
    if task.status != "open":
        raise OperationError(_("This intercept was already answered; nothing was changed."))
    task.status, task.answered_at, task.answered_by_id = outcome, utcnow(), user.id
    message = "库房：包裹已拦截" if outcome == "pulled" else "库房：包裹已发出，拦截不成"
    task.order.events.append(OrderEvent(kind="intercept", user_id=user.id, message=message))
    session.flush()
    return task


def find_open_intercept(code: str) -> InterceptTask | None:
    """What the warehouse scans: the waybill (tracking) number or the order number."""
    code = code.strip()
    return session.scalar(
        select(InterceptTask).join(Order, Order.id == InterceptTask.order_id)
        .where(InterceptTask.status == "open", (Order.tracking_number == code) | (Order.number == code))
        .order_by(InterceptTask.id)
    )

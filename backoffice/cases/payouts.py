"""Money paid back outside a return: compensations (SPEC §4.3) and case
refunds (SPEC §4.4). Each is one MoneyMovement, never more than the order's
paid amount in total, and one outbox message telling the platform, delivered
after commit by the sync dispatcher. Only flushes; the caller commits."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from backoffice.accounts import audit
from backoffice.cases.compensation import NoPolicy, Offer, PolicyRow, offer_for
from backoffice.cases.models import ITEM_KINDS, SEVERITIES, CompensationPayment, CompensationRule, MoneyMovement
from backoffice.cases.rules import approval_needed, refundable_fen
from backoffice.db import session
from backoffice.errors import OperationError
from backoffice.money import fen_to_yuan
from backoffice.orders.models import Order, OrderEvent
from backoffice.outbox import OutboxMessage
from backoffice.shops.models import PULL_PLATFORMS
from backoffice.timeutil import utcnow

# Outbox kind: a payment the platform is told of. No adapter can send one yet
# (the platforms pay compensation outside their refund APIs), so it waits, shown pending.
REFUND_MESSAGE = "payout"


def order_by_number(number: str) -> Order:
    number = (number or "").strip()
    order = session.scalar(select(Order).where(Order.number == number)) if number else None
    if order is None:
        raise OperationError(_("Order %(number)s does not exist.", number=number or "—"), "order_number")
    return order


def refunded_fen(order_id: int) -> int:
    return session.scalar(select(func.coalesce(func.sum(MoneyMovement.amount_fen), 0))
                          .where(MoneyMovement.order_id == order_id))


def record_refund(order: Order, kind: str, amount_fen: int, key: str, user, note: str,
                  approver=None) -> MoneyMovement:
    """One money movement back to the buyer, queued for the platform."""
    session.get(Order, order.id, with_for_update=True)  # refunds of one order one after another
    if session.scalar(select(MoneyMovement.id).where(MoneyMovement.idempotency_key == key)) is not None:
        raise OperationError(_("This payment was already recorded; nothing was changed."))
    left = refundable_fen(order.paid_fen, refunded_fen(order.id))
    if amount_fen <= 0:
        raise OperationError(_("The amount must be positive."), "amount")
    if amount_fen > left:
        raise OperationError(_("Order %(number)s has only %(left)s yuan left to refund (paid %(paid)s yuan); "
                               "nothing was changed.", number=order.number, left=fen_to_yuan(left),
                               paid=fen_to_yuan(order.paid_fen)), "amount")
    movement = MoneyMovement(order_id=order.id, kind=kind, amount_fen=amount_fen, idempotency_key=key,
                             note=note, created_by_id=user.id, approved_by_id=approver.id if approver else None)
    session.add(movement)
    session.flush()
    if order.platform in PULL_PLATFORMS:  # sent after commit by the dispatcher, exactly once
        from backoffice.outbox import enqueue

        enqueue(order.shop_id, REFUND_MESSAGE, f"refund:{key}",
                {"platform_order_id": order.platform_order_id, "amount_fen": amount_fen, "reason": note})
    session.add(OrderEvent(order_id=order.id, user_id=user.id, kind="refund",
                           message=f"{note}：退款 {fen_to_yuan(amount_fen)} 元", data={"key": key}))
    audit.record("refund", f"order:{order.id}", user=user, name=order.number, kind=kind, amount_fen=amount_fen,
                 key=key)
    session.flush()
    return movement


def platform_states(keys: list[str]) -> dict[str, str]:
    """Movement idempotency key -> the outbox status of its platform refund."""
    if not keys:
        return {}
    wanted = {f"refund:{k}": k for k in keys}
    rows = session.execute(select(OutboxMessage.idempotency_key, OutboxMessage.status)
                           .where(OutboxMessage.idempotency_key.in_(list(wanted))))
    return {wanted[key]: status for key, status in rows}


def _check_choice(value: str, choices: tuple[str, ...], field: str) -> None:
    if value not in choices:
        raise OperationError(_("Choose a value for %(field)s.", field=field), field)


def request_compensation(order_number: str, item_kind: str, price_fen: int, severity: str, amount_fen: int | None,
                         token: str, reason: str | None, user, case_id: int | None = None
                         ) -> tuple[CompensationPayment, bool]:
    """Pay a compensation inside the policy's range, or put it to a supervisor
    when it is outside. (payment, False) when the same form came again."""
    if not token:
        raise OperationError(_("The form has expired: open it again."))
    existing = session.scalar(select(CompensationPayment).where(CompensationPayment.form_token == token))
    if existing is not None:
        return existing, False
    order = order_by_number(order_number)
    _check_choice(item_kind, ITEM_KINDS, "item_kind")
    _check_choice(severity, SEVERITIES, "severity")
    if price_fen <= 0:
        raise OperationError(_("The item's price must be positive."), "price")
    try:
        offer = compensation_offer(item_kind, price_fen, severity)
    except NoPolicy:
        raise OperationError(_("No rule of the policy covers this case."), "severity") from None
    if offer.full_refund:
        amount_fen = price_fen  # the item's price goes back in full
    if amount_fen is None or amount_fen <= 0:
        raise OperationError(_("The amount must be positive."), "amount")
    left = refundable_fen(order.paid_fen, refunded_fen(order.id))
    if amount_fen > left:
        raise OperationError(_("Order %(number)s has only %(left)s yuan left to refund (paid %(paid)s yuan); "
                               "nothing was changed.", number=order.number, left=fen_to_yuan(left),
                               paid=fen_to_yuan(order.paid_fen)), "amount")
    payment = CompensationPayment(
        order_id=order.id, case_id=case_id, item_kind=item_kind, price_fen=price_fen, severity=severity,
        amount_fen=amount_fen, full_refund=offer.full_refund, policy_min_fen=offer.min_fen,
        policy_max_fen=offer.max_fen, reason=(reason or "").strip() or None, form_token=token,
        status="awaiting_approval", requested_by_id=user.id)
    session.add(payment)
    session.flush()
    if approval_needed(offer, amount_fen) is None:
        _pay(payment, order, user, approver=None)
    else:
        audit.record("refund", f"compensation:{payment.id}", user=user, name=order.number, kind="compensation",
                     amount_fen=amount_fen, decision="awaiting_approval")
    return payment, True


def _pay(payment: CompensationPayment, order: Order, user, approver) -> None:
    whole = payment.full_refund and payment.amount_fen == order.paid_fen
    note = "补偿：全额退款" if payment.full_refund else "补偿"
    movement = record_refund(order, "refund" if whole else "partial_refund", payment.amount_fen,
                             f"compensation:{payment.id}", user, note, approver=approver)
    payment.status, payment.money_movement_id, payment.decided_at = "paid", movement.id, utcnow()
    payment.decided_by_id = approver.id if approver else None


def _awaiting(payment_id: int, supervisor) -> CompensationPayment:
    if not supervisor.can("aftersales.approve"):
        raise OperationError(_("Only a supervisor can decide on this compensation."))
    payment = session.get(CompensationPayment, payment_id, with_for_update=True)
    if payment is None:
        raise OperationError(_("No such compensation."))
    if payment.status != "awaiting_approval":
        raise OperationError(_("This compensation was already decided; nothing was changed."))
    return payment


def approve(payment_id: int, supervisor) -> CompensationPayment:
    payment = _awaiting(payment_id, supervisor)
    _pay(payment, payment.order, supervisor, approver=supervisor)
    session.flush()
    return payment


def reject(payment_id: int, supervisor) -> CompensationPayment:
    payment = _awaiting(payment_id, supervisor)
    payment.status, payment.decided_by_id, payment.decided_at = "rejected", supervisor.id, utcnow()
    audit.record("refund", f"compensation:{payment.id}", user=supervisor, name=payment.order.number,
                 kind="compensation", amount_fen=payment.amount_fen, decision="rejected")
    session.flush()
    return payment


def policy_rows() -> list[PolicyRow]:
    return [PolicyRow(r.item_kind, r.price_from_fen, r.price_below_fen, r.severity, r.amount_min_fen,
                      r.amount_max_fen, r.full_refund)
            for r in session.scalars(select(CompensationRule).order_by(CompensationRule.id))]


def compensation_offer(item_kind: str, price_fen: int, severity: str) -> Offer:
    return offer_for(policy_rows(), item_kind, price_fen, severity)

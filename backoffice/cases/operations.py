"""Missing-items, lost-parcel and courier-problem cases (SPEC §3.2, §4.4):
evidence, follow-ups, then a reship or a refund; courier claims. Only
flushes; the caller commits."""
from __future__ import annotations

import io
import uuid
from collections import Counter
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from backoffice.accounts import audit
from backoffice.cases import rules
from backoffice.cases.models import CASE_KINDS, EVIDENCE_KINDS, SYMPTOMS, AfterSalesCase, CaseEvent, CaseEvidence, CourierClaim, Reship
from backoffice.cases.payouts import order_by_number, record_refund
from backoffice.catalog.models import Sku
from backoffice.db import session
from backoffice.errors import OperationError
from backoffice.money import fen_to_yuan
from backoffice.orders.incoming import IncomingLine, IncomingOrder, IncomingReceiver
from backoffice.orders.intake import intake
from backoffice.orders.manual import codes_in, parse_lines
from backoffice.orders.models import Order, OrderEvent
from backoffice.timeutil import utcnow

MAX_EVIDENCE_BYTES = 8 * 1024 * 1024
IMAGE_TYPES = {"JPEG": ("jpg", "image/jpeg"), "PNG": ("png", "image/png"), "WEBP": ("webp", "image/webp")}
OPEN = ("collecting", "confirmed")


class OutOfStock(OperationError):
    """A reship was asked for but the warehouse cannot cover it: offer a refund."""


def evidence_root() -> Path:
    return Path(current_app.instance_path) / "case_evidence"


def _event(case: AfterSalesCase, kind: str, message: str, user) -> None:
    case.events.append(CaseEvent(kind=kind, message=message, user_id=user.id if user else None))


def get_case(case_id: int, lock: bool = False) -> AfterSalesCase:
    case = session.get(AfterSalesCase, case_id, with_for_update=lock)
    if case is None:
        raise OperationError(_("No such case."))
    return case


def open_case(order_number: str, kind: str, user, symptom: str | None = None,
              description: str | None = None) -> AfterSalesCase:
    order = order_by_number(order_number)
    if kind not in CASE_KINDS:
        raise OperationError(_("Choose the kind of case."), "kind")
    if kind == "courier_problem" and symptom not in SYMPTOMS:
        raise OperationError(_("Choose what the tracking shows."), "symptom")
    existing = session.scalar(select(AfterSalesCase.id).where(
        AfterSalesCase.order_id == order.id, AfterSalesCase.kind == kind, AfterSalesCase.status.in_(OPEN)))
    if existing is not None:
        raise OperationError(_("Order %(number)s already has an open case of this kind (No. %(id)s); nothing was "
                               "changed.", number=order.number, id=existing), "order_number")
    case = AfterSalesCase(kind=kind, order_id=order.id, symptom=symptom if kind == "courier_problem" else None,
                          description=(description or "").strip() or None, created_by_id=user.id)
    session.add(case)
    _event(case, "opened", "建立售后工单", user)
    session.add(OrderEvent(order_id=order.id, user_id=user.id, kind="aftersales", message="建立售后工单"))
    session.flush()
    return case


def add_evidence(case_id: int, kind: str, filename: str, data: bytes, user) -> CaseEvidence:
    """A buyer's photo: an image of at most 8 MB, kept in the instance folder."""
    case = get_case(case_id)
    if case.status not in OPEN:
        raise OperationError(_("The case is finished; no more evidence can be added."))
    if kind not in EVIDENCE_KINDS:
        raise OperationError(_("Choose what the photo shows."), "kind")
    if not data:
        raise OperationError(_("Choose a photo to upload."), "photo")
    if len(data) > MAX_EVIDENCE_BYTES:
        raise OperationError(_("%(name)s is larger than 8 MB.", name=filename), "photo")
    from PIL import Image, UnidentifiedImageError

    from backoffice.input_limits import image_size_refusal, image_too_large

    try:
        with Image.open(io.BytesIO(data)) as image:  # lazy: only the header is read here
            if image_too_large(*image.size):
                raise OperationError(image_size_refusal(filename, *image.size), "photo")
            image.verify()
            found = image.format
    except Image.DecompressionBombError:
        raise OperationError(image_size_refusal(filename), "photo") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        found = None
    if found not in IMAGE_TYPES:
        raise OperationError(_("%(name)s is not a JPEG, PNG or WebP photo.", name=filename), "photo")
    extension, content_type = IMAGE_TYPES[found]
    stored = f"{case.id}/{uuid.uuid4().hex}.{extension}"
    item = CaseEvidence(case=case, kind=kind, stored_name=stored, original_name=(filename or "photo")[:200],
                        content_type=content_type, size_bytes=len(data), uploaded_by_id=user.id)
    session.add(item)
    session.flush()
    path = evidence_root() / stored
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)  # after the row is accepted; a rollback leaves at most an unlisted file
    return item


def confirm(case_id: int, user) -> AfterSalesCase:
    case = get_case(case_id, lock=True)
    if case.status != "collecting":
        raise OperationError(_("Only a case still collecting evidence can be confirmed; nothing was changed."))
    if case.kind == "courier_problem":
        raise OperationError(_("A courier problem is confirmed by treating the parcel as lost."))
    missing = rules.missing_evidence(case.kind, {e.kind for e in case.evidence})
    if missing:
        from backoffice.cases.labels import label

        raise OperationError(_("Evidence still missing: %(kinds)s.",
                               kinds="、".join(label("evidence_kind", k) for k in missing)))
    case.status, case.confirmed_at = "confirmed", utcnow()
    _event(case, "confirmed", "核实无误，待补发或退款", user)
    session.flush()
    return case


def close(case_id: int, note: str, user) -> AfterSalesCase:
    case = get_case(case_id, lock=True)
    if case.status not in OPEN:
        raise OperationError(_("The case is already finished; nothing was changed."))
    if not (note or "").strip():
        raise OperationError(_("Say why the case is closed."), "note")
    case.status, case.resolved_at = "closed", utcnow()
    _event(case, "closed", f"关闭：{note.strip()}", user)
    session.flush()
    return case


FOLLOW_UP_MESSAGES = {
    rules.ASK_WAREHOUSE: "已询问库房", rules.ASK_COURIER: "已询问快递", rules.CHASE_COURIER: "已催件",
    rules.TREAT_AS_LOST: "按丢件处理：补发或退款，并向快递索赔", rules.FOUND: "包裹已找到 / 买家已收到",
}


def follow_up(case_id: int, action: str, note: str | None, user) -> AfterSalesCase:
    """Record what was done on a courier problem; 'treat as lost' turns it
    into a confirmed lost-parcel case, 'found' ends it."""
    case = get_case(case_id, lock=True)
    if case.kind != "courier_problem" or case.status != "collecting":
        raise OperationError(_("Follow-ups are recorded on open courier problems only; nothing was changed."))
    if action not in rules.SYMPTOM_ACTIONS[case.symptom].follow_ups:
        raise OperationError(_("This follow-up does not apply to this courier problem."), "action")
    message = FOLLOW_UP_MESSAGES[action] + (f"：{note.strip()}" if note and note.strip() else "")
    _event(case, action, message, user)
    if action == rules.TREAT_AS_LOST:
        case.kind, case.status, case.confirmed_at = "lost_parcel", "confirmed", utcnow()
    elif action == rules.FOUND:
        case.status, case.outcome, case.resolved_at = "resolved", "found", utcnow()
    session.flush()
    return case


def _confirmed(case_id: int) -> AfterSalesCase:
    case = get_case(case_id, lock=True)
    if case.status == "resolved":
        from backoffice.cases.labels import label

        raise OperationError(_("This case was already resolved (%(outcome)s); nothing was changed.",
                               outcome=label("case_outcome", case.outcome)))
    if case.status != "confirmed":
        raise OperationError(_("Confirm the case before reshipping or refunding."))
    return case


def default_reship_lines(case: AfterSalesCase) -> str:
    return "\n".join(f"{line.sku_code}, {line.quantity}" for line in case.order.lines)


def reship(case_id: int, lines_text: str, user) -> Reship:
    """A linked order for the goods to send again, through the order intake,
    only when the warehouse has them: the stock is reserved at once."""
    case = _confirmed(case_id)
    codes = codes_in(lines_text or "")
    prices = dict(session.execute(select(Sku.code, Sku.id).where(Sku.code.in_(codes))).all()) if codes else {}
    parsed, errors = parse_lines(lines_text or "", {code: 0 for code in prices})
    if errors:
        raise OperationError("；".join(errors), "lines")
    demand = Counter()
    for line in parsed:
        demand[prices[line.sku_code]] += line.quantity
    # A plain read: the intake takes its locks itself, in its order (counters,
    # then SKUs), and its reservation is checked below.
    available = dict(session.execute(select(Sku.id, Sku.on_hand - Sku.reserved)
                                     .where(Sku.id.in_(list(demand)))).all())
    short = [code for code, sku_id in prices.items() if available.get(sku_id, 0) < demand.get(sku_id, 0)]
    if short:
        raise OutOfStock(_("Not enough stock to reship %(codes)s: refund the buyer instead.",
                           codes="、".join(sorted(short))), "lines")
    original = case.order
    incoming = IncomingOrder(
        platform="manual", shop_id=original.shop_id, platform_order_id=f"RS{case.id}",
        receiver=IncomingReceiver(original.receiver_name, original.receiver_phone, original.address_raw),
        lines=[IncomingLine(line.sku_code, line.quantity, 0) for line in parsed],  # the buyer pays nothing again
        buyer_id=original.buyer_id, paid_fen=0, seller_memo=f"补发：原订单 {original.number}（售后工单 {case.id}）",
        extra={"reship_of": original.number, "case": case.id})
    result = intake([incoming], source="manual", user_id=user.id)
    if not result.created:
        raise OperationError(_("This case was already reshipped; nothing was changed."))
    new_order = session.get(Order, result.created[0])
    if not new_order.stock_reserved:  # taken by another order between the check and the intake
        raise OutOfStock(_("Not enough stock to reship: refund the buyer instead."), "lines")
    item = Reship(case=case, original_order_id=original.id, order_id=new_order.id, created_by_id=user.id)
    session.add(item)
    case.status, case.outcome, case.resolved_at = "resolved", "reship", utcnow()
    _event(case, "reship", f"已补发，新订单 {new_order.number}", user)
    session.add(OrderEvent(order_id=original.id, user_id=user.id, kind="aftersales",
                           message=f"补发订单 {new_order.number}"))
    audit.record("case.change", f"case:{case.id}", user=user, name=original.number, reship_order=new_order.number)
    session.flush()
    return item


def refund(case_id: int, amount_fen: int, user):
    case = _confirmed(case_id)
    movement = record_refund(case.order, "refund" if amount_fen == case.order.paid_fen else "partial_refund",
                             amount_fen, f"case:{case.id}", user,
                             "缺发少发退款" if case.kind == "missing_items" else "丢件退款")
    case.status, case.outcome, case.resolved_at = "resolved", "refund", utcnow()
    _event(case, "refund", f"已退款 {fen_to_yuan(amount_fen)} 元", user)
    session.flush()
    return movement


def file_claim(order_number: str, tracking_number: str, price_fen: int, user, case_id: int | None = None,
               note: str | None = None) -> CourierClaim:
    order = order_by_number(order_number)
    tracking = (tracking_number or order.tracking_number or "").strip().upper()
    if not tracking:
        raise OperationError(_("The tracking number is required."), "tracking_number")
    if price_fen <= 0:
        raise OperationError(_("The claimed price must be positive."), "price")
    taken = session.scalar(select(CourierClaim.id).where(CourierClaim.tracking_number == tracking))
    if taken is not None:
        raise OperationError(_("Tracking number %(number)s is already claimed (claim No. %(id)s); nothing was "
                               "changed.", number=tracking, id=taken), "tracking_number")
    claim = CourierClaim(case_id=case_id, order_id=order.id, tracking_number=tracking, price_fen=price_fen,
                         note=(note or "").strip() or None, filed_by_id=user.id)
    session.add(claim)
    session.flush()
    audit.record("case.change", f"courier_claim:{claim.id}", user=user, name=tracking, order=order.number,
                 price_fen=price_fen)
    return claim


def settle_claim(claim_id: int, status: str, outcome_fen: int | None, user) -> CourierClaim:
    claim = session.get(CourierClaim, claim_id, with_for_update=True)
    if claim is None:
        raise OperationError(_("No such claim."))
    if claim.status != "filed":
        raise OperationError(_("This claim was already settled; nothing was changed."))
    if status == "paid":
        if outcome_fen is None or outcome_fen <= 0:
            raise OperationError(_("Enter the amount the courier paid."), "outcome")
    elif status == "rejected":
        outcome_fen = 0
    else:
        raise OperationError(_("Unknown claim outcome."), "status")
    claim.status, claim.outcome_fen, claim.settled_at = status, outcome_fen, utcnow()
    audit.record("case.change", f"courier_claim:{claim.id}", user=user, name=claim.tracking_number,
                 status=status, outcome_fen=outcome_fen)
    session.flush()
    return claim

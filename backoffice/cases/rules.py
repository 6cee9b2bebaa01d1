"""Pure decisions for customer-service cases: the action SPEC §3.2 lists for
each courier symptom, the evidence a case needs before it is confirmed
(SPEC §4.4), and when a compensation needs a supervisor (SPEC §4.3)."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from backoffice.cases.compensation import Offer

# follow-ups a person records on a courier-problem case
ASK_WAREHOUSE, ASK_COURIER, CHASE_COURIER, TREAT_AS_LOST, FOUND = (
    "ask_warehouse", "ask_courier", "chase_courier", "treat_as_lost", "found")
FOLLOW_UPS = (ASK_WAREHOUSE, ASK_COURIER, CHASE_COURIER, TREAT_AS_LOST, FOUND)


@dataclass(frozen=True)
class SymptomAction:
    action: object            # the listed action, as shown to service
    follow_ups: tuple[str, ...]  # what may be recorded next, the usual one first


# SPEC §3.2, in its order
SYMPTOM_ACTIONS = {
    "pickup_only": SymptomAction(
        _l("Ask the warehouse whether the waybill was only pre-scanned; otherwise ask the courier."),
        (ASK_WAREHOUSE, ASK_COURIER, TREAT_AS_LOST, FOUND)),
    "slow": SymptomAction(_l("Chase the courier (催件)."), (CHASE_COURIER, TREAT_AS_LOST, FOUND)),
    "delivered_not_received": SymptomAction(_l("Ask the delivering courier."),
                                            (ASK_COURIER, TREAT_AS_LOST, FOUND)),
    "stalled": SymptomAction(
        _l("No movement for many days: treat as lost — reship or refund, and claim from the courier."),
        (TREAT_AS_LOST, CHASE_COURIER, FOUND)),
    "no_tracking": SymptomAction(
        _l("Ask the warehouse whether the waybill is lost; without a clear answer, treat as lost and reship."),
        (ASK_WAREHOUSE, TREAT_AS_LOST, FOUND)),
}

REQUIRED_EVIDENCE = {
    "missing_items": ("waybill", "items", "box"),  # SPEC §4.4: waybill, everything received, box number
    "lost_parcel": (),
    "courier_problem": (),
}


def missing_evidence(kind: str, uploaded: set[str]) -> list[str]:
    return [k for k in REQUIRED_EVIDENCE[kind] if k not in uploaded]


def approval_needed(offer: Offer, amount_fen: int) -> str | None:
    """Why an amount needs a supervisor: 'above' or 'below' the policy's range,
    or None when it is inside (a full refund is never a free amount)."""
    if offer.full_refund:
        return None
    if offer.max_fen is not None and amount_fen > offer.max_fen:
        return "above"
    if offer.min_fen is not None and amount_fen < offer.min_fen:
        return "below"
    return None


def refundable_fen(paid_fen: int, already_fen: int) -> int:
    """What may still go back to the buyer on an order: never more than was paid."""
    return max(0, paid_fen - already_fen)

"""Refund-only triage (SPEC §4.1), pure: what to do with a request, and why."""
from __future__ import annotations

from dataclasses import dataclass, field

# action -> the quick reply to send with it (codes of QuickReply rows), if any
APPROVE_CANCEL = "approve_cancel_shipment"
INTERCEPT = "intercept"
APPROVE_PULLED = "approve_intercepted"
REPLY_REFUSE_DELIVERY = "reply_refuse_delivery"
REPLY_ALREADY_SHIPPED = "reply_already_shipped"
WAIT_INTERCEPT = "wait_intercept"

REPLY_FOR_ACTION = {
    APPROVE_CANCEL: "refund_approved",
    APPROVE_PULLED: "refund_approved",
    REPLY_REFUSE_DELIVERY: "refuse_delivery",
    REPLY_ALREADY_SHIPPED: "already_shipped",
    INTERCEPT: None,
    WAIT_INTERCEPT: None,
}


@dataclass(frozen=True)
class RefundCase:
    """What triage looks at. `tracking_moving`: the courier has scanned the
    parcel onwards (until tracking sync exists: the order is marked shipped)."""

    seller_memo: str | None
    waybill_printed: bool
    tracking_moving: bool
    intercept_status: str | None = None  # None (no task), "open", "pulled", "left"


@dataclass(frozen=True)
class Triage:
    action: str
    reply: str | None
    reasons: list[str] = field(default_factory=list)


def triage_refund_only(case: RefundCase) -> Triage:
    reasons = [f"卖家备注：{case.seller_memo}" if case.seller_memo else "卖家备注：无"]
    if case.tracking_moving:
        reasons.append("物流已有揽收后的流转记录：已发货，不能仅退款，请买家收货后退货（运费险可报销）")
        return _triage(REPLY_ALREADY_SHIPPED, reasons)
    if not case.waybill_printed:
        reasons.append("未打印面单、未发货：同意退款并取消发货")
        return _triage(APPROVE_CANCEL, reasons)
    if case.intercept_status == "pulled":
        reasons.append("库房已拦截成功：立即退款")
        return _triage(APPROVE_PULLED, reasons)
    if case.intercept_status == "left":
        reasons.append("包裹已发出，拦截不成：请买家拒收，退回后立即退款，并请买家撤销退款申请")
        return _triage(REPLY_REFUSE_DELIVERY, reasons)
    if case.intercept_status == "open":
        reasons.append("已通知库房拦截，等待库房回复")
        return _triage(WAIT_INTERCEPT, reasons)
    reasons.append("面单已打印但物流没有流转：请库房找到并拦截包裹")
    return _triage(INTERCEPT, reasons)


def _triage(action: str, reasons: list[str]) -> Triage:
    return Triage(action=action, reply=REPLY_FOR_ACTION[action], reasons=reasons)

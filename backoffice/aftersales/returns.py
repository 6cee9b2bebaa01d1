"""Returns decisions (SPEC §4.2), pure."""
from __future__ import annotations

from dataclasses import dataclass


def reason_counts_against_shop(reason: str | None, reasons: dict[str, bool]) -> bool:
    """Unknown reasons count against the shop: better to ask than to be rated down."""
    if not reason:
        return False
    return reasons.get(reason.strip(), True)


@dataclass(frozen=True)
class TrackingDecision:
    action: str          # "refund", "ask_fill_tracking", "ask_correct_tracking"
    reply: str | None    # quick reply code
    reason: str


def missing_tracking(tracking_given: bool, shop_at_fault: bool, freight_insurance: bool) -> TrackingDecision:
    """The return's tracking number matches no parcel (step 5).

    Left empty: when the shop was at fault (quality, wrong item) or freight
    insurance is involved, the buyer must fill it in or the insurance does not
    pay; otherwise refund. A wrong number: ask the buyer to correct it, then refund.
    """
    if tracking_given:
        return TrackingDecision("ask_correct_tracking", "correct_tracking",
                                "买家填写的退货单号查不到：请买家更正单号，更正后退款")
    if shop_at_fault or freight_insurance:
        why = "运费险" if freight_insurance else "商家责任（质量问题/发错货）"
        return TrackingDecision("ask_fill_tracking", "fill_tracking",
                                f"买家未填退货单号，且涉及{why}：请买家补填单号（运费险只在填写后赔付）")
    return TrackingDecision("refund", None, "买家未填退货单号，非商家责任：直接退款")


def restock_mark(product_kind: str, supplier_name: str, model: str) -> str | None:
    """The mark written on a returned bag for restocking: supplier + code for a
    normal item (包之恋955), the flash-sale code alone (RST182), none for a unique item."""
    if product_kind == "unique":
        return None
    if product_kind == "flash":
        return model
    return f"{supplier_name}{model}"

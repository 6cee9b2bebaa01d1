"""SPEC §4.1–§4.3 decisions, case by case."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backoffice.aftersales import triage as t
from backoffice.aftersales.returns import missing_tracking, reason_counts_against_shop, restock_mark
from backoffice.cases.compensation import PolicyRow, offer_for
from backoffice.cases.rules import approval_needed


@pytest.mark.parametrize("printed, moving, intercept, action, reply", [
    (False, False, None, t.APPROVE_CANCEL, "refund_approved"),       # not shipped, no waybill: refund at once
    (True, False, None, t.INTERCEPT, None),                          # printed, no movement: warehouse pulls it
    (True, False, "open", t.WAIT_INTERCEPT, None),
    (True, False, "pulled", t.APPROVE_PULLED, "refund_approved"),    # pulled: refund at once
    (True, False, "left", t.REPLY_REFUSE_DELIVERY, "refuse_delivery"),  # already left: ask to refuse delivery
    (True, True, None, t.REPLY_ALREADY_SHIPPED, "already_shipped"),  # moving: return after receipt
    (True, True, "left", t.REPLY_ALREADY_SHIPPED, "already_shipped"),
])
def test_refund_only_triage(printed, moving, intercept, action, reply):
    decision = t.triage_refund_only(t.RefundCase("不合并", printed, moving, intercept))
    assert (decision.action, decision.reply) == (action, reply)
    assert decision.reasons[0] == "卖家备注：不合并"  # the memo is always read first


def test_triage_says_there_is_no_memo():
    assert t.triage_refund_only(t.RefundCase(None, False, False)).reasons[0] == "卖家备注：无"


@given(st.booleans(), st.booleans(), st.sampled_from([None, "open", "pulled", "left"]))
def test_a_moving_parcel_is_never_refunded_without_return(printed, moving, intercept):
    decision = t.triage_refund_only(t.RefundCase(None, printed, moving, intercept))
    if moving:
        assert decision.action == t.REPLY_ALREADY_SHIPPED
    if decision.action in (t.APPROVE_CANCEL, t.APPROVE_PULLED):
        assert not moving and (not printed or intercept == "pulled")


POLICY = [
    PolicyRow("normal", 0, None, s, 500, 1000, False) for s in ("minor", "major", "unusable")
] + [
    PolicyRow("flash", 0, 1890, s, 200, 500, False) for s in ("minor", "major")
] + [PolicyRow("flash", 0, 1890, "unusable", None, None, True)] + [
    PolicyRow("flash", 1890, None, s, 500, 1000, False) for s in ("minor", "major", "unusable")
]


@pytest.mark.parametrize("kind, price_fen, severity, expected", [
    ("normal", 5300, "minor", (500, 1000, False)),
    ("normal", 990, "major", (500, 1000, False)),
    ("flash", 990, "minor", (200, 500, False)),
    ("flash", 1889, "major", (200, 500, False)),
    ("flash", 1889, "unusable", (None, None, True)),
    ("flash", 1890, "minor", (500, 1000, False)),    # 18.9 or more: like a normal item
    ("flash", 2590, "unusable", (500, 1000, False)),
])
def test_compensation_policy(kind, price_fen, severity, expected):
    offer = offer_for(POLICY, kind, price_fen, severity)
    assert (offer.min_fen, offer.max_fen, offer.full_refund) == expected


def test_more_than_the_range_needs_a_supervisor():
    offer = offer_for(POLICY, "flash", 990, "minor")
    assert approval_needed(offer, 500) is None and approval_needed(offer, 501) == "above"


REASONS = {"不喜欢": False, "七天无理由": False, "质量问题": True, "发错货": True}


@pytest.mark.parametrize("reason, against", [
    ("不喜欢", False), ("七天无理由", False), ("质量问题", True), ("发错货", True), ("包装破了", True), (None, False),
])
def test_return_reasons_counting_against_the_shop(reason, against):
    assert reason_counts_against_shop(reason, REASONS) is against


@pytest.mark.parametrize("given_, at_fault, insurance, action", [
    (False, True, False, "ask_fill_tracking"),   # quality / wrong item: buyer must fill it for the insurance
    (False, False, True, "ask_fill_tracking"),   # freight insurance mentioned
    (False, False, False, "refund"),             # otherwise refund
    (True, False, False, "ask_correct_tracking"),
    (True, True, True, "ask_correct_tracking"),
])
def test_missing_or_wrong_return_tracking(given_, at_fault, insurance, action):
    assert missing_tracking(given_, at_fault, insurance).action == action


@pytest.mark.parametrize("kind, supplier, model, mark", [
    ("normal", "包之恋", "955", "包之恋955"),
    ("streamer", "大明", "D-998-20", "大明D-998-20"),
    ("flash", "睿思特", "RST182", "RST182"),
    ("unique", "大明", "D-GP-01", None),
])
def test_restock_marks(kind, supplier, model, mark):
    assert restock_mark(kind, supplier, model) == mark

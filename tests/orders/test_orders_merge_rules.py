"""The merge decision (合单), rule by rule, and its invariants."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backoffice.orders.merge import MergeCandidate, MergeRules, decide

BASE = MergeCandidate(order_id=1, shop_id=1, buyer_id="zhangli88", receiver_name="张丽", receiver_phone="13812345678",
                      region_code="130602", address_detail="朝阳北大街1688号3单元502", status="paid")
def replace(candidate, **changes):
    return candidate._replace(**changes)


NORMAL, STRICT, LOOSE = MergeRules("normal"), MergeRules("strict"), MergeRules("loose")


def pair(rules=NORMAL, **changes):
    """BASE and a second order with the changes: merged, or the second's reasons."""
    decision = decide([BASE, replace(BASE, order_id=2, **changes)], rules)
    if decision.groups:
        assert decision.groups[0].order_ids == (1, 2)
        return "merge"
    return decision.blocked[2]


@pytest.mark.parametrize("changes, expected", [
    ({}, "merge"),
    ({"address_detail": "朝阳北大街 1688 号 3 单元 502"}, "merge"),  # spaces do not matter
    ({"address_detail": "朝阳北大街１６８８号3单元502"}, "merge"),  # full-width digits do not matter
    ({"receiver_phone": "+86 138-1234-5678"}, "merge"),
    ({"buyer_id": None}, "merge"),  # a manual order of the same receiver joins the buyer
    ({"shop_id": 2}, ("different_shop",)),
    ({"buyer_id": "lili_2024"}, ("different_buyer",)),
    ({"receiver_name": "张莉"}, ("no_partner",)),
    ({"receiver_phone": "13912345678"}, ("no_partner",)),
    ({"address_detail": "朝阳北大街1688号3单元503"}, ("no_partner",)),
    ({"region_code": "130604"}, ("no_partner",)),
    ({"region_code": None}, ("address_unresolved",)),
    ({"status": "pending"}, ("not_paid",)),
    ({"shipped": True}, ("shipped",)),
    ({"status": "shipped"}, ("not_paid", "shipped")),
    ({"waybill_printed": True}, ("waybill_printed",)),
    ({"open_refund": True}, ("open_refund",)),
    ({"on_hold": True}, ("on_hold",)),
    ({"cash_on_delivery": True}, ("cash_on_delivery",)),
    ({"seller_memo": "老客户，不合并，分开发"}, ("no_merge_memo",)),
    ({"seller_memo": "直播间改价"}, "merge"),
    ({"excluded": True}, ("excluded",)),
    ({"merged": True}, ("already_merged",)),
])
def test_normal_mode_rule_by_rule(changes, expected):
    assert pair(**changes) == expected


@pytest.mark.parametrize("rules, changes, expected", [
    (STRICT, {}, "merge"),
    (STRICT, {"buyer_id": None}, ("no_buyer_account",)),
    (STRICT, {"buyer_id": "lili_2024"}, ("different_buyer",)),
    (LOOSE, {"buyer_id": "lili_2024"}, "merge"),
    (LOOSE, {"shop_id": 2}, "merge"),
    (LOOSE, {"receiver_name": "张莉"}, ("no_partner",)),
    (LOOSE, {"open_refund": True}, ("open_refund",)),
    (MergeRules("normal", frozenset({"paid", "same_shop", "same_buyer", "same_receiver"})), {"on_hold": True},
     "merge"),  # the on-hold rule switched off
    (MergeRules("normal", frozenset({"paid", "same_buyer", "same_receiver"})), {"shop_id": 2}, "merge"),
    (MergeRules("normal", no_merge_words=("分开发",)), {"seller_memo": "请分开发"}, ("no_merge_memo",)),
])
def test_modes_and_editable_rules(rules, changes, expected):
    assert pair(rules, **changes) == expected


def test_three_orders_of_one_buyer_and_a_stranger():
    orders = [BASE, replace(BASE, order_id=5), replace(BASE, order_id=3, buyer_id=None),
              replace(BASE, order_id=4, receiver_name="王芳", receiver_phone="13698765432")]
    decision = decide(orders, NORMAL)
    assert [g.order_ids for g in decision.groups] == [(1, 3, 5)]
    assert decision.groups[0].reasons == ("same_shop", "same_buyer", "same_receiver")
    assert decision.blocked == {4: ("no_partner",)}


candidates = st.builds(
    MergeCandidate, order_id=st.integers(), shop_id=st.integers(1, 2), buyer_id=st.sampled_from([None, "a", "b"]),
    receiver_name=st.sampled_from(["张丽", "王芳"]), receiver_phone=st.sampled_from(["13812345678", "13698765432"]),
    region_code=st.sampled_from([None, "130602", "110105"]), address_detail=st.sampled_from(["1号", "2 号"]),
    status=st.sampled_from(["paid", "paid", "pending"]), shipped=st.booleans(), open_refund=st.booleans(),
    seller_memo=st.sampled_from([None, "不合并"]), merged=st.booleans())


@settings(max_examples=300)
@given(st.lists(candidates, max_size=25, unique_by=lambda c: c.order_id), st.sampled_from([NORMAL, STRICT, LOOSE]))
def test_every_order_is_grouped_once_or_told_why_not(orders, rules):
    decision = decide(orders, rules)
    grouped = [i for g in decision.groups for i in g.order_ids]
    assert len(grouped) == len(set(grouped))
    assert set(grouped).isdisjoint(decision.blocked)
    assert set(grouped) | set(decision.blocked) == {c.order_id for c in orders}
    assert all(decision.blocked.values())
    by_id = {c.order_id: c for c in orders}
    for g in decision.groups:
        members = [by_id[i] for i in g.order_ids]
        assert len(members) >= 2
        assert len({(m.receiver_name, m.receiver_phone, m.region_code) for m in members}) == 1
        assert all(m.status == "paid" and not m.shipped and not m.open_refund and not m.merged for m in members)
        if rules.mode != "loose":
            assert len({m.shop_id for m in members}) == 1
            assert len({m.buyer_id for m in members} - {None}) <= 1
    # the input order does not change the decision
    assert decide(list(reversed(orders)), rules).groups == decision.groups

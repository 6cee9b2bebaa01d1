"""Which open orders may be shipped together (合单), and why not.

Pure: plain data in, the decision and its reasons out. The rules are data
(``order_settings``: merge_mode, merge_rules, merge_no_merge_words):

- normal: same shop, same buyer (orders without a buyer id join the one buyer
  of that receiver), same receiver name, phone and normalised address;
- strict: as normal, and every order must carry the same buyer account;
- loose: only receiver name + phone + address (across shops and buyers);

and in every mode each order must be paid, not shipped, waybill not printed,
no open refund, not on hold, not cash on delivery, not marked 不合并 in the
memo, not excluded by a person and not already merged.
"""
from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

MODES = ("normal", "strict", "loose")
# order-level rules: code -> (candidate attribute that breaks it, reason code)
ORDER_RULES = {
    "paid": "not_paid",
    "not_shipped": "shipped",
    "not_printed": "waybill_printed",
    "no_open_refund": "open_refund",
    "not_on_hold": "on_hold",
    "not_cod": "cash_on_delivery",
    "no_merge_memo": "no_merge_memo",
}
GROUP_RULES = ("same_shop", "same_buyer", "same_receiver")
# Reasons an order stays on its own, beyond the order-level ones above.
OTHER_REASONS = ("excluded", "already_merged", "address_unresolved", "no_buyer_account", "different_shop",
                 "different_buyer", "no_partner")


class MergeCandidate(NamedTuple):
    """One open order as the decision sees it (a tuple: cheap for 100,000 of them)."""

    order_id: int
    shop_id: int
    buyer_id: str | None
    receiver_name: str
    receiver_phone: str
    region_code: str | None  # official district code; None when the address was not resolved
    address_detail: str | None
    status: str
    shipped: bool = False
    waybill_printed: bool = False
    open_refund: bool = False
    on_hold: bool = False
    cash_on_delivery: bool = False
    seller_memo: str | None = None
    excluded: bool = False  # a person said 不合并 for this order
    merged: bool = False  # already in a merged group
    receiver_key: str | None = None  # receiver_key() of the four receiver fields, stored at intake


@dataclass(frozen=True)
class MergeRules:
    mode: str = "normal"
    enabled: frozenset[str] = frozenset(ORDER_RULES) | frozenset(GROUP_RULES)
    no_merge_words: tuple[str, ...] = ("不合并",)

    @property
    def by_receiver(self) -> bool:
        """Whether every group shares one receiver (name, phone, address)."""
        return self.mode == "loose" or "same_receiver" in self.enabled

    @classmethod
    def from_settings(cls, mode: str, rules: dict[str, bool], words: list[str]) -> "MergeRules":
        if mode not in MODES:
            raise ValueError(f"unknown merge mode {mode!r}")
        return cls(mode, frozenset(code for code, on in rules.items() if on), tuple(w for w in words if w))


@dataclass(frozen=True)
class Proposal:
    order_ids: tuple[int, ...]
    reasons: tuple[str, ...]  # the group rules they share


@dataclass
class MergeDecision:
    groups: list[Proposal] = field(default_factory=list)
    blocked: dict[int, tuple[str, ...]] = field(default_factory=dict)  # order id -> why it stays alone


_NOISE = re.compile(r"[\s\-_,，。.、#()（）]+")


def normalise(text: str | None) -> str:
    return _NOISE.sub("", unicodedata.normalize("NFKC", text or "")).lower()


def normalise_phone(phone: str) -> str:
    digits = re.sub(r"\D", "", phone)
    return digits[2:] if digits.startswith("86") and len(digits) == 13 else digits


@functools.lru_cache(maxsize=200_000)
def _detail_key(detail: str | None) -> str:
    return normalise(detail)


def _phone_key(phone: str) -> str:
    return phone if len(phone) == 11 and phone.isdigit() else normalise_phone(phone)


@functools.lru_cache(maxsize=200_000)
def receiver_key(name: str, phone: str, region_code: str | None, detail: str | None) -> str | None:
    """Same receiver name, phone and normalised address <=> same key (None for
    an unresolved address). Stored on each order (``orders.merge_key``), so the
    database finds the orders that share a receiver without the whole table."""
    if region_code is None:
        return None
    text = "\x1f".join((name.strip(), _phone_key(phone), region_code, _detail_key(detail)))
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


def order_reasons(c: MergeCandidate, rules: MergeRules) -> list[str]:
    """Why this order may not merge with anything (empty: it may)."""
    on = rules.enabled
    reasons = []
    if c.status != "paid" and "paid" in on:
        reasons.append("not_paid")
    if (c.shipped or c.status in ("shipped", "completed")) and "not_shipped" in on:
        reasons.append("shipped")
    if c.waybill_printed and "not_printed" in on:
        reasons.append("waybill_printed")
    if c.open_refund and "no_open_refund" in on:
        reasons.append("open_refund")
    if c.on_hold and "not_on_hold" in on:
        reasons.append("on_hold")
    if c.cash_on_delivery and "not_cod" in on:
        reasons.append("cash_on_delivery")
    if c.seller_memo and "no_merge_memo" in on and any(w in c.seller_memo for w in rules.no_merge_words):
        reasons.append("no_merge_memo")
    if c.excluded:
        reasons.append("excluded")
    if c.merged:
        reasons.append("already_merged")
    if c.region_code is None and (rules.mode == "loose" or "same_receiver" in on):
        reasons.append("address_unresolved")
    if rules.mode == "strict" and not c.buyer_id:
        reasons.append("no_buyer_account")
    return reasons


def decide(candidates: list[MergeCandidate], rules: MergeRules) -> MergeDecision:
    decision = MergeDecision()
    loose = rules.mode == "loose"
    same_receiver = loose or "same_receiver" in rules.enabled
    same_shop = not loose and "same_shop" in rules.enabled
    same_buyer = not loose and "same_buyer" in rules.enabled
    strict = rules.mode == "strict"
    words = rules.no_merge_words
    by_receiver: dict[tuple, list[MergeCandidate]] = defaultdict(list)
    for c in candidates:
        clean = (c.status == "paid" and not (c.shipped or c.waybill_printed or c.open_refund or c.on_hold
                                             or c.cash_on_delivery or c.excluded or c.merged)
                 and c.region_code is not None and (c.buyer_id or not strict)
                 and not (c.seller_memo and any(w in c.seller_memo for w in words)))
        if not clean:  # the common case skips the rule-by-rule look
            reasons = order_reasons(c, rules)
            if reasons:
                decision.blocked[c.order_id] = tuple(reasons)
                continue
        receiver = (c.receiver_key or receiver_key(c.receiver_name, c.receiver_phone, c.region_code,
                                                   c.address_detail)) if same_receiver else ()
        by_receiver[receiver].append(c)

    matched = tuple(r for r, on in (("same_shop", same_shop), ("same_buyer", same_buyer),
                                    ("same_receiver", same_receiver)) if on)
    for peers in by_receiver.values():
        if len(peers) == 1:
            decision.blocked[peers[0].order_id] = ("no_partner",)
            continue
        by_shop: dict[int | None, list[MergeCandidate]] = defaultdict(list)
        for c in peers:
            by_shop[c.shop_id if same_shop else None].append(c)
        for members in by_shop.values():
            for group in _by_buyer(members) if same_buyer else [members]:
                if len(group) > 1:
                    decision.groups.append(Proposal(tuple(sorted(c.order_id for c in group)), matched))
                else:
                    alone = group[0]
                    decision.blocked[alone.order_id] = (_why_alone(alone, peers, same_shop),)
    decision.groups.sort(key=lambda p: p.order_ids)
    return decision


def _by_buyer(members: list[MergeCandidate]) -> list[list[MergeCandidate]]:
    buyers: dict[str, list[MergeCandidate]] = defaultdict(list)
    unknown = []
    for c in members:
        (buyers[c.buyer_id] if c.buyer_id else unknown).append(c)
    if len(buyers) == 1:  # orders without a buyer id go with the one buyer of this receiver
        only = next(iter(buyers.values()))
        return [only + unknown]
    return list(buyers.values()) + ([unknown] if unknown else [])


def _why_alone(c: MergeCandidate, peers: list[MergeCandidate], same_shop: bool) -> str:
    others = [p for p in peers if p.order_id != c.order_id]
    if not others:
        return "no_partner"
    if same_shop and all(p.shop_id != c.shop_id for p in others):
        return "different_shop"
    return "different_buyer"

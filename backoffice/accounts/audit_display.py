"""How audit entries read on the audit page: targets and details in the words
staff use (order numbers, usernames, shop names, rule set versions), never
internal ids or keys."""
from __future__ import annotations

from typing import Callable

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from backoffice.accounts.labels import label
from backoffice.money import fen_to_yuan

# The kind of thing an entry's target ("kind:id") is, as its label.
TARGET_KINDS = {
    "order": _l("Order"), "user": _l("User"), "shop": _l("Shop"), "wave": _l("Wave"),
    "rule_set": _l("Courier rules"), "refund": _l("Refund"), "case": _l("After-sales case"),
    "courier_claim": _l("Courier claim"), "listing": _l("Listing code"), "supplier": _l("Supplier"),
    "store_formula": _l("Store price formula"), "platform_rule": _l("Listing rule"),
    "template": _l("Listing template"), "word_list": _l("Word list"), "pinyin": _l("Pinyin"),
    "size_classes": _l("Size classes"), "quick_reply": _l("Quick reply"), "return_reason": _l("Return reason"),
    "refusal_reason": _l("Refusal reason"), "compensation_rule": _l("Compensation policy"),
    "service_settings": _l("Service settings"), "order_settings": _l("Order rules"),
    "compensation": _l("Compensation"), "returns_register": _l("Returns register"), "complaints": _l("Complaints"),
}
LINKS = {"order": ("orders.detail", "order_id"), "user": ("accounts.user_edit", "user_id")}

DETAIL_LABELS = {
    "role": _l("Role"), "old": _l("Before"), "new": _l("After"), "username_created": _l("Username"),
    "reason": _l("Reason"), "failures": _l("Failed attempts"), "order_number": _l("Order number"),
    "order": _l("Order number"), "rows": _l("Rows"), "kind": _l("Kind"), "amount_fen": _l("Amount"),
    "code": _l("Code"), "counts_against_shop": _l("Counts against the shop"), "shop": _l("Shop"),
    "what": _l("Content"), "refused": _l("Refused"), "reship_order": _l("Reship order"),
    "tracking_number": _l("Tracking number"), "price_fen": _l("Amount"), "status": _l("Status"),
    "outcome_fen": _l("Paid by the courier"), "fields": _l("Fields changed"), "parcels": _l("Parcels"),
    "document": _l("Document"), "version": _l("Version"), "rule": _l("Rule"), "courier": _l("Courier"),
    "region": _l("Region"), "platform": _l("Platform"), "decision": _l("Decision"), "note": _l("Note"),
    "words": _l("Words"), "change": _l("Change"), "sku": _l("SKU"), "old_fen": _l("Before"),
    "new_fen": _l("After"),
}
# Bookkeeping kept with an entry for developers, not shown: idempotency keys,
# table names (the target says what it is), database ids.
HIDDEN = {"key", "table", "product_id", "listing_id"}
VALUE_LABELS = {
    "kind": "money_kind", "status": "claim_status", "platform": "platform", "decision": "payment_status",
}
WHAT = {"mogujie_shipping_sheet": _l("Mogujie batch-shipping sheet")}
DOCUMENTS = {"labels": _l("Waybill labels"), "labels.pdf": _l("Waybill labels (PDF)")}
FIELDS = {
    "app_key": _l("App key"), "app_secret": _l("App secret"), "access_token": _l("Access token"),
    "token_expires_at": _l("Token expiry"), "endpoint": _l("API address"),
}
REASONS = {"inactive": _l("account disabled"), "locked": _l("account locked")}
ROLE_KEYS = {"role", "old", "new"}


def who(entry) -> str:
    return _("System") if entry.username == "system" else entry.username


# How an entry written before names were kept finds its target's name now, per
# kind of target: users here, orders registered by backoffice.orders.models (so
# accounts never imports a domain).
NAME_LOOKUPS: dict[str, Callable[[int], str | None]] = {}


def _user_name(ident: int) -> str | None:
    from backoffice.accounts.models import User
    from backoffice.db import session

    user = session.get(User, ident)
    return user.username if user else None


NAME_LOOKUPS["user"] = _user_name


def _legacy_name(kind: str, ident: int) -> str:
    """Entries written before names were kept: look the name up now."""
    lookup = NAME_LOOKUPS.get(kind)
    return (lookup(ident) if lookup else None) or ""


def target(entry) -> tuple[str, str | None]:
    """(text, link) for the entry's target, e.g. ("订单 202612-000194", "/orders/320")."""
    kind, sep, ident = (entry.target or "").partition(":")
    if kind not in TARGET_KINDS:
        return entry.summary or entry.target or "", None  # e.g. a backup's file name
    name = entry.summary or (_legacy_name(kind, int(ident)) if ident.isdigit() else ident)
    link = None
    if kind in LINKS and ident.isdigit():
        endpoint, arg = LINKS[kind]
        link = url_for(endpoint, **{arg: int(ident)})
    return f"{TARGET_KINDS[kind]} {name}".strip(), link


def _value(key: str, value, action: str) -> str:
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if value is None or value == "":
        return "—"
    if key.endswith("_fen") and isinstance(value, int):
        return "¥" + fen_to_yuan(value)
    if key in ROLE_KEYS and action.startswith("user."):
        return label("role", value)
    if key == "reason":
        return str(REASONS.get(value, value))
    if key == "what":
        return str(WHAT.get(value, value))
    if key == "document":
        return str(DOCUMENTS.get(value, value))
    if key == "fields" and isinstance(value, list):
        return "、".join(str(FIELDS.get(v, v)) for v in value)
    if key in VALUE_LABELS and isinstance(value, str):
        return label(VALUE_LABELS[key], value)
    if isinstance(value, dict):
        return "；".join(f"{FIELDS.get(k, k)}：{_value(k, v, action)}" for k, v in value.items())
    if isinstance(value, list):
        return "、".join(_value(key, v, action) for v in value)
    return str(value)


ORDER = {key: n for n, key in enumerate(DETAIL_LABELS)}


def details(entry) -> list[tuple[str, str]]:
    # In the labels' order: PostgreSQL's JSONB does not keep the order the keys were written in.
    keys = sorted((k for k in (entry.detail or {}) if k not in HIDDEN), key=lambda k: (ORDER.get(k, len(ORDER)), k))
    return [(str(DETAIL_LABELS.get(key, key)), _value(key, entry.detail[key], entry.action)) for key in keys]

"""How audit entries read on the audit page: targets and details in words."""
from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from backoffice.money import fen_to_yuan
from backoffice.accounts.labels import label

DETAIL_LABELS = {
    "role": _l("Role"), "old": _l("Before"), "new": _l("After"), "username_created": _l("Username"),
    "reason": _l("Reason"), "failures": _l("Failed attempts"), "order_number": _l("Order number"),
    "order": _l("Order number"), "rows": _l("Rows"), "kind": _l("Kind"), "amount_fen": _l("Amount"),
    "table": _l("Table"), "code": _l("Code"), "counts_against_shop": _l("Counts against the shop"),
}
REASONS = {"inactive": _l("account disabled"), "locked": _l("account locked")}
ROLE_KEYS = {"role", "old", "new"}


def who(entry) -> str:
    return _("System") if entry.username == "system" else entry.username


def target(entry) -> tuple[str, str | None]:
    """(text, link) for the entry's target, e.g. ("订单 #320", "/orders/320")."""
    kind, _sep, ident = (entry.target or "").partition(":")
    if not ident.isdigit():
        return entry.target or "", None
    if kind == "order":
        return _("Order #%(id)s", id=ident), url_for("orders.detail", order_id=int(ident))
    if kind == "user":
        return _("User #%(id)s", id=ident), url_for("accounts.user_edit", user_id=int(ident))
    return entry.target, None


def details(entry) -> list[tuple[str, str]]:
    result = []
    for key, value in (entry.detail or {}).items():
        if key in ROLE_KEYS and entry.action.startswith("user."):
            value = label("role", value)
        elif key == "reason":
            value = str(REASONS.get(value, value))
        elif key == "amount_fen":
            value = "¥" + fen_to_yuan(int(value))
        result.append((str(DETAIL_LABELS.get(key, key)), str(value)))
    return result

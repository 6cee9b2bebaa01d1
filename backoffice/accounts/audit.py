"""The audit log: who did what, when, from where."""
from __future__ import annotations

from typing import Any

from flask import has_request_context, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from backoffice.accounts.models import AuditEntry, User
from backoffice.db import session

# Every action the app records, with the label the audit page shows.
ACTIONS = {
    "login": _l("Logged in"),
    "login.failed": _l("Failed login"),
    "login.locked": _l("Account locked after failed logins"),
    "logout": _l("Logged out"),
    "password.change": _l("Changed own password"),
    "password.change_failed": _l("Wrong current password when changing it"),
    "user.create": _l("Created user"),
    "user.role_change": _l("Changed role"),
    "user.activate": _l("Activated user"),
    "user.deactivate": _l("Deactivated user"),
    "user.password_reset": _l("Reset password"),
    "user.unlock": _l("Unlocked account"),
    "user.sessions_end": _l("Ended all sessions of a user"),
    "pii.view": _l("Viewed personal data"),
    "export": _l("Exported data"),
    "refund": _l("Refund or compensation"),
    "rule.change": _l("Changed a rule"),
    "backup": _l("Backup"),
    "restore": _l("Restore"),
    "case.change": _l("After-sales case, reship or courier claim"),
    "listing.publish": _l("Published a listing"),
    "rule.publish": _l("Published a courier rule set"),
    "credentials.change": _l("Changed shop credentials"),
    "price.change": _l("Changed a price"),
    "labels.print": _l("Printed labels with full receiver data"),
}


def client_ip() -> str | None:
    return request.remote_addr if has_request_context() else None


def record(action: str, target: str | None = None, *, user: User | None = None,
           username: str | None = None, name: str | None = None, **detail: Any) -> AuditEntry:
    """``target`` is "kind:id" for links and filters; ``name`` is the target as
    staff know it (order number, SKU code, shop name, wave number, rule set
    version), kept with the entry so it reads the same after a rename."""
    if action not in ACTIONS:
        raise KeyError(f"unknown audit action {action!r}")
    if user is None and has_request_context() and current_user.is_authenticated:
        user = current_user._get_current_object()
    entry = AuditEntry(
        user_id=user.id if user else None,
        username=user.username if user else (username or "system"),
        action=action,
        target=target,
        ip=client_ip(),
        detail=detail,
        summary=name,
    )
    session.add(entry)
    return entry


def changed(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """The fields whose value differs, in ``after``'s order (for entries that
    name what changed without repeating values, e.g. secrets)."""
    def same(value):  # a blank form field is the stored None; surrounding spaces are not kept
        value = value.strip() if isinstance(value, str) else value
        return None if value == "" else value

    return [key for key, value in after.items() if same(before.get(key)) != same(value)]

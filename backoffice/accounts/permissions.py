"""Roles and what each may do. Every view names one permission; a view that
names none is refused (deny by default, see ``accounts.security``)."""
from __future__ import annotations

ROLES = ("admin", "supervisor", "listing", "service", "warehouse")

# permission -> roles holding it
PERMISSIONS: dict[str, frozenset[str]] = {
    "dashboard.view": frozenset(ROLES),
    "profile.edit": frozenset(ROLES),
    "orders.view": frozenset({"admin", "supervisor", "service", "warehouse"}),
    "orders.edit": frozenset({"admin", "supervisor", "service"}),  # manual orders, imports, merges, cancelling
    "orders.price_change": frozenset({"admin", "supervisor"}),  # approving livestream price changes (改价)
    "orders.settings": frozenset({"admin", "supervisor"}),
    # finding orders by the receiver's phone number: a lookup of personal data, not a warehouse task
    "orders.search_phone": frozenset({"admin", "supervisor", "service"}),
    "pii.reveal": frozenset({"admin", "supervisor", "service"}),
    "catalog.view": frozenset({"admin", "supervisor", "listing"}),
    # import folders, edit products and drafts, word lists, pinyin overrides, listing templates
    "catalog.edit": frozenset({"admin", "supervisor", "listing"}),
    # supplier price formulas, size classes, platform listing rules
    "catalog.rules": frozenset({"admin", "supervisor"}),
    "aftersales.view": frozenset({"admin", "supervisor", "service", "warehouse"}),
    "aftersales.handle": frozenset({"admin", "supervisor", "service"}),
    "aftersales.approve": frozenset({"admin", "supervisor"}),
    "aftersales.intercepts": frozenset({"admin", "supervisor", "warehouse"}),
    "aftersales.returns": frozenset({"admin", "supervisor", "service", "warehouse"}),
    "aftersales.export": frozenset({"admin", "supervisor", "service"}),
    "aftersales.rules": frozenset({"admin", "supervisor"}),
    "shipping.view": frozenset({"admin", "supervisor", "service", "warehouse"}),
    "shipping.warehouse": frozenset({"admin", "supervisor", "warehouse"}),  # waves, printing, packing, shipping
    "shipping.rules": frozenset({"admin", "supervisor"}),  # edit, preview and publish courier rules
    "sync.view": frozenset({"admin", "supervisor"}),
    "sync.run": frozenset({"admin", "supervisor"}),
    "sync.connect": frozenset({"admin"}),
    "audit.view": frozenset({"admin", "supervisor"}),
    "users.manage": frozenset({"admin"}),
}
PERMISSIONS.update({
    # customer service (SPEC §5): issue register, handover, reviews, complaints, follow-ups, reports
    "service.work": frozenset({"admin", "supervisor", "service"}),
    "service.supervise": frozenset({"admin", "supervisor"}),  # bad-review tasks, service rules
})


def role_can(role: str | None, permission: str) -> bool:
    if permission not in PERMISSIONS:
        raise KeyError(f"unknown permission {permission!r}")
    return role in PERMISSIONS[permission]

"""Roles and what each may do. Every view names one permission; a view that
names none is refused (deny by default, see ``web.security``)."""
from __future__ import annotations

ROLES = ("admin", "supervisor", "listing", "service", "warehouse")

# permission -> roles holding it
PERMISSIONS: dict[str, frozenset[str]] = {
    "dashboard.view": frozenset(ROLES),
    "profile.edit": frozenset(ROLES),
    "orders.view": frozenset({"admin", "supervisor", "service", "warehouse"}),
    "pii.reveal": frozenset({"admin", "supervisor", "service"}),
    "catalog.view": frozenset({"admin", "supervisor", "listing"}),
    "aftersales.view": frozenset({"admin", "supervisor", "service", "warehouse"}),
    "sync.view": frozenset({"admin", "supervisor"}),
    "sync.run": frozenset({"admin", "supervisor"}),
    "sync.connect": frozenset({"admin"}),
    "audit.view": frozenset({"admin", "supervisor"}),
    "users.manage": frozenset({"admin"}),
}


def role_can(role: str | None, permission: str) -> bool:
    if permission not in PERMISSIONS:
        raise KeyError(f"unknown permission {permission!r}")
    return role in PERMISSIONS[permission]

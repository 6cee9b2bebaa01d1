"""The navigation, filtered by what the user's role may open."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class MenuItem:
    endpoint: str
    label: object
    permission: str
    section: str | tuple[str, ...]  # the endpoint prefix(es) that mark the item active


MENU = (
    MenuItem("dashboard.index", _l("Dashboard"), "dashboard.view", "dashboard."),
    MenuItem("orders.index", _l("Orders"), "orders.view", "orders."),
    MenuItem("shipping.waves", _l("Shipping"), "shipping.view", "shipping.wave"),
    MenuItem("shipping.packing", _l("Packing check"), "shipping.warehouse", "shipping.packing"),
    MenuItem("shipping.rules", _l("Courier rules"), "shipping.rules", "shipping.rule"),
    MenuItem("catalog.index", _l("Products"), "catalog.view", "catalog.index"),
    MenuItem("catalog.import_folder", _l("Import folder"), "catalog.edit", "catalog.import"),
    MenuItem("catalog.rules_index", _l("Listing rules"), "catalog.edit", "catalog.rules"),
    MenuItem("aftersales.index", _l("After-sales"), "aftersales.view", ("aftersales.", "cases.")),
    MenuItem("sync.index", _l("Sync jobs"), "sync.view", "sync."),
    MenuItem("accounts.audit_log", _l("Audit log"), "audit.view", "accounts.audit"),
    MenuItem("accounts.users", _l("Users"), "users.manage", "accounts.user"),
    MenuItem("service.handover", _l("Customer service"), "service.work", "service."),
)


def menu_for(user) -> list[MenuItem]:
    return [item for item in MENU if user.can(item.permission)]

"""Marking a view as open to everyone; every other view declares its permission
(backoffice.accounts.security enforces both, denying what declares neither)."""

PUBLIC = "public"


def public(view):
    view.required_permission = PUBLIC
    return view

"""The only code that changes shops: their platform connection and authorisation state. Flushes, never commits."""
from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _
from sqlalchemy import update

from backoffice.accounts import audit
from backoffice.db import session
from backoffice.errors import OperationError
from backoffice.logsafe import scrub
from backoffice.shops import credentials as vault
from backoffice.shops.models import Shop
from backoffice.timeutil import utcnow
from integrations.base import Credentials


def connect_shop(shop: Shop, app_key: str, app_secret: str, access_token: str, expires_at: dt.datetime | None,
                 endpoint: str = "") -> None:
    """Store a shop's credentials encrypted. A blank secret or token keeps the
    stored one, so forms never need to show them back."""
    stored = vault.decrypt(shop.credentials_encrypted).credentials if shop.credentials_encrypted else None
    app_secret = app_secret or (stored.app_secret if stored else "")
    access_token = access_token or (stored.access_token if stored else "")
    if not app_key.strip() or not app_secret:
        raise OperationError(_("App key and app secret are both required."), "app_key")
    creds = Credentials(app_key.strip(), app_secret, access_token, endpoint.strip())
    fields = ("app_key", "app_secret", "access_token", "endpoint")
    before = {key: getattr(stored, key) for key in fields} if stored else {}
    changed = audit.changed({**before, "token_expires_at": shop.token_expires_at if stored else None},
                            {**{key: getattr(creds, key) for key in fields}, "token_expires_at": expires_at})
    # Which fields changed, never their values: the secrets stay in the vault only.
    audit.record("credentials.change", f"shop:{shop.id}", name=shop.name, fields=changed)
    shop.credentials_encrypted = vault.encrypt(creds, expires_at)
    shop.token_expires_at = expires_at
    shop.auth_status = "ok" if access_token and (expires_at is None or expires_at > utcnow()) else "expired"
    shop.auth_error = None if shop.auth_status == "ok" else _("The access token is missing or expired.")
    session.flush()


def shop_credentials(shop: Shop) -> Credentials:
    if not shop.credentials_encrypted:
        raise OperationError(_("This shop is not connected to its platform yet."))
    return vault.decrypt(shop.credentials_encrypted).credentials


def mark_needs_reauthorisation(shop_id: int, reason: str) -> None:
    session.execute(update(Shop).where(Shop.id == shop_id).values(auth_status="expired", auth_error=scrub(reason)[:500]))

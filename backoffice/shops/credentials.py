"""Shop credentials encrypted at rest (Fernet, key from BACKOFFICE_CREDENTIALS_KEY).

The plaintext exists only in memory while a job talks to the platform; it is
never logged, never put in a form, never shown on a page."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken

from integrations.base import Credentials


@dataclass(frozen=True)
class StoredCredentials:
    credentials: Credentials
    expires_at: dt.datetime | None

    def __repr__(self) -> str:  # never print secrets by accident
        return f"StoredCredentials(app_key={self.credentials.app_key!r}, expires_at={self.expires_at!r})"


class CredentialsUnreadable(Exception):
    """The stored credentials were encrypted with another key."""


@lru_cache(maxsize=4)
def _fernet(key: str) -> Fernet:
    return Fernet(key.encode())


def current_key() -> str:
    from backoffice.config import instance_path, load_credentials_key

    return load_credentials_key(instance_path())


def encrypt(credentials: Credentials, expires_at: dt.datetime | None, key: str | None = None) -> bytes:
    data = {"app_key": credentials.app_key, "app_secret": credentials.app_secret,
            "access_token": credentials.access_token, "endpoint": credentials.endpoint, "extra": credentials.extra,
            "expires_at": expires_at.isoformat() if expires_at else None}
    return _fernet(key or current_key()).encrypt(json.dumps(data).encode())


def decrypt(blob: bytes, key: str | None = None) -> StoredCredentials:
    try:
        data = json.loads(_fernet(key or current_key()).decrypt(bytes(blob)))
    except InvalidToken:
        raise CredentialsUnreadable("shop credentials cannot be decrypted with BACKOFFICE_CREDENTIALS_KEY") from None
    expires = dt.datetime.fromisoformat(data["expires_at"]) if data.get("expires_at") else None
    return StoredCredentials(Credentials(data["app_key"], data["app_secret"], data.get("access_token", ""),
                                         data.get("endpoint", ""), data.get("extra") or {}), expires)

"""Kuaidi100 signing."""
from __future__ import annotations

import hashlib


def sign(param: str, key: str, customer: str) -> str:
    """Query signature: upper-case hex MD5(param + key + customer), where
    `param` is the exact JSON string sent in the form."""
    return hashlib.md5(f"{param}{key}{customer}".encode()).hexdigest().upper()


def callback_sign(param: str, salt: str) -> str:
    """Push (subscription callback) signature: upper-case MD5(param + salt)."""
    return hashlib.md5(f"{param}{salt}".encode()).hexdigest().upper()

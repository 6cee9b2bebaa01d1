"""Pinduoduo open platform request signing."""
from __future__ import annotations

import hashlib
import json


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return str(value)


def flatten(params: dict) -> dict[str, str]:
    """The parameters as they are sent and signed: booleans as true/false,
    lists and objects JSON-encoded, empty values left out."""
    return {k: _text(v) for k, v in params.items() if v is not None and v != ""}


def sign(params: dict, secret: str) -> str:
    """Upper-case hex MD5(secret + name1value1name2value2... + secret) over every
    parameter except `sign`, sorted by name."""
    flat = flatten(params)
    text = "".join(f"{k}{v}" for k, v in sorted(flat.items()) if k != "sign")
    return hashlib.md5(f"{secret}{text}{secret}".encode()).hexdigest().upper()

"""Douyin shop (抖店) open platform signing."""
from __future__ import annotations

import hashlib
import hmac
import json


def _normalise(value):
    if isinstance(value, float) and value.is_integer():
        return int(value)  # the official SDKs write 3.0 as 3
    if isinstance(value, dict):
        return {str(k): _normalise(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_normalise(v) for v in value]
    return value


def param_json(params: dict | None) -> str:
    """The business parameters as signed and sent: keys sorted at every level,
    compact separators, non-ASCII kept as UTF-8, no HTML escaping, integral
    floats as integers, "{}" when there are none."""
    return json.dumps(_normalise(params or {}), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sign(app_key: str, secret: str, method: str, param_json: str, timestamp, v: str = "2") -> str:
    """Lower-case hex HMAC-SHA256(key=secret) of
    secret + "app_key"+app_key + "method"+method + "param_json"+param_json
    + "timestamp"+timestamp + "v"+v + secret. access_token is not signed."""
    pattern = f"app_key{app_key}method{method}param_json{param_json}timestamp{timestamp}v{v}"
    return hmac.new(secret.encode(), f"{secret}{pattern}{secret}".encode(), hashlib.sha256).hexdigest()


def event_sign(app_key: str, body: str, secret: str) -> str:
    """The `event-sign` header of a push message: lower-case MD5(app_key + body + secret)."""
    return hashlib.md5(f"{app_key}{body}{secret}".encode()).hexdigest()

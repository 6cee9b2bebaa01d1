"""Mogujie transport (unverified protocol, kept in this one file): TOP-style md5
signature, UNIX timestamps, business parameters as one JSON string `param`."""
from __future__ import annotations

import json
from typing import Any

from integrations.base import AlreadyDone, AuthExpired, Credentials, InvalidRequest, PlatformError, RateLimited, SignatureRejected, Unavailable
from integrations.clock import to_unix
from integrations.taobao.signing import sign as _top_sign
from integrations.timeutil import now_utc
from integrations.transport import Transport, json_body

ENDPOINT = "https://openapi.mogujie.com/invoke"
OK = "0000000"
CODES = {"0000011": AuthExpired, "0000010": RateLimited, "0000003": SignatureRejected, "0000002": InvalidRequest,
         "0000009": Unavailable, "2000004": AlreadyDone}


def sign(params: dict, secret: str) -> str:
    """As TOP's md5 method: upper-case MD5(secret + sorted name+value pairs + secret)."""
    return _top_sign(params, secret, "md5")


def raise_for_status(status: dict) -> None:
    code = str(status.get("code", ""))
    if code not in CODES and code.startswith("2"):  # business refusals (order state, unknown order)
        raise InvalidRequest(status.get("msg") or "Mogujie refused", code)
    raise CODES.get(code, PlatformError)(status.get("msg") or "Mogujie error", code)


class MogujieClient:
    def __init__(self, credentials: Credentials, **transport):
        self.credentials = credentials
        self.url = (credentials.endpoint.rstrip("/") + "/invoke") if credentials.endpoint else ENDPOINT
        self.transport = Transport("mogujie", **transport)

    def _request(self, method: str, params: dict) -> dict:
        c = self.credentials
        form = {"app_key": c.app_key, "method": method, "access_token": c.access_token, "format": "json",
                "sign_method": "md5", "timestamp": str(to_unix(now_utc())),
                "param": json.dumps(params, ensure_ascii=False, separators=(",", ":"), sort_keys=True)}
        form["sign"] = sign(form, c.app_secret)
        return {"method": "POST", "url": self.url, "data": form}

    def call(self, method: str, params: dict, idempotent: bool = True) -> dict[str, Any]:
        def decode(response):
            body = json_body(response)
            status = body.get("status") if isinstance(body, dict) else None
            if not isinstance(status, dict):
                raise Unavailable("answer without status", "malformed")
            if str(status.get("code")) != OK:
                raise_for_status(status)
            return (body.get("result") or {}).get("data") or {}

        return self.transport.call(lambda: self._request(method, params), decode, method, idempotent)

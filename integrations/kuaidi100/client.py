"""Kuaidi100 transport: form posts with a JSON `param`, signed queries."""
from __future__ import annotations

import json
from typing import Any

from integrations.base import Credentials, InvalidRequest, PlatformError, RateLimited, SignatureRejected, Unavailable
from integrations.kuaidi100.signing import sign
from integrations.transport import Transport, json_body

ENDPOINT = "https://poll.kuaidi100.com"
# returnCode of failures: 400 bad data, 408 phone check failed (SF Express needs the
# phone), 500 no tracking yet, 501 already subscribed, 503 signature, 601 account out of
# credit, 700 unsupported courier; 429 for throttling is our assumption (unverified).
ALREADY_SUBSCRIBED = "501"


def raise_for_failure(body: dict) -> None:
    code = str(body.get("returnCode") or body.get("status") or "")
    message = body.get("message") or "Kuaidi100 error"
    if code == "503" or "签名" in message:
        raise SignatureRejected(message, code)
    if code == "429":
        raise RateLimited(message, code)
    if code in {"502", "504"}:
        raise Unavailable(message, code)
    if code in {"400", "408", "500", "501", "601", "700"}:
        raise InvalidRequest(message, code)
    raise PlatformError(message, code)


class Kuaidi100Client:
    def __init__(self, credentials: Credentials, **transport):
        """app_key = the account's `key`, app_secret = `customer` (both secrets)."""
        self.credentials = credentials
        self.base = credentials.endpoint.rstrip("/") if credentials.endpoint else ENDPOINT
        self.transport = Transport("kuaidi100", **transport)

    def query(self, param: dict) -> dict[str, Any]:
        text = json.dumps(param, ensure_ascii=False, separators=(",", ":"))
        c = self.credentials
        form = {"customer": c.app_secret, "param": text, "sign": sign(text, c.app_key, c.app_secret)}

        def decode(response):
            body = json_body(response)
            if not isinstance(body, dict):
                raise Unavailable("answer is not an object", "malformed")
            if body.get("result") is False or str(body.get("status", "200")) != "200":
                raise_for_failure(body)
            return body

        return self.transport.call(lambda: {"method": "POST", "url": f"{self.base}/poll/query.do", "data": form},
                                   decode, "query")

    def subscribe(self, param: dict) -> dict[str, Any]:
        text = json.dumps(param, ensure_ascii=False, separators=(",", ":"))

        def decode(response):
            body = json_body(response)
            if not isinstance(body, dict):
                raise Unavailable("answer is not an object", "malformed")
            if body.get("result") is not True and str(body.get("returnCode")) != ALREADY_SUBSCRIBED:
                raise_for_failure(body)
            return body

        # Subscribing twice is harmless (501), so it may be retried like a read.
        return self.transport.call(lambda: {"method": "POST", "url": f"{self.base}/poll",
                                            "data": {"schema": "json", "param": text}}, decode, "subscribe")

"""TOP transport: system parameters, signing, error mapping."""
from __future__ import annotations

from typing import Any

from integrations.base import AlreadyDone, AuthExpired, Credentials, InvalidRequest, PlatformError, RateLimited, SignatureRejected, Unavailable
from integrations.clock import to_cst_text
from integrations.taobao.signing import sign
from integrations.timeutil import now_utc
from integrations.transport import Transport, json_body

ENDPOINT = "https://eco.taobao.com/router/rest"
RATE_LIMIT_CODES = {"7"}
AUTH_CODES = {"26", "27"}
# Sub-codes that mean the order already carries this shipment (treated as delivered).
ALREADY_SHIPPED_SUB_CODES = {"isv.logistics-offline-service-error:B04", "isv.logistics-online-service-error:B04"}
# The refund was already answered this way (sub-code unverified; kept here only).
ALREADY_DECIDED_SUB_CODES = {"isv.refund-already-handled"}


def raise_for_error(error: dict) -> None:
    code, sub_code = str(error.get("code", "")), str(error.get("sub_code", ""))
    message = error.get("sub_msg") or error.get("msg") or "TOP error"
    if code in RATE_LIMIT_CODES or sub_code.startswith("accesscontrol.limited") or sub_code == "isp.call-limited":
        raise RateLimited(message, code, sub_code)
    if code in AUTH_CODES:
        raise AuthExpired(message, code, sub_code)
    if code == "25":
        raise SignatureRejected(message, code, sub_code)
    if sub_code in ALREADY_SHIPPED_SUB_CODES or sub_code in ALREADY_DECIDED_SUB_CODES:
        raise AlreadyDone(message, code, sub_code)
    if sub_code.startswith("isp.") or code == "15" and sub_code.startswith("isp"):
        raise Unavailable(message, code, sub_code)
    if code in {"40", "41", "31", "28", "29", "11", "12"} or sub_code.startswith("isv."):
        raise InvalidRequest(message, code, sub_code)
    raise PlatformError(message, code, sub_code)


class TaobaoClient:
    def __init__(self, credentials: Credentials, sign_method: str = "hmac-sha256", **transport):
        self.credentials = credentials
        self.url = (credentials.endpoint.rstrip("/") + "/router/rest") if credentials.endpoint else ENDPOINT
        self.sign_method = sign_method
        self.transport = Transport("taobao", **transport)

    def _request(self, method: str, params: dict) -> dict:
        form = {k: str(v) for k, v in params.items() if v is not None}
        form.update(method=method, app_key=self.credentials.app_key, session=self.credentials.access_token,
                    timestamp=to_cst_text(now_utc()), format="json", v="2.0", sign_method=self.sign_method)
        form["sign"] = sign(form, self.credentials.app_secret, self.sign_method)
        return {"method": "POST", "url": self.url, "data": form}

    def call(self, method: str, params: dict, idempotent: bool = True) -> dict[str, Any]:
        key = method.removeprefix("taobao.").replace(".", "_") + "_response"

        def decode(response):
            body = json_body(response)
            if "error_response" in body:
                raise_for_error(body["error_response"])
            if key not in body:
                raise Unavailable(f"answer without {key}", "malformed")
            return body[key]

        return self.transport.call(lambda: self._request(method, params), decode, method, idempotent)

"""Pinduoduo transport: system parameters, signing, error mapping."""
from __future__ import annotations

from typing import Any

from integrations.base import AlreadyDone, AuthExpired, Credentials, InvalidRequest, PlatformError, RateLimited, SignatureRejected, Unavailable
from integrations.clock import to_unix
from integrations.pinduoduo.signing import flatten, sign
from integrations.timeutil import now_utc
from integrations.transport import Transport, json_body

ENDPOINT = "https://gw-api.pinduoduo.com/api/router"
# Error codes (third-party lists, partly unverified; kept here only).
RATE_LIMIT_CODES = {"52101", "52102", "52103", "70031"}
AUTH_CODES = {"10019", "10035"}
SIGN_CODES = {"20004"}
RETRYABLE_CODES = {"50000", "50001", "70032"}
ALREADY_SHIPPED_CODES = {"51022"}  # 订单已发货
ALREADY_DECIDED_CODES = {"51030"}  # 售后单已处理 (unverified)


def raise_for_error(error: dict) -> None:
    code, sub_code = str(error.get("error_code", "")), str(error.get("sub_code", ""))
    message = error.get("sub_msg") or error.get("error_msg") or "Pinduoduo error"
    if code in RATE_LIMIT_CODES:
        raise RateLimited(message, code, sub_code)
    if code in AUTH_CODES:
        raise AuthExpired(message, code, sub_code)
    if code in SIGN_CODES:
        raise SignatureRejected(message, code, sub_code)
    if code in ALREADY_SHIPPED_CODES | ALREADY_DECIDED_CODES or sub_code in ALREADY_SHIPPED_CODES:
        raise AlreadyDone(message, code, sub_code)
    if code in RETRYABLE_CODES:
        raise Unavailable(message, code, sub_code)
    if code.startswith(("1", "2", "5")):  # parameter, permission and business refusals
        raise InvalidRequest(message, code, sub_code)
    raise PlatformError(message, code, sub_code)


# Each API answers under its own key, which cannot be derived from the name.
RESPONSE_KEYS = {
    "pdd.order.number.list.increment.get": "order_sn_increment_get_response",
    "pdd.refund.list.increment.get": "refund_increment_get_response",
    "pdd.logistics.online.send": "logistics_online_send_response",
    # names and keys below are unverified (not in the published examples we have)
    "pdd.refund.agree": "refund_agree_response",
    "pdd.refund.refuse": "refund_refuse_response",
    "pdd.goods.quantity.update": "goods_quantity_update_response",
    "pdd.goods.add": "goods_add_response",
    "pdd.goods.list.get": "goods_list_get_response",
}


class PinduoduoClient:
    def __init__(self, credentials: Credentials, **transport):
        self.credentials = credentials
        self.url = (credentials.endpoint.rstrip("/") + "/api/router") if credentials.endpoint else ENDPOINT
        self.transport = Transport("pinduoduo", **transport)

    def _request(self, api: str, params: dict) -> dict:
        body = flatten(params)
        body.update(type=api, client_id=self.credentials.app_key, access_token=self.credentials.access_token,
                    timestamp=str(to_unix(now_utc())), data_type="JSON", version="V1")
        body["sign"] = sign(body, self.credentials.app_secret)
        return {"method": "POST", "url": self.url, "data": body}

    def call(self, api: str, params: dict, idempotent: bool = True) -> dict[str, Any]:
        key = RESPONSE_KEYS[api]

        def decode(response):
            body = json_body(response)
            if "error_response" in body:
                raise_for_error(body["error_response"])
            if key not in body:
                raise Unavailable(f"answer without {key}", "malformed")
            return body[key]

        return self.transport.call(lambda: self._request(api, params), decode, api, idempotent)

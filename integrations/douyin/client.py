"""Douyin shop transport: signed query string, param_json body, error mapping."""
from __future__ import annotations

from typing import Any

from integrations.base import AlreadyDone, AuthExpired, Credentials, InvalidRequest, PlatformError, RateLimited, SignatureRejected, Unavailable
from integrations.clock import to_unix
from integrations.douyin.signing import param_json, sign
from integrations.timeutil import now_utc
from integrations.transport import Transport, json_body

ENDPOINT = "https://openapi-fxg.jinritemai.com"
OK = 10000
RATE_LIMIT_CODES = {60000}
RETRYABLE_CODES = {20000, 20001}  # 服务暂不可用 / 服务内部错误 (unverified numbers)
# 40003 covers signature, token and timestamp faults; the sub_code tells them apart.
AUTH_SUB_CODES = ("isv.access-token-expired", "isv.access-token-no-exist", "isv.access-token-invalid")
ALREADY_SHIPPED_SUB_CODES = ("isv.order-already-shipped", "isv.aftersale-already-handled")


def raise_for_error(body: dict) -> None:
    code = int(body.get("code", body.get("err_no", -1)))
    sub_code = str(body.get("sub_code") or "")
    message = body.get("sub_msg") or body.get("msg") or body.get("message") or "Douyin error"
    if code in RATE_LIMIT_CODES or sub_code.startswith("isv.traffic-limited"):
        raise RateLimited(message, str(code), sub_code)
    if sub_code.startswith(AUTH_SUB_CODES):
        raise AuthExpired(message, str(code), sub_code)
    if sub_code.startswith("isv.sign"):
        raise SignatureRejected(message, str(code), sub_code)
    if sub_code.startswith(ALREADY_SHIPPED_SUB_CODES):
        raise AlreadyDone(message, str(code), sub_code)
    if code in RETRYABLE_CODES or sub_code.startswith("isp."):
        raise Unavailable(message, str(code), sub_code)
    if 30000 <= code < 60000:
        raise InvalidRequest(message, str(code), sub_code)
    raise PlatformError(message, str(code), sub_code)


class DouyinClient:
    def __init__(self, credentials: Credentials, **transport):
        self.credentials = credentials
        self.base = credentials.endpoint.rstrip("/") if credentials.endpoint else ENDPOINT
        self.transport = Transport("douyin", **transport)

    def _request(self, method: str, params: dict) -> dict:
        body = param_json(params)
        timestamp = str(to_unix(now_utc()))
        c = self.credentials
        query = {"app_key": c.app_key, "method": method, "access_token": c.access_token, "timestamp": timestamp,
                 "v": "2", "sign_method": "hmac-sha256",
                 "sign": sign(c.app_key, c.app_secret, method, body, timestamp)}
        return {"method": "POST", "url": f"{self.base}/{method.replace('.', '/')}", "params": query,
                "data": body.encode(), "headers": {"Content-Type": "application/json;charset=UTF-8"}}

    def call(self, method: str, params: dict, idempotent: bool = True) -> dict[str, Any]:
        def decode(response):
            body = json_body(response)
            if not isinstance(body, dict) or int(body.get("code", body.get("err_no", -1))) not in (OK, 0):
                raise_for_error(body if isinstance(body, dict) else {})
            return body.get("data") or {}

        return self.transport.call(lambda: self._request(method, params), decode, method, idempotent)

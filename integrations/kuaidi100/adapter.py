"""Kuaidi100 answers <-> tracking events; subscription callbacks checked and parsed."""
from __future__ import annotations

import json
from dataclasses import dataclass

from integrations.base import Credentials, InvalidRequest, SignatureRejected, TrackingEvent, register
from integrations.clock import CST
from integrations.kuaidi100.client import Kuaidi100Client
from integrations.kuaidi100.signing import callback_sign

# state -> our code
STATES = {"0": "in_transit", "1": "picked_up", "2": "problem", "3": "delivered", "4": "returned_delivered",
          "5": "out_for_delivery", "6": "returned", "7": "forwarded", "8": "customs", "14": "refused"}
COURIERS = ("youzhengguonei", "yuantong", "shentong", "yunda", "jd", "shunfeng", "zhongtong", "ems")
CALLBACK_OK = {"result": True, "returnCode": "200", "message": "成功"}
CALLBACK_FAILED = {"result": False, "returnCode": "500", "message": "失败"}


@dataclass(frozen=True)
class Tracking:
    courier_code: str
    number: str
    state: str
    finished: bool  # Kuaidi100's ischeck: no further changes expected
    events: tuple[TrackingEvent, ...]


def _event(item: dict, state: str) -> TrackingEvent:
    import datetime as dt

    at = dt.datetime.strptime(item.get("ftime") or item["time"], "%Y-%m-%d %H:%M:%S").replace(tzinfo=CST)
    return TrackingEvent(at.astimezone(dt.timezone.utc), item.get("context", ""),
                         STATES.get(str(item.get("status_code", item.get("statusCode", ""))), state))


def to_tracking(body: dict) -> Tracking:
    state = STATES.get(str(body.get("state", "0")), "in_transit")
    events = tuple(sorted((_event(i, state) for i in body.get("data") or []), key=lambda e: e.at))
    return Tracking(body.get("com", ""), body.get("nu", ""), state, str(body.get("ischeck")) == "1", events)


@register("kuaidi100")
class Kuaidi100Adapter:
    code = "kuaidi100"

    def __init__(self, credentials: Credentials, **transport):
        self.client = Kuaidi100Client(credentials, **transport)

    def query(self, courier_code: str, number: str, phone: str = "") -> Tracking:
        """Where a parcel is now. SF Express needs the receiver's or sender's phone."""
        if courier_code not in COURIERS:
            raise InvalidRequest(f"unsupported courier {courier_code}", "700")
        param = {"com": courier_code, "num": number, "resultv2": "1", "show": "0", "order": "asc"}
        if phone:
            param["phone"] = phone
        return to_tracking(self.client.query(param))

    def subscribe(self, courier_code: str, number: str, callback_url: str, salt: str, phone: str = "") -> bool:
        """Ask Kuaidi100 to push changes to `callback_url`; False when already subscribed."""
        parameters = {"callbackurl": callback_url, "salt": salt, "resultv2": "1"}
        if phone:
            parameters["phone"] = phone
        body = self.client.subscribe({"company": courier_code, "number": number,
                                      "key": self.client.credentials.app_key, "parameters": parameters})
        return body.get("result") is True


def parse_callback(form: dict, salt: str) -> Tracking:
    """A push from Kuaidi100 (form fields `param` and `sign`), checked against our salt.
    Answer CALLBACK_OK once it is stored, or Kuaidi100 pushes it again."""
    param = form.get("param") or ""
    if callback_sign(param, salt) != (form.get("sign") or "").upper():
        raise SignatureRejected("callback signature does not match", "sign")
    try:
        body = json.loads(param)
    except ValueError:
        raise InvalidRequest("callback param is not JSON", "param") from None
    return to_tracking(body.get("lastResult") or {})

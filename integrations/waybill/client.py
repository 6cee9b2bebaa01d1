"""Client of the electronic-waybill provider: asks for one tracking number per
parcel. Plain dataclasses in and out; no Flask, no database."""
from __future__ import annotations

from dataclasses import dataclass

import requests


class WaybillError(Exception):
    """The provider refused or could not be reached; the message says which."""


@dataclass(frozen=True)
class WaybillRequest:
    order_number: str  # our parcel reference, echoed back
    courier_code: str  # Kuaidi100 company code
    receiver_name: str
    receiver_phone: str
    receiver_address: str
    item_count: int


@dataclass(frozen=True)
class Waybill:
    order_number: str
    courier_code: str
    tracking_number: str


class WaybillClient:
    def __init__(self, base_url: str, api_key: str = "", timeout: float = 10.0,
                 http: requests.Session | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.timeout = timeout
        self.http = http or requests.Session()

    def request_numbers(self, parcels: list[WaybillRequest]) -> list[Waybill]:
        if not parcels:
            return []
        body = {"parcels": [p.__dict__ for p in parcels]}
        try:
            response = self.http.post(f"{self.base_url}/v1/waybills", json=body, timeout=self.timeout,
                                      headers={"Authorization": f"Bearer {self.api_key}"} if self.api_key else {})
        except requests.RequestException as exc:
            raise WaybillError(f"电子面单服务连接失败：{exc.__class__.__name__}") from exc
        if response.status_code != 200:
            try:
                message = response.json().get("error", response.text)
            except ValueError:
                message = response.text
            raise WaybillError(f"电子面单服务拒绝（{response.status_code}）：{message[:200]}")
        data = response.json()
        return [Waybill(w["order_number"], w["courier_code"], w["tracking_number"]) for w in data["waybills"]]

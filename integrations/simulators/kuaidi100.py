"""Kuaidi100: signed tracking queries, subscriptions, and signed pushes to callback URLs."""
from __future__ import annotations

import json
import threading

import requests

from integrations.clock import to_cst_text
from integrations.kuaidi100.signing import callback_sign, sign
from integrations.simulators.core import Request, Simulator

COURIERS = {"youzhengguonei", "yuantong", "shentong", "yunda", "jd", "shunfeng", "zhongtong", "ems"}


def failure(code: str, message: str) -> dict:
    return {"result": False, "returnCode": code, "message": message}


class Kuaidi100Simulator(Simulator):
    platform = "kuaidi100"

    def __init__(self, key: str = "sim-kuaidi-key", customer: str = "SIMCUSTOMER0001"):
        super().__init__(app_key=key, app_secret=customer)
        self.parcels: dict[tuple[str, str], dict] = {}
        self.subscriptions: dict[tuple[str, str], dict] = {}
        self.lock = threading.Lock()

    def add_parcel(self, courier: str, number: str, state: str, events: list[tuple], phone: str = "") -> None:
        """events: (datetime, text) oldest first; state: Kuaidi100's state digit."""
        with self.lock:
            self.parcels[(courier, number)] = {"state": state, "events": list(events), "phone": phone}

    def rate_limited(self):
        return failure("429", "请求过于频繁，请稍后再试")

    def token_expired(self):
        return failure("601", "账户已过期或余额不足")

    def result_of(self, courier: str, number: str) -> dict:
        parcel = self.parcels[(courier, number)]
        data = [{"time": to_cst_text(at), "ftime": to_cst_text(at), "context": text}
                for at, text in reversed(parcel["events"])]  # newest first, as Kuaidi100 answers
        return {"message": "ok", "nu": number, "ischeck": "1" if parcel["state"] in ("3", "4") else "0",
                "com": courier, "status": "200", "state": parcel["state"], "condition": "F00", "data": data}

    def handle(self, request: Request):
        form = request.form()
        if request.path == "/poll/query.do":
            return 200, self.query(form)
        if request.path == "/poll":
            return 200, self.subscribe(form)
        return 404, failure("404", "not found")

    def query(self, form: dict) -> dict:
        param = form.get("param", "")
        if form.get("customer") != self.app_secret or sign(param, self.app_key, self.app_secret) != form.get("sign"):
            return failure("503", "验证签名失败")
        try:
            p = json.loads(param)
        except ValueError:
            return failure("400", "找不到对应公司或参数错误")
        courier, number = p.get("com", ""), p.get("num", "")
        if courier not in COURIERS:
            return failure("700", "不支持此快递公司")
        parcel = self.parcels.get((courier, number))
        if parcel is None:
            return failure("500", "查询无结果，请隔段时间再查")
        if courier == "shunfeng" and parcel["phone"] and parcel["phone"][-4:] != str(p.get("phone", ""))[-4:]:
            return failure("408", "请提供正确的手机号码后四位")  # SF needs the phone
        return self.result_of(courier, number)

    def subscribe(self, form: dict) -> dict:
        try:
            p = json.loads(form.get("param", ""))
        except ValueError:
            return failure("400", "提交的数据不完整，或者贵公司没授权")
        if p.get("key") != self.app_key:
            return failure("600", "您不是合法的订阅者（即授权Key出错）")
        courier, number = p.get("company", ""), p.get("number", "")
        if courier not in COURIERS:
            return failure("700", "订阅方的订阅数据存在错误（如不支持的快递公司）")
        with self.lock:
            if (courier, number) in self.subscriptions:
                return failure("501", "重复订阅")
            self.subscriptions[(courier, number)] = p.get("parameters") or {}
        return {"result": True, "returnCode": "200", "message": "提交成功"}

    def push_form(self, courier: str, number: str) -> dict:
        """The form Kuaidi100 posts to a subscriber: the current state, signed with its salt."""
        parameters = self.subscriptions[(courier, number)]
        last = self.result_of(courier, number)
        param = json.dumps({"status": "polling", "billstatus": "got", "message": "", "lastResult": last},
                           ensure_ascii=False)
        form = {"param": param}
        if parameters.get("salt"):
            form["sign"] = callback_sign(param, parameters["salt"])
        return form

    def push(self, courier: str, number: str, timeout: float = 5.0) -> dict:
        """Send the current state to the subscriber's callback URL.
        Returns the subscriber's answer (Kuaidi100 retries until result is true)."""
        url = self.subscriptions[(courier, number)]["callbackurl"]
        return requests.post(url, data=self.push_form(courier, number), timeout=timeout).json()

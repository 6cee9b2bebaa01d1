"""A Mogujie open API as far as it is known (unverified): md5-signed form, JSON `param`."""
from __future__ import annotations

import datetime as dt
import json

from integrations.clock import from_unix
from integrations.mogujie.client import sign
from integrations.simulators.core import Request, SimOrder, SimRefund, Simulator

ORDER_STATUS = {"awaiting_payment": "ORDER_CREATED", "to_ship": "ORDER_PAID", "shipped": "ORDER_SHIPPED",
                "completed": "ORDER_COMPLETED", "closed": "ORDER_CANCELLED"}
REFUND_STATUS = {"requested": "REFUND_APPLY", "agreed": "REFUND_AGREED", "refused": "REFUND_REFUSED",
                 "closed": "REFUND_CLOSED", "succeeded": "REFUND_SUCCESS"}
COMPANY = {"YTO": "yuantong", "ZTO": "zhongtong", "STO": "shentong", "YUNDA": "yunda", "SF": "shunfeng",
           "EMS": "ems", "POST": "youzhengguonei", "JD": "jd"}


def answer(code: str = "0000000", msg: str = "成功", data=None) -> dict:
    body = {"status": {"code": code, "msg": msg}}
    if code == "0000000":
        body["result"] = {"data": data if data is not None else {}}
    return body


def order(o: SimOrder) -> dict:
    province, city, area = o.place
    return {"orderId": o.id, "orderStatus": ORDER_STATUS[o.status], "created": int(o.created.timestamp()),
            "updated": int(o.modified.timestamp()), "totalPrice": o.paid_fen, "receiverName": o.name,
            "receiverMobile": o.phone, "receiverProvince": province, "receiverCity": city, "receiverArea": area,
            "receiverAddress": o.street, "buyerComment": o.note,
            "itemOrders": [{"itemOrderId": lid, "skuCode": sku, "title": title, "number": qty, "price": price}
                           for lid, sku, title, qty, price in o.lines]}


def refund(r: SimRefund) -> dict:
    return {"refundId": r.id, "orderId": r.order_id, "status": REFUND_STATUS[r.status], "refundAmount": r.amount_fen,
            "reason": r.reason, "updated": int(r.modified.timestamp()), "needReturn": r.goods_returned}


class MogujieSimulator(Simulator):
    platform = "mogujie"
    MAX_WINDOW = dt.timedelta(days=1)

    def rate_limited(self):
        return answer("0000010", "调用频率超限")

    def token_expired(self):
        return answer("0000011", "授权已过期，请重新授权")

    def handle(self, request: Request):
        if request.path != "/invoke":
            return 404, {"error": "not found"}
        p = request.params()
        if p.get("app_key") != self.app_key:
            return 200, answer("0000002", "app_key 无效")
        if sign(p, self.app_secret) != p.get("sign"):
            return 200, answer("0000003", "签名错误")
        if not p.get("timestamp", "").isdigit() or abs(int(p["timestamp"]) - self.now().timestamp()) > 600:
            return 200, answer("0000002", "timestamp 无效")
        if p.get("access_token") != self.access_token:
            return 200, answer("0000011", "授权已过期，请重新授权")
        try:
            params = json.loads(p.get("param") or "{}")
        except ValueError:
            return 200, answer("0000002", "param 不是 JSON")
        handler = {"xiaodian.trade.sold.get": self.orders, "xiaodian.refund.list.get": self.refunds,
                   "xiaodian.logistics.send": self.ship}.get(p.get("method"))
        if handler is None:
            return 200, answer("0000002", "method 不存在")
        return 200, handler(params)

    def _paged(self, p: dict, rows_of):
        try:
            start, end = from_unix(p["startUpdated"]), from_unix(p["endUpdated"])
            page, size = int(p.get("page", 1)), int(p.get("pageSize", 20))
        except (KeyError, ValueError, TypeError):
            return None, answer("0000002", "startUpdated/endUpdated/page/pageSize 无效")
        if end < start or end - start > self.MAX_WINDOW or page < 1 or not 1 <= size <= 100:
            return None, answer("0000002", "时间跨度不能超过1天，pageSize 取值 1-100")
        rows = rows_of(start, end)
        return (rows, rows[(page - 1) * size: page * size], page * size < len(rows)), None

    def orders(self, p: dict) -> dict:
        paged, err = self._paged(p, self.book.modified_between)
        if err:
            return err
        rows, chunk, more = paged
        body = answer(data={"totalNum": len(rows), "hasNext": more, "orders": [order(o) for o in chunk]})
        self.changed_during_pull(rows)
        return body

    def refunds(self, p: dict) -> dict:
        paged, err = self._paged(p, self.book.refunds_between)
        if err:
            return err
        rows, chunk, more = paged
        return answer(data={"totalNum": len(rows), "hasNext": more, "refunds": [refund(r) for r in chunk]})

    def ship(self, p: dict) -> dict:
        courier = COMPANY.get(p.get("expressCompany", ""))
        if not courier or not p.get("expressId"):
            return answer("0000002", "expressCompany/expressId 无效")
        outcome = self.book.ship(str(p.get("orderId", "")), courier, p["expressId"])
        if outcome == "ok":
            return answer(data={"success": True})
        if outcome == "already":
            return answer("2000004", "订单已发货")
        return answer("2000001", "订单不存在或状态不允许发货")

"""The Pinduoduo router: flat signed parameters, UNIX timestamps, 30-minute windows."""
from __future__ import annotations

import datetime as dt
import json
import uuid

from integrations.clock import fen_to_yuan, from_unix, to_cst_text
from integrations.pinduoduo.signing import sign
from integrations.simulators.core import Request, SimOrder, SimRefund, Simulator

# generic state -> (order_status, refund_status); unpaid orders are not listed by Pinduoduo.
ORDER_STATUS = {"to_ship": (1, 1), "shipped": (2, 1), "completed": (3, 1), "closed": (1, 4)}
REFUND_STATUS = {"requested": 2, "agreed": 3, "refused": 5, "closed": 6, "succeeded": 10}
LOGISTICS = {85: "yuantong", 115: "zhongtong", 1: "shentong", 121: "yunda", 44: "shunfeng", 118: "ems",
             132: "youzhengguonei", 120: "jd"}


def error(code: int, msg: str, sub_code: str = "", sub_msg: str = "") -> dict:
    return {"error_response": {"error_code": code, "error_msg": msg, "sub_code": sub_code, "sub_msg": sub_msg,
                               "request_id": uuid.uuid4().hex}}


def order(o: SimOrder) -> dict:
    status, refund_status = ORDER_STATUS[o.status]
    province, city, town = o.place
    return {"order_sn": o.id, "order_status": status, "refund_status": refund_status,
            "created_time": to_cst_text(o.created), "updated_at": to_cst_text(o.modified),
            "pay_amount": float(fen_to_yuan(o.paid_fen)), "receiver_name": o.name, "receiver_phone": o.phone,
            "province": province, "city": city, "town": town, "address": o.street, "buyer_memo": o.note,
            "item_list": [{"goods_id": 100 + n, "sku_id": int(lid), "outer_id": sku, "goods_name": title,
                           "goods_count": qty, "goods_price": float(fen_to_yuan(price))}
                          for n, (lid, sku, title, qty, price) in enumerate(o.lines)]}


def refund(r: SimRefund) -> dict:
    return {"id": int(r.id), "order_sn": r.order_id, "after_sales_status": REFUND_STATUS[r.status],
            "after_sales_type": 3 if r.goods_returned else 2, "refund_amount": r.amount_fen,
            "after_sales_reason": r.reason, "updated_time": to_cst_text(r.modified)}


class PinduoduoSimulator(Simulator):
    platform = "pinduoduo"
    MAX_WINDOW = dt.timedelta(minutes=30)
    LAG = dt.timedelta(minutes=3)

    def visible(self, o: SimOrder) -> bool:
        return o.status in ORDER_STATUS

    def rate_limited(self):
        return error(52101, "当前接口您已被限流，请稍后重试")

    def token_expired(self):
        return error(10019, "access_token已过期")

    def handle(self, request: Request):
        if request.path != "/api/router":
            return 404, {"error": "not found"}
        p = request.params()
        for name in ("type", "client_id", "timestamp", "sign"):
            if not p.get(name):
                return 200, error(10000, "参数错误", "", f"{name} 不能为空")
        if p["client_id"] != self.app_key:
            return 200, error(10016, "client_id不存在")
        if sign(p, self.app_secret) != p["sign"]:
            return 200, error(20004, "签名错误")
        if abs(int(p["timestamp"]) - self.now().timestamp()) > 600:
            return 200, error(20005, "时间戳已过期")
        if p.get("access_token") != self.access_token:
            return 200, error(10019, "access_token已过期")
        handler = {"pdd.order.number.list.increment.get": self.orders, "pdd.refund.list.increment.get": self.refunds,
                   "pdd.logistics.online.send": self.ship, "pdd.refund.agree": self.agree_refund,
                   "pdd.refund.refuse": self.refuse_refund,
                   "pdd.goods.quantity.update": self.set_quantity, "pdd.goods.add": self.add_goods,
                   "pdd.goods.list.get": self.goods_list}.get(p["type"])
        if handler is None:
            return 200, error(10001, "接口不存在")
        return 200, handler(p)

    def _window(self, p: dict):
        try:
            start, end = from_unix(p["start_updated_at"]), from_unix(p["end_updated_at"])
        except (KeyError, ValueError):
            return None, error(10000, "参数错误", "", "start_updated_at/end_updated_at")
        if end < start or end - start > self.MAX_WINDOW:
            return None, error(10000, "参数错误", "", "开始时间与结束时间间隔不能超过30分钟")
        if end > self.now() - self.LAG + dt.timedelta(seconds=10):
            return None, error(10000, "参数错误", "", "结束时间需早于当前时间3分钟")
        return (start, end), None

    def _page(self, p: dict, page_key: str, rows: list):
        try:
            page, size = int(p.get(page_key, 1)), int(p.get("page_size", 100))
        except ValueError:
            return None
        if page < 1 or not 1 <= size <= 100:
            return None
        return rows[(page - 1) * size: page * size], page * size < len(rows)

    def orders(self, p: dict) -> dict:
        window, err = self._window(p)
        if err:
            return err
        rows = [o for o in self.book.modified_between(*window) if self.visible(o)]
        paged = self._page(p, "page", rows)
        if paged is None:
            return error(10000, "参数错误", "", "page_size 取值 1-100")
        chunk, has_next = paged
        body = {"total_count": len(rows), "order_sn_list": [order(o) for o in chunk]}
        if p.get("use_has_next") == "true":
            body["has_next"] = has_next
        self.changed_during_pull(rows)
        return {"order_sn_increment_get_response": body}

    def refunds(self, p: dict) -> dict:
        window, err = self._window(p)
        if err:
            return err
        rows = self.book.refunds_between(*window)
        paged = self._page(p, "current_page", rows)
        if paged is None:
            return error(10000, "参数错误", "", "page_size 取值 1-100")
        return {"refund_increment_get_response": {"total_count": len(rows),
                                                  "refund_list": [refund(r) for r in paged[0]]}}

    def ship(self, p: dict) -> dict:
        courier = LOGISTICS.get(int(p.get("logistics_id") or 0))
        if not courier or not p.get("tracking_number"):
            return error(10000, "参数错误", "", "logistics_id/tracking_number")
        outcome = self.book.ship(p.get("order_sn", ""), courier, p["tracking_number"])
        if outcome == "ok":
            return {"logistics_online_send_response": {"is_success": True, "request_id": uuid.uuid4().hex}}
        if outcome == "already":
            return error(51022, "订单已发货", "51022", "订单已发货，请勿重复发货")
        return error(50002, "业务错误", "", "订单不存在或状态不允许发货")

    def _decided(self, p: dict, agree: bool, key: str) -> dict:
        if not p.get("after_sales_id") or not (agree or p.get("reason")):
            return error(10000, "参数错误", "", "after_sales_id/reason")
        outcome = self.book.decide_refund(p["after_sales_id"], agree)
        if outcome == "ok":
            return {key: {"is_success": True, "request_id": uuid.uuid4().hex}}
        if outcome == "already":
            return error(51030, "售后单已处理", "51030", "售后单已处理，请勿重复操作")
        return error(50002, "业务错误", "", "售后单不存在或状态不允许此操作")

    def agree_refund(self, p: dict) -> dict:
        return self._decided(p, True, "refund_agree_response")

    def refuse_refund(self, p: dict) -> dict:
        return self._decided(p, False, "refund_refuse_response")

    def set_quantity(self, p: dict) -> dict:
        try:
            quantity = int(p.get("quantity", ""))
        except ValueError:
            quantity = -1
        if not p.get("outer_id") or quantity < 0 or p.get("update_type", "1") != "1":
            return error(10000, "参数错误", "", "outer_id/quantity/update_type")
        self.book.set_stock([(p["outer_id"], quantity)])
        return {"goods_quantity_update_response": {"is_success": True}}

    # Publishing, with the fields the adapter guesses (pdd.goods.add; not in the published examples we have).
    GOODS_REQUIRED = ("goods_name", "goods_type", "goods_desc", "cat_id", "cost_template_id", "carousel_gallery",
                      "detail_gallery", "sku_list", "out_goods_id", "market_price")

    def add_goods(self, p: dict) -> dict:
        missing = [k for k in self.GOODS_REQUIRED if not p.get(k)]
        if missing:
            return error(10000, "参数错误", "", f"{missing[0]} 不能为空")
        try:
            skus = {s["out_sku_sn"]: {"color": s["spec"], "price_fen": int(s["multi_price"]),
                                      "single_price_fen": int(s["single_price"]), "quantity": int(s["quantity"])}
                    for s in json.loads(p["sku_list"])}
            gallery = json.loads(p["carousel_gallery"])
        except (ValueError, KeyError, TypeError):
            return error(10000, "参数错误", "", "sku_list/carousel_gallery")
        if not skus or not gallery or any(s["price_fen"] <= 0 or s["price_fen"] > s["single_price_fen"]
                                          or s["quantity"] < 0 for s in skus.values()):
            return error(10000, "参数错误", "", "sku_list 价格或库存不正确")
        item_id, created = self.items.add(p["out_goods_id"], p["goods_name"], dict(p), skus)
        if not created:
            return error(52002, "商品外部编码已存在", "52002", f"商品外部编码已存在：{item_id}")
        return {"goods_add_response": {"goods_id": int(item_id), "goods_commit_id": int(item_id) + 1}}

    def goods_list(self, p: dict) -> dict:
        item = self.items.items.get(p.get("outer_id", ""))
        found = [{"goods_id": int(item.id), "goods_name": item.title}] if item else []
        return {"goods_list_get_response": {"goods_list": found, "total_count": len(found)}}

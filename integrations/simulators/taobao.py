"""A TOP router: signed calls, GMT+8 timestamps, wrapped lists, TOP error codes."""
from __future__ import annotations

import datetime as dt
import uuid

from integrations.clock import fen_to_yuan, from_cst_text, to_cst_text, yuan_to_fen
from integrations.simulators.core import Request, SimOrder, SimRefund, SimReview, Simulator
from integrations.taobao.signing import sign

# The simulator's own rendering of generic states (kept apart from the adapter's
# tables on purpose: the contract tests check that both agree).
TRADE_STATUS = {"awaiting_payment": "WAIT_BUYER_PAY", "to_ship": "WAIT_SELLER_SEND_GOODS",
                "shipped": "WAIT_BUYER_CONFIRM_GOODS", "completed": "TRADE_FINISHED", "closed": "TRADE_CLOSED"}
REFUND_STATUS = {"requested": "WAIT_SELLER_AGREE", "agreed": "WAIT_BUYER_RETURN_GOODS", "refused": "SELLER_REFUSE_BUYER",
                 "closed": "CLOSED", "succeeded": "SUCCESS"}
COMPANY = {"YTO": "yuantong", "ZTO": "zhongtong", "STO": "shentong", "YUNDA": "yunda", "SF": "shunfeng",
           "EMS": "ems", "POSTB": "youzhengguonei", "JD": "jd"}


def error(code: int, msg: str, sub_code: str = "", sub_msg: str = "") -> dict:
    body = {"code": code, "msg": msg, "request_id": uuid.uuid4().hex[:13]}
    if sub_code:
        body.update(sub_code=sub_code, sub_msg=sub_msg)
    return {"error_response": body}


def trade(o: SimOrder) -> dict:
    province, city, district = o.place
    return {
        "tid": int(o.id), "status": TRADE_STATUS[o.status], "created": to_cst_text(o.created),
        "modified": to_cst_text(o.modified), "payment": fen_to_yuan(o.paid_fen), "buyer_message": o.note,
        "receiver_name": o.name, "receiver_mobile": o.phone, "receiver_state": province, "receiver_city": city,
        "receiver_district": district, "receiver_address": o.street,
        "orders": {"order": [{"oid": int(lid), "outer_sku_id": sku, "title": title, "num": qty,
                              "price": fen_to_yuan(price), "payment": fen_to_yuan(price * qty)}
                             for lid, sku, title, qty, price in o.lines]},
    }


def refund(r: SimRefund) -> dict:
    return {"refund_id": int(r.id), "tid": int(r.order_id), "status": REFUND_STATUS[r.status],
            "refund_fee": fen_to_yuan(r.amount_fen), "reason": r.reason, "modified": to_cst_text(r.modified),
            "has_good_return": r.goods_returned}


def trade_rate(r: SimReview) -> dict:
    return {"tid": int(r.order_id), "oid": int(r.id), "role": "buyer", "nick": r.nick, "result": r.rating,
            "created": to_cst_text(r.created), "content": r.content}


class TaobaoSimulator(Simulator):
    platform = "taobao"
    MAX_WINDOW = dt.timedelta(days=1)

    def rate_limited(self):
        return error(7, "App Call Limited", "accesscontrol.limited-by-api-access-count",
                     "This ban will last for 1 more seconds")

    def token_expired(self):
        return error(27, "Invalid session", "invalid-sessionkey", "SessionKey非法")

    def handle(self, request: Request):
        if request.path != "/router/rest":
            return 404, {"error": "not found"}
        p = request.params()
        for name in ("method", "app_key", "timestamp", "sign", "sign_method"):
            if not p.get(name):
                return 200, error(40, f"Missing required arguments:{name}")
        if p["app_key"] != self.app_key:
            return 200, error(29, "Invalid app Key")
        if p["sign_method"] not in ("md5", "hmac", "hmac-sha256"):
            return 200, error(41, "Invalid arguments:sign_method")
        if sign(p, self.app_secret, p["sign_method"]) != p["sign"]:
            return 200, error(25, "Invalid signature")
        try:
            skew = abs((from_cst_text(p["timestamp"]) - self.now()).total_seconds())
        except ValueError:
            return 200, error(31, "Invalid timestamp")
        if skew > 600:
            return 200, error(31, "Invalid timestamp", "isv.invalid-timestamp", "时间戳超出允许范围")
        if p.get("session") != self.access_token:
            return 200, error(27, "Invalid session", "invalid-sessionkey", "SessionKey非法")
        handler = {"taobao.trades.sold.increment.get": self.trades,
                   "taobao.refunds.receive.get": self.refunds,
                   "taobao.logistics.offline.send": self.ship,
                   "taobao.traderates.get": self.trade_rates,
                   "taobao.traderate.add": self.rate_back,
                   "taobao.rp.refunds.agree": self.agree_refund, "taobao.rp.refund.refuse": self.refuse_refund,
                   "taobao.item.quantity.update": self.set_quantity,
                   "taobao.item.add": self.add_item, "taobao.item.sku.add": self.add_sku,
                   "taobao.items.custom.get": self.items_by_outer_id}.get(p["method"])
        if handler is None:
            return 200, error(22, "Invalid method")
        return 200, handler(p)

    def _paging(self, p: dict):
        try:
            page_no, page_size = int(p.get("page_no", 1)), int(p.get("page_size", 40))
        except ValueError:
            return None
        if page_no < 1 or not 1 <= page_size <= 100:
            return None
        return page_no, page_size

    def _window(self, p: dict, key_start: str, key_end: str):
        try:
            start, end = from_cst_text(p[key_start]), from_cst_text(p[key_end])
        except (KeyError, ValueError):
            return None, error(41, "Invalid arguments", "isv.invalid-parameter", f"{key_start}/{key_end}")
        if end < start or end - start > self.MAX_WINDOW:
            return None, error(41, "Invalid arguments", "isv.invalid-parameter:time-range",
                               "时间跨度不能超过一天")
        if start < self.now() - dt.timedelta(days=90):
            return None, error(41, "Invalid arguments", "isv.invalid-parameter:start_modified",
                               "只能查询三个月内的数据")
        return (start, end), None

    def _page(self, p: dict, rows: list, render, outer: str, inner: str, key: str) -> dict:
        paging = self._paging(p)
        if paging is None:
            return error(41, "Invalid arguments", "isv.invalid-parameter:page_size", "page_size 取值 1-100")
        page_no, page_size = paging
        chunk = rows[(page_no - 1) * page_size: page_no * page_size]
        body = {outer: {inner: [render(x) for x in chunk]}, "request_id": uuid.uuid4().hex[:13]}
        if p.get("use_has_next") == "true":
            body["has_next"] = page_no * page_size < len(rows)
        else:
            body["total_results"] = len(rows)
        return {key: body}

    def trades(self, p: dict) -> dict:
        window, err = self._window(p, "start_modified", "end_modified")
        if err:
            return err
        rows = self.book.modified_between(*window)
        answer = self._page(p, rows, trade, "trades", "trade", "trades_sold_increment_get_response")
        self.changed_during_pull(rows)
        return answer

    def refunds(self, p: dict) -> dict:
        window, err = self._window(p, "start_modified", "end_modified")
        if err:
            return err
        rows = self.book.refunds_between(*window)
        return self._page(p, rows, refund, "refunds", "refund", "refunds_receive_get_response")

    def ship(self, p: dict) -> dict:
        courier = COMPANY.get(p.get("company_code", ""))
        if not courier or not p.get("out_sid") or not p.get("tid"):
            return error(41, "Invalid arguments", "isv.invalid-parameter", "tid/out_sid/company_code")
        outcome = self.book.ship(p["tid"], courier, p["out_sid"])
        if outcome == "ok":
            return {"logistics_offline_send_response": {"shipping": {"is_success": True}}}
        if outcome == "already":
            return error(15, "Remote service error", "isv.logistics-offline-service-error:B04", "该订单已发货")
        if outcome == "unknown":
            return error(15, "Remote service error", "isv.trade-not-exist", "交易不存在")
        return error(15, "Remote service error", "isv.logistics-offline-service-error:B27", "订单状态不允许发货")

    def trade_rates(self, p: dict) -> dict:
        if p.get("rate_type") not in ("get", "give") or p.get("role") not in ("buyer", "seller"):
            return error(41, "Invalid arguments", "isv.invalid-parameter", "rate_type/role")
        window, err = self._window(p, "start_date", "end_date")
        if err:
            return err
        # the simulator holds only buyers' reviews of the shop
        rows = self.book.reviews_between(*window) if (p["rate_type"], p["role"]) == ("get", "buyer") else []
        return self._page(p, rows, trade_rate, "trade_rates", "trade_rate", "traderates_get_response")

    def rate_back(self, p: dict) -> dict:
        if p.get("role") != "seller" or p.get("result") not in ("good", "neutral", "bad") or not p.get("tid"):
            return error(41, "Invalid arguments", "isv.invalid-parameter", "tid/result/role")
        outcome = self.book.rate_back(p["tid"], p.get("oid", ""), p.get("content", ""))
        if outcome == "ok":
            return {"traderate_add_response": {"trade_rate": {"tid": int(p["tid"]), "oid": int(p["oid"]),
                                                              "created": to_cst_text(self.now())}}}
        if outcome == "already":
            return error(15, "Remote service error", "isv.traderate-add-failed:already-rated", "该订单已评价")
        return error(15, "Remote service error", "isv.trade-not-exist", "交易不存在")

    def _decided(self, refund_id: str, agree: bool, answer: dict) -> dict:
        outcome = self.book.decide_refund(refund_id, agree)
        if outcome == "ok":
            return answer
        if outcome == "already":
            return error(15, "Remote service error", "isv.refund-already-handled", "退款已处理")
        if outcome == "unknown":
            return error(15, "Remote service error", "isv.refund-not-exist", "退款不存在")
        return error(15, "Remote service error", "isv.refund-status-not-support", "退款状态不允许此操作")

    def agree_refund(self, p: dict) -> dict:
        refund_id = (p.get("refund_infos") or "").split("|")[0]
        if not refund_id:
            return error(41, "Invalid arguments", "isv.invalid-parameter", "refund_infos")
        return self._decided(refund_id, True, {"rp_refunds_agree_response": {"succ": True, "msg": "成功"}})

    def refuse_refund(self, p: dict) -> dict:
        if not p.get("refund_id") or not p.get("refuse_message"):
            return error(41, "Invalid arguments", "isv.invalid-parameter", "refund_id/refuse_message")
        return self._decided(p["refund_id"], False, {"rp_refund_refuse_response": {"is_success": True}})

    def set_quantity(self, p: dict) -> dict:
        try:
            quantity = int(p.get("quantity", ""))
        except ValueError:
            quantity = -1
        if not p.get("outer_id") or quantity < 0 or p.get("type", "1") != "1":
            return error(41, "Invalid arguments", "isv.invalid-parameter", "outer_id/quantity/type")
        self.book.set_stock([(p["outer_id"], quantity)])
        return {"item_quantity_update_response": {"item": {"outer_id": p["outer_id"], "num": quantity}}}

    # Publishing. The fields follow the adapter's guesses (PLATFORMS.md: unverified).
    ITEM_REQUIRED = ("num", "price", "type", "stuff_status", "title", "desc", "location.state", "location.city",
                     "cid", "outer_id")

    def add_item(self, p: dict) -> dict:
        missing = [k for k in self.ITEM_REQUIRED if not p.get(k)]
        if missing:
            return error(40, f"Missing required arguments:{missing[0]}")
        try:
            num, price = int(p["num"]), yuan_to_fen(p["price"])
        except (ValueError, ArithmeticError):
            return error(41, "Invalid arguments", "isv.invalid-parameter", "num/price")
        title_length = sum(2 if ord(c) > 0x7F else 1 for c in p["title"])
        if num < 0 or price <= 0 or p["type"] != "fixed" or title_length > 60:
            return error(41, "Invalid arguments", "isv.invalid-parameter", "num/price/type/title")
        item_id, created = self.items.add(p["outer_id"], p["title"], dict(p))
        if not created:
            return error(15, "Remote service error", "isv.item-add-failed:outer-id-exists",
                         f"商家编码已存在，宝贝 {item_id}")
        return {"item_add_response": {"item": {"num_iid": int(item_id), "created": to_cst_text(self.now())}}}

    def add_sku(self, p: dict) -> dict:
        try:
            quantity, price = int(p.get("quantity", "")), yuan_to_fen(p.get("price", ""))
        except (ValueError, ArithmeticError):
            return error(41, "Invalid arguments", "isv.invalid-parameter", "quantity/price")
        if not p.get("num_iid") or not p.get("outer_id") or quantity < 0 or price <= 0 or \
                not p.get("properties", "").startswith("1627207:"):
            return error(41, "Invalid arguments", "isv.invalid-parameter", "num_iid/properties/outer_id")
        outcome = self.items.add_sku(p["num_iid"], p["outer_id"], {
            "color": p["properties"].split(":", 1)[1], "price_fen": price, "quantity": quantity})
        if outcome == "already":
            return error(15, "Remote service error", "isv.item-sku-add-failed:sku-exists", "SKU 已存在")
        if outcome == "unknown":
            return error(15, "Remote service error", "isv.item-not-exist", "宝贝不存在")
        return {"item_sku_add_response": {"sku": {"num_iid": int(p["num_iid"]), "outer_id": p["outer_id"],
                                                  "modified": to_cst_text(self.now())}}}

    def items_by_outer_id(self, p: dict) -> dict:
        if not p.get("outer_id"):
            return error(40, "Missing required arguments:outer_id")
        item = self.items.items.get(p["outer_id"])
        found = [{"num_iid": int(item.id), "outer_id": item.outer_id, "title": item.title}] if item else []
        return {"items_custom_get_response": {"items": {"item": found}}}

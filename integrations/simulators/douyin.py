"""The Douyin shop gateway: method paths, signed query strings, param_json bodies."""
from __future__ import annotations

import datetime as dt
import json
import uuid

from integrations.clock import from_cst_text, from_unix
from integrations.douyin.signing import sign
from integrations.simulators.core import Request, SimOrder, SimRefund, Simulator

ORDER_STATUS = {"awaiting_payment": 1, "to_ship": 2, "shipped": 3, "closed": 4, "completed": 5}
REFUND_STATUS = {"requested": 6, "agreed": 7, "succeeded": 12, "refused": 27, "closed": 28}
COURIERS = {"yuantong", "zhongtong", "shentong", "yunda", "shunfeng", "ems", "youzhengguonei", "jd"}


def envelope(code: int = 10000, msg: str = "success", sub_code: str = "", sub_msg: str = "", data=None) -> dict:
    return {"code": code, "msg": msg, "sub_code": sub_code, "sub_msg": sub_msg, "log_id": uuid.uuid4().hex,
            "data": data if data is not None else {}}


def order(o: SimOrder) -> dict:
    province, city, town = o.place
    return {"order_id": o.id, "order_status": ORDER_STATUS[o.status], "create_time": int(o.created.timestamp()),
            "update_time": int(o.modified.timestamp()), "pay_amount": o.paid_fen, "post_receiver": o.name,
            "post_tel": o.phone, "buyer_words": o.note,
            "post_addr": {"province": {"name": province}, "city": {"name": city}, "town": {"name": town},
                          "detail": o.street},
            "sku_order_list": [{"order_id": lid, "code": sku, "product_name": title, "item_num": qty,
                                "origin_amount": qty * price} for lid, sku, title, qty, price in o.lines]}


def aftersale(r: SimRefund) -> dict:
    return {"aftersale_info": {"aftersale_id": r.id, "aftersale_status": REFUND_STATUS[r.status],
                               "aftersale_type": 0 if r.goods_returned else 1, "refund_amount": r.amount_fen,
                               "reason": r.reason, "update_time": int(r.modified.timestamp())},
            "order_info": {"shop_order_id": r.order_id}}


class DouyinSimulator(Simulator):
    platform = "douyin"
    MAX_WINDOW = dt.timedelta(days=1)

    def rate_limited(self):
        return envelope(60000, "流量超限", "isv.traffic-limited:app", "调用过于频繁，请稍后重试")

    def token_expired(self):
        return envelope(40003, "参数错误", "isv.access-token-expired", "access_token已过期")

    def handle(self, request: Request):
        q = request.query
        method = q.get("method", "")
        if request.path != "/" + method.replace(".", "/"):
            return 200, envelope(40001, "方法不存在", "isv.method-not-exist", request.path)
        if q.get("app_key") != self.app_key:
            return 200, envelope(40003, "参数错误", "isv.app-key-invalid", "app_key 不存在")
        body = request.body.decode("utf-8") or "{}"
        timestamp = q.get("timestamp", "")
        if sign(self.app_key, self.app_secret, method, body, timestamp, q.get("v", "")) != q.get("sign"):
            return 200, envelope(40003, "参数错误", "isv.sign-invalid", "签名校验失败")
        try:  # UNIX seconds (SDKs) or the older 'yyyy-MM-dd HH:mm:ss' (Beijing time)
            at = from_unix(timestamp) if timestamp.isdigit() else from_cst_text(timestamp)
        except ValueError:
            at = None
        if at is None or abs((at - self.now()).total_seconds()) > 600:
            return 200, envelope(40003, "参数错误", "isv.timestamp-invalid", "timestamp 超出允许范围")
        if q.get("access_token") != self.access_token:
            return 200, envelope(40003, "参数错误", "isv.access-token-no-exist", "access_token不存在")
        params = json.loads(body)
        handler = {"order.searchList": self.orders, "afterSale.List": self.refunds,
                   "order.logisticsAdd": self.ship, "afterSale.operate": self.operate,
                   "sku.syncStock": self.sync_stock, "product.addV2": self.add_product,
                   "product.detail": self.product_detail}.get(method)
        if handler is None:
            return 200, envelope(40001, "方法不存在", "isv.method-not-exist", method)
        return 200, handler(params)

    def _paged(self, p: dict, start_key: str, end_key: str, rows_of):
        try:
            start, end = from_unix(p[start_key]), from_unix(p[end_key])
            page, size = int(p.get("page", 0)), int(p.get("size", 10))
        except (KeyError, ValueError, TypeError):
            return None, envelope(40004, "参数错误", "isv.parameter-invalid", f"{start_key}/{end_key}/page/size")
        if end < start or end - start > self.MAX_WINDOW:
            return None, envelope(40004, "参数错误", "isv.parameter-invalid:time-range", "时间跨度不能超过1天")
        if page < 0 or not 1 <= size <= 100:
            return None, envelope(40004, "参数错误", "isv.parameter-invalid:size", "size 取值 1-100")
        rows = rows_of(start, end)
        return (rows, rows[page * size:(page + 1) * size], page, size), None

    def orders(self, p: dict) -> dict:
        paged, err = self._paged(p, "update_time_start", "update_time_end", self.book.modified_between)
        if err:
            return err
        rows, chunk, page, size = paged
        answer = envelope(data={"shop_order_list": [order(o) for o in chunk], "page": page, "size": size,
                                "total": len(rows)})
        self.changed_during_pull(rows)
        return answer

    def refunds(self, p: dict) -> dict:
        paged, err = self._paged(p, "update_start_time", "update_end_time", self.book.refunds_between)
        if err:
            return err
        rows, chunk, page, size = paged
        return envelope(data={"items": [aftersale(r) for r in chunk], "total": len(rows), "page": page,
                              "size": size, "has_more": (page + 1) * size < len(rows)})

    def ship(self, p: dict) -> dict:
        if p.get("company_code") not in COURIERS or not p.get("logistics_code"):
            return envelope(40004, "参数错误", "isv.parameter-invalid", "company_code/logistics_code")
        outcome = self.book.ship(str(p.get("order_id", "")), p["company_code"], p["logistics_code"])
        if outcome == "ok":
            return envelope(data={})
        if outcome == "already":
            return envelope(50002, "业务处理失败", "isv.order-already-shipped", "订单已发货")
        return envelope(50002, "业务处理失败", "isv.business-failed", "订单不存在或状态不允许发货")

    def operate(self, p: dict) -> dict:
        agree = {101: True, 111: True, 102: False, 112: False}.get(p.get("type"))
        items = p.get("items") or []
        if agree is None or len(items) != 1 or not items[0].get("aftersale_id") or \
                not (agree or items[0].get("reason")):
            return envelope(40004, "参数错误", "isv.parameter-invalid", "type/items")
        outcome = self.book.decide_refund(str(items[0]["aftersale_id"]), agree)
        if outcome == "ok":
            return envelope(data={"items": [{"aftersale_id": items[0]["aftersale_id"], "status_code": 0}]})
        if outcome == "already":
            return envelope(50002, "业务处理失败", "isv.aftersale-already-handled", "售后单已处理")
        return envelope(50002, "业务处理失败", "isv.business-failed", "售后单不存在或状态不允许此操作")

    def sync_stock(self, p: dict) -> dict:
        quantity = p.get("stock_num")
        if not p.get("code") or not isinstance(quantity, int) or quantity < 0 or p.get("incremental") is not False:
            return envelope(40004, "参数错误", "isv.parameter-invalid", "code/stock_num/incremental")
        self.book.set_stock([(p["code"], quantity)])
        return envelope(data={})

    # Publishing, with the fields the adapter guesses (PLATFORMS.md: product.addV2, fields unverified).
    PRODUCT_REQUIRED = ("product_type", "category_leaf_id", "name", "pic", "description", "pay_type",
                        "reduce_type", "freight_id", "specs", "spec_prices", "out_product_id")

    def add_product(self, p: dict) -> dict:
        missing = [k for k in self.PRODUCT_REQUIRED if p.get(k) in (None, "", [])]
        if missing:
            return envelope(40004, "参数错误", "isv.parameter-invalid", f"{missing[0]} 不能为空")
        try:
            prices = json.loads(p["spec_prices"]) if isinstance(p["spec_prices"], str) else p["spec_prices"]
            skus = {s["code"]: {"color": s["spec_detail_name1"], "price_fen": int(s["price"]),
                                "quantity": int(s["stock_num"])} for s in prices}
        except (ValueError, KeyError, TypeError):
            return envelope(40004, "参数错误", "isv.parameter-invalid", "spec_prices")
        colours = p["specs"].split("|", 1)[1].split(",") if "|" in p["specs"] else []
        if not skus or any(s["price_fen"] <= 0 or s["quantity"] < 0 or s["color"] not in colours
                           for s in skus.values()):
            return envelope(40004, "参数错误", "isv.parameter-invalid", "specs/spec_prices")
        item_id, created = self.items.add(str(p["out_product_id"]), p["name"], dict(p), skus)
        if not created:
            return envelope(50002, "业务处理失败", "isv.product-out-product-id-exists", f"外部商品编码已存在：{item_id}")
        return envelope(data={"product_id": item_id, "out_product_id": p["out_product_id"],
                              "sku": [{"sku_id": f"{item_id}{n:02d}", "code": code}
                                      for n, code in enumerate(skus, 1)]})

    def product_detail(self, p: dict) -> dict:
        item = self.items.items.get(str(p.get("out_product_id", ""))) or self.items.by_id(p.get("product_id", ""))
        if item is None:
            return envelope(50002, "业务处理失败", "isv.product-not-exist", "商品不存在")
        return envelope(data={"product_id": item.id, "out_product_id": item.outer_id, "name": item.title})

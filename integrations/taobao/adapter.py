"""Taobao trades and refunds <-> DTOs; shipments out."""
from __future__ import annotations

import datetime as dt
from typing import Iterator

from integrations.base import (
    AlreadyDone,
    Credentials,
    Listing,
    Order,
    OrderLine,
    PlatformAdapter,
    PlatformError,
    Receiver,
    Refund,
    RefundDecision,
    Review,
    ReviewReply,
    Shipment,
    StockLevel,
    register,
)
from integrations.clock import fen_to_yuan, from_cst_text, to_cst_text, yuan_to_fen
from integrations.paging import backwards
from integrations.taobao.client import TaobaoClient

ORDER_STATES = {
    "TRADE_NO_CREATE_PAY": "awaiting_payment",
    "WAIT_BUYER_PAY": "awaiting_payment",
    "PAY_PENDING": "awaiting_payment",
    "WAIT_SELLER_SEND_GOODS": "to_ship",
    "SELLER_CONSIGNED_PART": "to_ship",
    "WAIT_BUYER_CONFIRM_GOODS": "shipped",
    "TRADE_BUYER_SIGNED": "shipped",
    "TRADE_FINISHED": "completed",
    "TRADE_CLOSED": "closed",
    "TRADE_CLOSED_BY_TAOBAO": "closed",
}
REFUND_STATES = {
    "WAIT_SELLER_AGREE": "requested",
    "WAIT_BUYER_RETURN_GOODS": "agreed",
    "WAIT_SELLER_CONFIRM_GOODS": "agreed",
    "SELLER_REFUSE_BUYER": "refused",
    "CLOSED": "closed",
    "SUCCESS": "succeeded",
}
# Kuaidi100 courier code -> TOP logistics company code.
COMPANIES = {"yuantong": "YTO", "zhongtong": "ZTO", "shentong": "STO", "yunda": "YUNDA", "shunfeng": "SF",
             "ems": "EMS", "youzhengguonei": "POSTB", "jd": "JD"}
PAGE_SIZE = 100
RATE_FIELDS = "tid,oid,role,nick,result,created,content,item_title"
TRADE_FIELDS = ("tid,status,created,modified,payment,buyer_message,receiver_name,receiver_mobile,receiver_state,"
                "receiver_city,receiver_district,receiver_address,orders")


def _wrapped(body: dict, outer: str, inner: str) -> list[dict]:
    return (body.get(outer) or {}).get(inner) or []


def to_order(trade: dict) -> Order:
    receiver = Receiver(trade.get("receiver_name", ""), trade.get("receiver_mobile", ""),
                        trade.get("receiver_state", ""), trade.get("receiver_city", ""),
                        trade.get("receiver_district", ""), trade.get("receiver_address", ""))
    lines = tuple(OrderLine(str(o["oid"]), o.get("outer_sku_id") or o.get("outer_iid") or "", o.get("title", ""),
                            int(o.get("num", 1)), yuan_to_fen(o.get("price", "0")))
                  for o in _wrapped(trade, "orders", "order"))
    return Order("taobao", str(trade["tid"]), ORDER_STATES[trade["status"]], trade["status"],
                 from_cst_text(trade["created"]), from_cst_text(trade["modified"]),
                 yuan_to_fen(trade.get("payment", "0")), receiver, lines, trade.get("buyer_message", ""))


def to_refund(r: dict) -> Refund:
    return Refund("taobao", str(r["refund_id"]), str(r["tid"]), REFUND_STATES[r["status"]], r["status"],
                  yuan_to_fen(r.get("refund_fee", "0")), r.get("reason", ""), from_cst_text(r["modified"]),
                  r.get("has_good_return") in (True, "true"))


def to_review(rate: dict) -> Review:
    return Review("taobao", str(rate["oid"]), str(rate["tid"]), rate["result"], rate.get("content", ""),
                  from_cst_text(rate["created"]), rate.get("nick", ""))


@register("taobao")
class TaobaoAdapter(PlatformAdapter):
    code = "taobao"
    features = frozenset({
        "order_pages", "refund_pages", "confirm_shipment", "review_pages", "reply_review", "decide_refund", "push_stock", "publish_listing",
    })
    max_window = dt.timedelta(days=1)
    settle_lag = dt.timedelta(minutes=1)

    def __init__(self, credentials: Credentials, **transport):
        self.client = TaobaoClient(credentials, **transport)

    def order_pages(self, start: dt.datetime, end: dt.datetime) -> Iterator[list[Order]]:
        def fetch(page: int, size: int):
            body = self.client.call("taobao.trades.sold.increment.get", {
                "fields": TRADE_FIELDS, "start_modified": to_cst_text(start), "end_modified": to_cst_text(end),
                "page_no": page, "page_size": size, "use_has_next": "false"})
            return _wrapped(body, "trades", "trade"), int(body.get("total_results", 0))

        for trades in backwards(fetch, PAGE_SIZE):
            yield [to_order(t) for t in trades]

    def refund_pages(self, start: dt.datetime, end: dt.datetime) -> Iterator[list[Refund]]:
        def fetch(page: int, size: int):
            body = self.client.call("taobao.refunds.receive.get", {
                "fields": "refund_id,tid,status,refund_fee,reason,modified,has_good_return",
                "start_modified": to_cst_text(start), "end_modified": to_cst_text(end),
                "page_no": page, "page_size": size})
            return _wrapped(body, "refunds", "refund"), int(body.get("total_results", 0))

        for refunds in backwards(fetch, PAGE_SIZE):
            yield [to_refund(r) for r in refunds]

    def confirm_shipment(self, shipment: Shipment) -> None:
        body = self.client.call("taobao.logistics.offline.send", {
            "tid": shipment.platform_order_id, "out_sid": shipment.tracking_number,
            "company_code": COMPANIES[shipment.courier_code]}, idempotent=False)
        if not (body.get("shipping") or {}).get("is_success"):
            raise PlatformError("shipment not accepted", "is_success=false")


    def review_pages(self, start: dt.datetime, end: dt.datetime) -> Iterator[list[Review]]:
        """Reviews buyers gave the shop (rate_type=get, role=buyer) in [start, end]."""
        def fetch(page: int, size: int):
            body = self.client.call("taobao.traderates.get", {
                "fields": RATE_FIELDS, "rate_type": "get", "role": "buyer",
                "start_date": to_cst_text(start), "end_date": to_cst_text(end), "page_no": page, "page_size": size})
            return _wrapped(body, "trade_rates", "trade_rate"), int(body.get("total_results", 0))

        for rates in backwards(fetch, PAGE_SIZE):
            yield [to_review(r) for r in rates]

    def reply_review(self, reply: ReviewReply) -> None:
        """The seller's five-star rating of the buyer; a second one is AlreadyDone."""
        try:
            body = self.client.call("taobao.traderate.add", {
                "tid": reply.platform_order_id, "oid": reply.platform_review_id, "result": "good",
                "role": "seller", "content": reply.content}, idempotent=False)
        except PlatformError as exc:
            if exc.sub_code == "isv.traderate-add-failed:already-rated":
                raise AlreadyDone(str(exc.args[0]), exc.code, exc.sub_code) from None
            raise
        if not (body.get("trade_rate") or {}).get("created"):
            raise PlatformError("rating not accepted", "created=false")

    # Refund answers and stock: method names from TOP's catalogue; their field
    # formats are unverified and kept in these two methods only.
    def decide_refund(self, decision: RefundDecision) -> None:
        if decision.agree:
            body = self.client.call("taobao.rp.refunds.agree", {
                "refund_infos": f"{decision.platform_refund_id}|{fen_to_yuan(decision.amount_fen)}|0"},
                idempotent=False)
            ok = body.get("succ")
        else:
            body = self.client.call("taobao.rp.refund.refuse", {
                "refund_id": decision.platform_refund_id, "tid": decision.platform_order_id,
                "refuse_message": decision.reason or "不符合退款条件"}, idempotent=False)
            ok = body.get("is_success")
        if not ok:
            raise PlatformError("refund answer not accepted", "succ=false")

    def push_stock(self, levels: list[StockLevel]) -> None:
        """Full quantities (type=1), by the shop's own SKU code; setting twice is harmless."""
        for level in levels:
            self.client.call("taobao.item.quantity.update", {
                "outer_id": level.sku_code, "quantity": level.quantity, "type": 1})

    # Publishing: taobao.item.add, then taobao.item.sku.add per colour. PLATFORMS.md marks these fields
    # unverified: every guess about them (names, the colour property 1627207, the sub-codes of a repeat)
    # is kept in this method and the next, nowhere else.
    ITEM_EXISTS = "isv.item-add-failed:outer-id-exists"
    SKU_EXISTS = "isv.item-sku-add-failed:sku-exists"

    def publish_listing(self, listing: Listing) -> str:
        """The item's num_iid. The outer id makes a repeat safe: an item already added under it is looked
        up and completed with any SKU it lacks, never added twice."""
        settings = listing.settings
        try:
            body = self.client.call("taobao.item.add", {
                "num": listing.quantity, "price": fen_to_yuan(listing.price_fen), "type": "fixed",
                "stuff_status": "new", "title": listing.title, "desc": listing.detail_html or listing.description,
                "location.state": settings.get("ships_from_province", ""),
                "location.city": settings.get("ships_from_city", ""), "cid": listing.category_id,
                "outer_id": listing.outer_id, "pic_path": ",".join(listing.image_urls),
                "postage_id": settings.get("shipping_template", ""),
                "sub_stock": 1 if settings.get("stock_reduction") == "下单减库存" else 2}, idempotent=False)
            item_id = str(body["item"]["num_iid"])
        except PlatformError as exc:
            if exc.sub_code != self.ITEM_EXISTS:
                raise
            item_id = self._item_id(listing.outer_id)
        for sku in listing.skus:
            try:
                self.client.call("taobao.item.sku.add", {
                    "num_iid": item_id, "properties": f"1627207:{sku.color}", "quantity": sku.quantity,
                    "price": fen_to_yuan(sku.price_fen), "outer_id": sku.sku_code}, idempotent=False)
            except PlatformError as exc:
                if exc.sub_code != self.SKU_EXISTS:
                    raise
        return item_id

    def _item_id(self, outer_id: str) -> str:
        body = self.client.call("taobao.items.custom.get", {"outer_id": outer_id, "fields": "num_iid,outer_id"})
        items = _wrapped(body, "items", "item")
        if not items:
            raise PlatformError(f"no item with outer id {outer_id}", "outer-id-exists")
        return str(items[0]["num_iid"])

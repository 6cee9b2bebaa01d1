"""Pinduoduo orders and after-sales <-> DTOs; shipments out."""
from __future__ import annotations

import datetime as dt
from typing import Iterator

from integrations.base import (
    Credentials,
    Listing,
    Order,
    OrderLine,
    PlatformAdapter,
    PlatformError,
    Receiver,
    Refund,
    RefundDecision,
    Shipment,
    StockLevel,
    register,
)
from integrations.clock import from_cst_text, to_unix, yuan_to_fen
from integrations.paging import backwards
from integrations.pinduoduo.client import PinduoduoClient

# order_status: 1 待发货, 2 已发货待签收, 3 已签收. refund_status 4 (退款成功) closes the order.
ORDER_STATES = {1: "to_ship", 2: "shipped", 3: "completed"}
REFUND_CLOSES_ORDER = {4}
# after_sales_status (subset used by the shop)
REFUND_STATES = {2: "requested", 3: "agreed", 4: "agreed", 5: "refused", 6: "closed", 10: "succeeded",
                 11: "closed", 12: "refused"}
# Kuaidi100 courier code -> Pinduoduo logistics_id (unverified numbers; one place).
LOGISTICS_IDS = {"yuantong": 85, "zhongtong": 115, "shentong": 1, "yunda": 121, "shunfeng": 44, "ems": 118,
                 "youzhengguonei": 132, "jd": 120}
PAGE_SIZE = 100


def order_state(order_status: int, refund_status: int) -> str:
    if refund_status in REFUND_CLOSES_ORDER:
        return "closed"
    return ORDER_STATES[order_status]


def to_order(o: dict) -> Order:
    receiver = Receiver(o.get("receiver_name", ""), o.get("receiver_phone", ""), o.get("province", ""),
                        o.get("city", ""), o.get("town", ""), o.get("address", ""))
    lines = tuple(OrderLine(f"{o['order_sn']}-{n}", i.get("outer_id", ""), i.get("goods_name", ""),
                            int(i.get("goods_count", 1)), yuan_to_fen(i.get("goods_price", 0)))
                  for n, i in enumerate(o.get("item_list") or []))
    status, refund_status = int(o["order_status"]), int(o.get("refund_status", 1))
    return Order("pinduoduo", o["order_sn"], order_state(status, refund_status), f"{status}/{refund_status}",
                 from_cst_text(o["created_time"]), from_cst_text(o["updated_at"]),
                 yuan_to_fen(o.get("pay_amount", 0)), receiver, lines, o.get("buyer_memo", ""))


def to_refund(r: dict) -> Refund:
    status = int(r["after_sales_status"])
    return Refund("pinduoduo", str(r["id"]), r["order_sn"], REFUND_STATES[status], str(status),
                  int(r.get("refund_amount", 0)), r.get("after_sales_reason", ""), from_cst_text(r["updated_time"]),
                  int(r.get("after_sales_type", 2)) == 3)


@register("pinduoduo")
class PinduoduoAdapter(PlatformAdapter):
    code = "pinduoduo"
    features = frozenset({
        "order_pages", "refund_pages", "confirm_shipment", "decide_refund", "push_stock", "publish_listing",
    })
    max_window = dt.timedelta(minutes=30)
    settle_lag = dt.timedelta(minutes=3)  # the window must end 3 minutes before the server's clock

    def __init__(self, credentials: Credentials, **transport):
        self.client = PinduoduoClient(credentials, **transport)

    def order_pages(self, start: dt.datetime, end: dt.datetime) -> Iterator[list[Order]]:
        def fetch(page: int, size: int):
            body = self.client.call("pdd.order.number.list.increment.get", {
                "is_lucky_flag": 0, "order_status": 5, "refund_status": 5, "start_updated_at": to_unix(start),
                "end_updated_at": to_unix(end), "page": page, "page_size": size, "use_has_next": False})
            return body.get("order_sn_list") or [], int(body.get("total_count", 0))

        for rows in backwards(fetch, PAGE_SIZE):
            yield [to_order(o) for o in rows]

    def refund_pages(self, start: dt.datetime, end: dt.datetime) -> Iterator[list[Refund]]:
        def fetch(page: int, size: int):
            body = self.client.call("pdd.refund.list.increment.get", {
                "after_sales_status": 1, "after_sales_type": 1, "start_updated_at": to_unix(start),
                "end_updated_at": to_unix(end), "current_page": page, "page_size": size})
            return body.get("refund_list") or [], int(body.get("total_count", 0))

        for rows in backwards(fetch, PAGE_SIZE):
            yield [to_refund(r) for r in rows]

    def confirm_shipment(self, shipment: Shipment) -> None:
        body = self.client.call("pdd.logistics.online.send", {
            "order_sn": shipment.platform_order_id, "logistics_id": LOGISTICS_IDS[shipment.courier_code],
            "tracking_number": shipment.tracking_number}, idempotent=False)
        if not body.get("is_success"):
            raise PlatformError("shipment not accepted", "is_success=false")

    def decide_refund(self, decision: RefundDecision) -> None:
        if decision.agree:
            body = self.client.call("pdd.refund.agree", {
                "after_sales_id": decision.platform_refund_id, "order_sn": decision.platform_order_id,
                "refund_amount": decision.amount_fen}, idempotent=False)
        else:
            body = self.client.call("pdd.refund.refuse", {
                "after_sales_id": decision.platform_refund_id, "order_sn": decision.platform_order_id,
                "reason": decision.reason or "不符合退款条件"}, idempotent=False)
        if not body.get("is_success"):
            raise PlatformError("refund answer not accepted", "is_success=false")

    def push_stock(self, levels: list[StockLevel]) -> None:
        """Full quantities (update_type=1) by outer SKU code; setting twice is harmless."""
        for level in levels:
            self.client.call("pdd.goods.quantity.update", {
                "outer_id": level.sku_code, "quantity": level.quantity, "update_type": 1})

    # Publishing through pdd.goods.add. Its fields are not in the published examples we have: the guesses
    # (names, group price = single price, the code of a repeated out_goods_id) live in this method only.
    GOODS_EXISTS = "52002"

    def publish_listing(self, listing: Listing) -> str:
        """The goods id; a repeat of the same outer id answers the goods made the first time."""
        try:
            body = self.client.call("pdd.goods.add", {
                "goods_name": listing.title, "goods_type": 1, "goods_desc": listing.description,
                "cat_id": listing.category_id, "country_id": 0, "cost_template_id":
                    listing.settings.get("shipping_template", ""), "is_refundable": True, "second_hand": False,
                "is_folt": True, "shipment_limit_second": 172800, "market_price": max(s.price_fen for s in listing.skus),
                "carousel_gallery": list(listing.image_urls), "detail_gallery": list(listing.image_urls),
                "out_goods_id": listing.outer_id,
                "sku_list": [{"spec": s.color, "out_sku_sn": s.sku_code, "quantity": s.quantity,
                              "multi_price": s.price_fen, "single_price": s.price_fen, "thumb_url": s.image_url,
                              "is_onsale": 1} for s in listing.skus]}, idempotent=False)
        except PlatformError as exc:
            if exc.code != self.GOODS_EXISTS:
                raise
            body = self.client.call("pdd.goods.list.get", {"outer_id": listing.outer_id, "page": 1,
                                                           "page_size": 1})
            found = body.get("goods_list") or []
            if not found:
                raise
            return str(found[0]["goods_id"])
        return str(body["goods_id"])

"""Douyin shop orders and after-sales <-> DTOs; shipments out. Money is already in fen."""
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
from integrations.clock import from_unix, to_unix
from integrations.douyin.client import DouyinClient
from integrations.paging import backwards

ORDER_STATES = {1: "awaiting_payment", 105: "to_ship", 2: "to_ship", 101: "to_ship", 3: "shipped", 4: "closed",
                5: "completed"}
# aftersale_status (subset): 6 待商家同意, 7 待买家退货, 11 待商家收货, 12 同意退款/退款成功,
# 27 拒绝售后申请, 28 售后失败/关闭
REFUND_STATES = {6: "requested", 7: "agreed", 11: "agreed", 12: "succeeded", 27: "refused", 28: "closed"}
PAGE_SIZE = 100
# afterSale.operate types (unverified codes): (agree, goods returned) -> type
OPERATE_TYPES = {(True, False): 101, (False, False): 102, (True, True): 111, (False, True): 112}


def to_order(o: dict) -> Order:
    addr = o.get("post_addr") or {}
    receiver = Receiver(o.get("post_receiver", ""), o.get("post_tel", ""), (addr.get("province") or {}).get("name", ""),
                        (addr.get("city") or {}).get("name", ""), (addr.get("town") or {}).get("name", ""),
                        addr.get("detail", ""))
    lines = tuple(OrderLine(str(s["order_id"]), s.get("code", ""), s.get("product_name", ""), int(s.get("item_num", 1)),
                            int(s.get("origin_amount", 0)) // max(1, int(s.get("item_num", 1))))
                  for s in o.get("sku_order_list") or [])
    status = int(o["order_status"])
    return Order("douyin", str(o["order_id"]), ORDER_STATES[status], str(status), from_unix(o["create_time"]),
                 from_unix(o["update_time"]), int(o.get("pay_amount", 0)), receiver, lines, o.get("buyer_words", ""))


def to_refund(item: dict) -> Refund:
    info, order = item.get("aftersale_info") or {}, item.get("order_info") or {}
    status = int(info["aftersale_status"])
    return Refund("douyin", str(info["aftersale_id"]), str(order.get("shop_order_id", "")), REFUND_STATES[status],
                  str(status), int(info.get("refund_amount", 0)), info.get("reason", ""),
                  from_unix(info["update_time"]), int(info.get("aftersale_type", 1)) == 0)


@register("douyin")
class DouyinAdapter(PlatformAdapter):
    code = "douyin"
    features = frozenset({
        "order_pages", "refund_pages", "confirm_shipment", "decide_refund", "push_stock", "publish_listing",
    })
    max_window = dt.timedelta(days=1)
    settle_lag = dt.timedelta(minutes=1)

    def __init__(self, credentials: Credentials, **transport):
        self.client = DouyinClient(credentials, **transport)

    def order_pages(self, start: dt.datetime, end: dt.datetime) -> Iterator[list[Order]]:
        # Pages count from 0 here; read backwards like the others (the total is given).
        def fetch(page: int, size: int):
            data = self.client.call("order.searchList", {
                "update_time_start": to_unix(start), "update_time_end": to_unix(end), "page": page, "size": size,
                "order_by": "update_time", "order_asc": True})
            return data.get("shop_order_list") or [], int(data.get("total", 0))

        for rows in backwards(fetch, PAGE_SIZE, first=0):
            yield [to_order(o) for o in rows]

    def refund_pages(self, start: dt.datetime, end: dt.datetime) -> Iterator[list[Refund]]:
        def fetch(page: int, size: int):
            data = self.client.call("afterSale.List", {
                "update_start_time": to_unix(start), "update_end_time": to_unix(end), "page": page, "size": size,
                "order_by": ["update_time asc"]})
            return data.get("items") or [], int(data.get("total", 0))

        for rows in backwards(fetch, PAGE_SIZE, first=0):
            yield [to_refund(r) for r in rows]

    def confirm_shipment(self, shipment: Shipment) -> None:
        # Douyin accepts the Kuaidi100-style company codes (yuantong, zhongtong, ...).
        self.client.call("order.logisticsAdd", {
            "order_id": shipment.platform_order_id, "company_code": shipment.courier_code,
            "logistics_code": shipment.tracking_number}, idempotent=False)

    def decide_refund(self, decision: RefundDecision) -> None:
        item = {"aftersale_id": decision.platform_refund_id}
        if not decision.agree:
            item["reason"] = decision.reason or "不符合退款条件"
        self.client.call("afterSale.operate", {"type": OPERATE_TYPES[(decision.agree, decision.goods_returned)],
                                               "items": [item]}, idempotent=False)

    def push_stock(self, levels: list[StockLevel]) -> None:
        """Full quantities by the shop's SKU code (incremental=false); setting twice is harmless."""
        for level in levels:
            self.client.call("sku.syncStock", {"code": level.sku_code, "stock_num": level.quantity,
                                               "incremental": False})

    # Publishing through product.addV2. PLATFORMS.md leaves its fields unverified: the guesses (names,
    # the spec string, the sub-code of a repeated out_product_id) live in this method only.
    PRODUCT_EXISTS = "isv.product-out-product-id-exists"

    def publish_listing(self, listing: Listing) -> str:
        """The product id; a repeat of the same outer id answers the product made the first time."""
        colours = list(dict.fromkeys(s.color for s in listing.skus))
        try:
            data = self.client.call("product.addV2", {
                "product_type": 0, "category_leaf_id": listing.category_id, "name": listing.title,
                "pic": "|".join(listing.image_urls), "description": listing.detail_html or listing.description,
                "pay_type": 1, "reduce_type": 1 if listing.settings.get("stock_reduction") == "下单减库存" else 2,
                "freight_id": listing.settings.get("shipping_template", ""), "commit": True,
                "out_product_id": listing.outer_id, "specs": "颜色|" + ",".join(colours),
                "spec_prices": [{"spec_detail_name1": s.color, "stock_num": s.quantity, "price": s.price_fen,
                                 "code": s.sku_code} for s in listing.skus]}, idempotent=False)
        except PlatformError as exc:
            if exc.sub_code != self.PRODUCT_EXISTS:
                raise
            data = self.client.call("product.detail", {"out_product_id": listing.outer_id})
        return str(data["product_id"])

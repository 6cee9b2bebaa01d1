"""Mogujie orders and refunds <-> DTOs; shipments out (unverified field names, one place)."""
from __future__ import annotations

import datetime as dt
from typing import Iterator

from integrations.base import Credentials, Order, OrderLine, PlatformAdapter, Receiver, Refund, Shipment, register
from integrations.clock import from_unix, to_unix
from integrations.mogujie.client import MogujieClient
from integrations.paging import backwards

ORDER_STATES = {"ORDER_CREATED": "awaiting_payment", "ORDER_PAID": "to_ship", "ORDER_SHIPPED": "shipped",
                "ORDER_RECEIVED": "completed", "ORDER_COMPLETED": "completed", "ORDER_CANCELLED": "closed",
                "ORDER_CLOSED": "closed"}
REFUND_STATES = {"REFUND_APPLY": "requested", "REFUND_AGREED": "agreed", "REFUND_REFUSED": "refused",
                 "REFUND_CLOSED": "closed", "REFUND_SUCCESS": "succeeded"}
COMPANIES = {"yuantong": "YTO", "zhongtong": "ZTO", "shentong": "STO", "yunda": "YUNDA", "shunfeng": "SF",
             "ems": "EMS", "youzhengguonei": "POST", "jd": "JD"}
PAGE_SIZE = 100


def to_order(o: dict) -> Order:
    receiver = Receiver(o.get("receiverName", ""), o.get("receiverMobile", ""), o.get("receiverProvince", ""),
                        o.get("receiverCity", ""), o.get("receiverArea", ""), o.get("receiverAddress", ""))
    lines = tuple(OrderLine(str(i["itemOrderId"]), i.get("skuCode", ""), i.get("title", ""), int(i.get("number", 1)),
                            int(i.get("price", 0))) for i in o.get("itemOrders") or [])
    return Order("mogujie", str(o["orderId"]), ORDER_STATES[o["orderStatus"]], o["orderStatus"],
                 from_unix(o["created"]), from_unix(o["updated"]), int(o.get("totalPrice", 0)), receiver, lines,
                 o.get("buyerComment", ""))


def to_refund(r: dict) -> Refund:
    return Refund("mogujie", str(r["refundId"]), str(r["orderId"]), REFUND_STATES[r["status"]], r["status"],
                  int(r.get("refundAmount", 0)), r.get("reason", ""), from_unix(r["updated"]),
                  bool(r.get("needReturn")))


@register("mogujie")
class MogujieAdapter(PlatformAdapter):
    code = "mogujie"
    features = frozenset({"order_pages", "refund_pages", "confirm_shipment"})
    max_window = dt.timedelta(days=1)
    settle_lag = dt.timedelta(minutes=1)

    def __init__(self, credentials: Credentials, **transport):
        self.client = MogujieClient(credentials, **transport)

    def order_pages(self, start: dt.datetime, end: dt.datetime) -> Iterator[list[Order]]:
        def fetch(page: int, size: int):
            data = self.client.call("xiaodian.trade.sold.get", {
                "startUpdated": to_unix(start), "endUpdated": to_unix(end), "page": page, "pageSize": size})
            return data.get("orders") or [], int(data.get("totalNum", 0))

        for rows in backwards(fetch, PAGE_SIZE):
            yield [to_order(o) for o in rows]

    def refund_pages(self, start: dt.datetime, end: dt.datetime) -> Iterator[list[Refund]]:
        def fetch(page: int, size: int):
            data = self.client.call("xiaodian.refund.list.get", {
                "startUpdated": to_unix(start), "endUpdated": to_unix(end), "page": page, "pageSize": size})
            return data.get("refunds") or [], int(data.get("totalNum", 0))

        for rows in backwards(fetch, PAGE_SIZE):
            yield [to_refund(r) for r in rows]

    def confirm_shipment(self, shipment: Shipment) -> None:
        self.client.call("xiaodian.logistics.send", {
            "orderId": shipment.platform_order_id, "expressCompany": COMPANIES[shipment.courier_code],
            "expressId": shipment.tracking_number}, idempotent=False)

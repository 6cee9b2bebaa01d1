"""The simulators' data: the orders, refunds, reviews and items a platform
holds, generated from a seed and changed by the calls the simulator serves."""
from __future__ import annotations

import bisect
import datetime as dt
import random
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field

from integrations.timeutil import now_utc

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = ["秀英", "桂芳", "丽娟", "晓燕", "静", "敏", "婷婷", "雪梅", "海燕", "玉兰", "佳怡", "欣怡"]
PLACES = [("浙江省", "杭州市", "西湖区"), ("广东省", "广州市", "天河区"), ("江苏省", "苏州市", "姑苏区"),
          ("四川省", "成都市", "武侯区"), ("上海市", "上海市", "浦东新区"), ("北京市", "北京市", "朝阳区"),
          ("湖北省", "武汉市", "洪山区"), ("山东省", "青岛市", "市南区")]
STREETS = ["文三路 88 号 3 幢 502 室", "体育西路 191 号 中石化大厦 B 座 1201", "人民路 1008 号", "科华北路 65 号 2 单元 6 楼"]
BAGS = [("BAG-TOTE-BLK", "真皮托特包 黑色", 29900), ("BAG-CROSS-RED", "小方包斜挎 酒红", 15900),
        ("BAG-BUCKET-BRN", "水桶包 焦糖色", 19800), ("BAG-CLUTCH-GLD", "晚宴手拿包 香槟金", 12800),
        ("BAG-BACK-NVY", "双肩包 藏青", 23900)]
GENERIC_STATES = ("awaiting_payment", "to_ship", "shipped", "completed", "closed")


@dataclass
class SimOrder:
    id: str
    status: str  # generic code; each platform renders its own
    created: dt.datetime
    modified: dt.datetime
    name: str
    phone: str
    place: tuple[str, str, str]
    street: str
    lines: list[tuple[str, str, str, int, int]]  # line id, sku, title, qty, unit price fen
    note: str = ""
    shipment: tuple[str, str] | None = None  # (courier code, tracking number)
    shipments_applied: int = 0  # how many times a shipment changed this order

    @property
    def paid_fen(self) -> int:
        return sum(q * p for _, _, _, q, p in self.lines)


class Window(Sequence):
    """A snapshot of a window's (modified, id) keys, resolved to orders on access."""

    def __init__(self, orders: dict[str, "SimOrder"], keys: list[tuple[dt.datetime, str]]):
        self._orders, self._keys = orders, keys

    def __len__(self) -> int:
        return len(self._keys)

    def __getitem__(self, item):
        if isinstance(item, slice):
            return [self._orders[oid] for _, oid in self._keys[item]]
        return self._orders[self._keys[item][1]]


@dataclass
class SimRefund:
    id: str
    order_id: str
    status: str  # requested, agreed, refused, closed, succeeded
    amount_fen: int
    reason: str
    modified: dt.datetime
    goods_returned: bool = False
    decisions_applied: int = 0  # how many times the seller's decision changed this refund


@dataclass
class SimReview:
    id: str  # the rated order line
    order_id: str
    rating: str  # good, neutral, bad
    content: str
    created: dt.datetime
    nick: str = ""


class OrderBook:
    """Orders kept sorted by (modified, id), as the platforms list them."""

    def __init__(self):
        self.lock = threading.RLock()
        self.orders: dict[str, SimOrder] = {}
        self.refunds: dict[str, SimRefund] = {}
        self.reviews: dict[str, SimReview] = {}
        self.seller_rates: dict[str, list[str]] = {}  # review id -> the seller's replies, in order received
        self.stock: dict[str, int] = {}  # the shop's own SKU code -> quantity on sale
        self.stock_updates: list[tuple[str, int]] = []  # every quantity set, as received
        self._index: list[tuple[dt.datetime, str]] = []

    def add(self, order: SimOrder) -> None:
        with self.lock:
            self.orders[order.id] = order
            bisect.insort(self._index, (order.modified, order.id))

    def generate(self, count: int, start: dt.datetime, end: dt.datetime, seed: int = 7, prefix: str = "") -> None:
        """`count` orders modified between start and end, deterministic per seed."""
        rng = random.Random(seed)
        span = (end - start).total_seconds()
        base = 3_000_000_000_000 + seed * 10_000_000
        batch = []
        for n in range(count):
            modified = start + dt.timedelta(seconds=int(rng.random() * span))
            lines = []
            for k in range(rng.choice((1, 1, 1, 2, 3))):
                sku, title, price = rng.choice(BAGS)
                lines.append((f"{base + n}{k}", sku, title, rng.choice((1, 1, 2)), price))
            oid = f"{prefix}{base + n}"
            batch.append(SimOrder(
                oid, rng.choice(("to_ship", "to_ship", "to_ship", "shipped", "completed", "closed", "awaiting_payment")),
                modified - dt.timedelta(minutes=rng.randint(0, 600)), modified,
                rng.choice(SURNAMES) + rng.choice(GIVEN), f"1{rng.choice('3589')}{rng.randint(0, 999_999_999):09d}",
                rng.choice(PLACES), rng.choice(STREETS), lines,
                rng.choice(("", "", "请尽快发货", "不要放快递柜，谢谢"))))
        with self.lock:
            for order in batch:
                self.orders[order.id] = order
            self._index = sorted((o.modified, o.id) for o in self.orders.values())

    def generate_refunds(self, count: int, seed: int = 7) -> None:
        """`count` buyers asking for their money back, deterministic per seed: a
        refund only before shipping, a return (goods sent back) after."""
        rng = random.Random(seed)
        latest = now_utc().replace(microsecond=0) - dt.timedelta(minutes=5)
        with self.lock:
            eligible = sorted(o.id for o in self.orders.values() if o.status in ("to_ship", "shipped", "completed"))
            for n, order_id in enumerate(rng.sample(eligible, min(count, len(eligible)))):
                order = self.orders[order_id]
                returned = order.status != "to_ship"
                modified = min(latest, order.modified + dt.timedelta(minutes=rng.randint(5, 600)))
                self.refunds[f"{7_000_000 + n}"] = SimRefund(
                    f"{7_000_000 + n}", order_id, "requested", order.paid_fen,
                    rng.choice(("不喜欢", "七天无理由", "质量问题", "发错货")) if returned else "不想要了",
                    modified, goods_returned=returned)

    def add_refund(self, refund: SimRefund) -> None:
        with self.lock:
            self.refunds[refund.id] = refund

    def add_review(self, review: SimReview) -> None:
        with self.lock:
            self.reviews[review.id] = review

    def reviews_between(self, start: dt.datetime, end: dt.datetime) -> list[SimReview]:
        with self.lock:
            return sorted((r for r in self.reviews.values() if start <= r.created <= end),
                          key=lambda r: (r.created, r.id))

    def rate_back(self, order_id: str, review_id: str, content: str) -> str:
        """The seller rates a reviewed line: 'ok', 'already' or 'unknown'."""
        with self.lock:
            review = self.reviews.get(review_id)
            if review is None or review.order_id != order_id:
                return "unknown"
            if review_id in self.seller_rates:
                return "already"
            self.seller_rates[review_id] = [content]
            return "ok"

    def modified_between(self, start: dt.datetime, end: dt.datetime) -> "Window":
        """The orders of a window, in listing order; only the slice a page asks
        for is looked up (a page of a 50,000-order window stays cheap)."""
        with self.lock:
            lo = bisect.bisect_left(self._index, (start, ""))
            hi = bisect.bisect_right(self._index, (end, "\uffff"))
            return Window(self.orders, self._index[lo:hi])

    def refunds_between(self, start: dt.datetime, end: dt.datetime) -> list[SimRefund]:
        with self.lock:
            return sorted((r for r in self.refunds.values() if start <= r.modified <= end),
                          key=lambda r: (r.modified, r.id))

    def touch(self, order: SimOrder, status: str | None = None, at: dt.datetime | None = None) -> None:
        """The order changes on the platform: new state, new modified time."""
        with self.lock:
            self._index.remove((order.modified, order.id))
            order.modified = at or now_utc().replace(microsecond=0)
            if status:
                order.status = status
            bisect.insort(self._index, (order.modified, order.id))

    def ship(self, order_id: str, courier: str, number: str) -> str:
        """'ok', 'already' (the same shipment again), 'conflict' or 'unknown'."""
        with self.lock:
            order = self.orders.get(order_id)
            if order is None:
                return "unknown"
            if order.shipment is not None:
                return "already" if order.shipment == (courier, number) else "conflict"
            if order.status != "to_ship":
                return "conflict"
            order.shipment = (courier, number)
            order.shipments_applied += 1
            self.touch(order, "shipped")
            return "ok"


    def decide_refund(self, refund_id: str, agree: bool) -> str:
        """The seller agrees or refuses: 'ok', 'already' (the same decision
        again), 'conflict' (decided otherwise, or closed) or 'unknown'."""
        with self.lock:
            refund = self.refunds.get(refund_id)
            if refund is None:
                return "unknown"
            outcome = ("agreed" if refund.goods_returned else "succeeded") if agree else "refused"
            if refund.status == outcome:
                return "already"
            if refund.status != "requested":
                return "conflict"
            refund.status, refund.modified = outcome, now_utc().replace(microsecond=0)
            refund.decisions_applied += 1
            return "ok"

    def set_stock(self, levels: list[tuple[str, int]]) -> None:
        """Quantities on sale, set absolutely (sending the same twice is harmless)."""
        with self.lock:
            for sku, quantity in levels:
                self.stock[sku] = quantity
                self.stock_updates.append((sku, quantity))


@dataclass
class SimItem:
    """A published item: its SKUs keyed by the shop's SKU code (outer id)."""

    id: str
    outer_id: str
    title: str
    fields: dict  # what the publish call carried, as sent
    skus: dict[str, dict] = field(default_factory=dict)  # sku code -> {color, price_fen, quantity, ...}


class ItemBook:
    """Items by the shop's outer id, which the platforms treat as unique per shop."""

    def __init__(self, first_id: int):
        self.lock = threading.Lock()
        self.items: dict[str, SimItem] = {}
        self._next = first_id

    def add(self, outer_id: str, title: str, fields: dict, skus: dict[str, dict] | None = None) -> tuple[str, bool]:
        """(item id, created): the same outer id again answers the existing item."""
        with self.lock:
            if outer_id in self.items:
                return self.items[outer_id].id, False
            self._next += 1
            self.items[outer_id] = SimItem(str(self._next), outer_id, title, fields, dict(skus or {}))
            return str(self._next), True

    def by_id(self, item_id: str) -> SimItem | None:
        with self.lock:
            return next((i for i in self.items.values() if i.id == str(item_id)), None)

    def add_sku(self, item_id: str, sku_code: str, sku: dict) -> str:
        """'ok', 'already' (that SKU code is on the item) or 'unknown' (no such item)."""
        with self.lock:
            item = next((i for i in self.items.values() if i.id == str(item_id)), None)
            if item is None:
                return "unknown"
            if sku_code in item.skus:
                return "already"
            item.skus[sku_code] = sku
            return "ok"

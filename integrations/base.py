"""The adapter contract: plain DTOs, errors, and a registry keyed by platform code.

Adapters turn platform JSON into these dataclasses and back; the back office
stores and decides, the adapters only translate and transport. Times are
UTC-aware datetimes, money is integer fen.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator


# -- DTOs ---------------------------------------------------------------------
# Plain (not frozen) dataclasses: a large pull builds hundreds of thousands of
# them, and frozen ones cost several times more to create.
@dataclass
class Receiver:
    name: str
    phone: str
    province: str
    city: str
    district: str
    address: str


@dataclass
class OrderLine:
    platform_line_id: str
    sku_code: str  # the shop's own code (outer id) as typed on the platform
    title: str
    quantity: int
    price_fen: int


@dataclass
class Order:
    platform: str
    platform_order_id: str
    status: str  # our code: awaiting_payment, to_ship, shipped, completed, closed
    platform_status: str  # what the platform said, kept for support questions
    created_at: dt.datetime
    modified_at: dt.datetime
    paid_fen: int
    receiver: Receiver
    lines: tuple[OrderLine, ...]
    buyer_note: str = ""


@dataclass
class Refund:
    platform: str
    platform_refund_id: str
    platform_order_id: str
    status: str  # requested, agreed, refused, closed, succeeded
    platform_status: str
    amount_fen: int
    reason: str
    modified_at: dt.datetime
    goods_returned: bool = False


@dataclass
class Return:
    platform: str
    platform_return_id: str
    platform_order_id: str
    status: str
    courier_code: str
    tracking_number: str
    modified_at: dt.datetime


@dataclass
class Review:
    platform: str
    platform_review_id: str
    platform_order_id: str
    rating: str  # good, neutral, bad
    content: str
    created_at: dt.datetime
    buyer: str = ""  # the buyer's nickname as the platform shows it


@dataclass
class ReviewReply:
    """The shop's five-star counter-review (回评) of a buyer's review."""

    platform_order_id: str
    platform_review_id: str
    content: str


@dataclass
class Shipment:
    platform_order_id: str
    courier_code: str  # Kuaidi100 company code: yuantong, zhongtong, youzhengguonei ...
    tracking_number: str


@dataclass
class RefundDecision:
    """The seller's answer to a refund or return request."""

    platform_refund_id: str
    platform_order_id: str
    agree: bool
    amount_fen: int
    goods_returned: bool = False  # a return (退货退款) rather than a refund only
    reason: str = ""  # why it is refused; the platforms require one


@dataclass
class StockLevel:
    sku_code: str
    quantity: int


@dataclass
class ListingSku:
    sku_code: str  # the shop's own code (outer SKU id): orders and stock pushes find the SKU by it
    color: str
    price_fen: int
    quantity: int
    size: str = ""
    image_url: str = ""


@dataclass
class Listing:
    """A listing to publish. ``outer_id`` (the listing code) is the idempotency
    key: publishing the same outer id again answers with the item it made."""

    outer_id: str
    title: str
    description: str  # plain text
    detail_html: str  # the detail page (宝贝详情)
    skus: tuple[ListingSku, ...]
    image_urls: tuple[str, ...] = ()  # main images, in order
    category_id: str = ""  # the platform's category number
    # SPEC §1.6 as drafted: shipping_template, ships_from_province/city, stock_reduction, service ...
    settings: dict[str, Any] = field(default_factory=dict)

    @property
    def price_fen(self) -> int:
        """The item's price as platforms show it: the lowest SKU price."""
        return min(s.price_fen for s in self.skus)

    @property
    def quantity(self) -> int:
        return sum(s.quantity for s in self.skus)


@dataclass
class TrackingEvent:
    at: dt.datetime
    text: str
    state: str  # our code, see integrations.kuaidi100.adapter.STATES


@dataclass(frozen=True)
class Credentials:
    """What a shop's connection needs; stored encrypted by the back office."""

    app_key: str
    app_secret: str
    access_token: str = ""
    endpoint: str = ""  # base URL; empty means the platform's production address
    extra: dict[str, Any] = field(default_factory=dict)


# -- errors -------------------------------------------------------------------
class PlatformError(Exception):
    """A call the platform refused or that could not be completed."""

    retryable = False

    def __init__(self, message: str, code: str = "", sub_code: str = ""):
        super().__init__(message)
        self.code, self.sub_code = str(code), str(sub_code)

    def __str__(self) -> str:
        parts = [p for p in (self.code, self.sub_code) if p]
        return f"[{'/'.join(parts)}] {self.args[0]}" if parts else str(self.args[0])


class RateLimited(PlatformError):
    retryable = True


class Unavailable(PlatformError):
    """5xx, timeouts, connection resets, malformed answers: try again later."""

    retryable = True


class AuthExpired(PlatformError):
    """The shop's token is expired or revoked: a person must re-authorise."""


class SignatureRejected(PlatformError):
    pass


class InvalidRequest(PlatformError):
    pass


class AlreadyDone(PlatformError):
    """The platform already holds this change (e.g. the order is shipped)."""


# -- the contract ---------------------------------------------------------------
class Unsupported(PlatformError):
    """The platform's API offers no such operation (see PlatformAdapter.features)."""


class PlatformAdapter:
    """Every operation the back office asks of a platform. An adapter overrides
    those its platform's API offers and names them in ``features``; the others
    refuse with Unsupported, so callers ask ``supports`` first."""

    code: str = ""
    features: frozenset[str] = frozenset()
    max_window: dt.timedelta = dt.timedelta(days=1)  # longest window one incremental query may span
    settle_lag: dt.timedelta = dt.timedelta(minutes=1)  # how far behind the server's clock a window must end

    def order_pages(self, start: dt.datetime, end: dt.datetime) -> Iterator[list[Order]]:
        """Every order modified in [start, end], page by page, in the paging
        order the platform requires (backwards where it says so)."""
        raise Unsupported(f"{self.code} lists no orders")

    def refund_pages(self, start: dt.datetime, end: dt.datetime) -> Iterator[list[Refund]]:
        raise Unsupported(f"{self.code} lists no refunds")

    def review_pages(self, start: dt.datetime, end: dt.datetime) -> Iterator[list[Review]]:
        raise Unsupported(f"{self.code} lists no reviews")

    def confirm_shipment(self, shipment: Shipment) -> None:
        """Raises AlreadyDone when the platform has this shipment already."""
        raise Unsupported(f"{self.code} takes no shipments")

    def reply_review(self, reply: ReviewReply) -> None:
        raise Unsupported(f"{self.code} takes no review replies")

    def decide_refund(self, decision: RefundDecision) -> None:
        raise Unsupported(f"{self.code} takes no refund decisions")

    def push_stock(self, levels: list[StockLevel]) -> None:
        raise Unsupported(f"{self.code} takes no stock levels")

    def publish_listing(self, listing: Listing) -> str:
        """Returns the platform's item id."""
        raise Unsupported(f"{self.code} takes no listings")


OPERATIONS = frozenset(name for name, value in vars(PlatformAdapter).items()
                       if callable(value) and not name.startswith("_"))


# Every channel an order can come from: the platforms, the livestream room and
# orders typed by hand. The one list of platform codes; those with a registered
# adapter are pulled and told of changes (see order_platforms).
CHANNELS = ("taobao", "mogujie", "pinduoduo", "douyin", "live", "manual")

_REGISTRY: dict[str, Callable[..., Any]] = {}


def register(code: str):
    def decorate(factory):
        _REGISTRY[code] = factory
        return factory

    return decorate


def adapter_for(code: str, credentials: Credentials, **options) -> Any:
    """The adapter for a platform code ('taobao', 'pinduoduo', ...)."""
    import integrations  # noqa: F401  (importing the package registers every adapter)

    try:
        factory = _REGISTRY[code]
    except KeyError:
        raise KeyError(f"no adapter for platform {code!r}") from None
    return factory(credentials, **options)


def supports(code: str, operation: str) -> bool:
    """Whether the platform's adapter offers `operation` (decide_refund, push_stock ...)."""
    import integrations  # noqa: F401

    if operation not in OPERATIONS:
        raise KeyError(f"no adapter operation {operation!r}")
    return operation in getattr(_REGISTRY.get(code), "features", ())


def registered() -> list[str]:
    import integrations  # noqa: F401

    return sorted(_REGISTRY)


def order_platforms() -> tuple[str, ...]:
    """The channels whose adapter pulls orders and takes shipments, in CHANNELS order."""
    return tuple(code for code in CHANNELS if supports(code, "order_pages") and supports(code, "confirm_shipment"))

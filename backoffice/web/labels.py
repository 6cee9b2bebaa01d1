"""Display labels for the codes stored in the database."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

LABELS = {
    "order_status": {
        "pending": _l("Awaiting payment"), "paid": _l("To ship"), "shipped": _l("Shipped"),
        "completed": _l("Completed"), "cancelled": _l("Cancelled"), "closed": _l("Closed"),
    },
    "stock_status": {"unknown": _l("Not checked"), "in_stock": _l("In stock"), "short": _l("Out of stock")},
    "platform": {
        "taobao": _l("Taobao"), "mogujie": _l("Mogujie"), "pinduoduo": _l("Pinduoduo"),
        "douyin": _l("Douyin"), "live": _l("Livestream"), "manual": _l("Manual"),
    },
    "product_kind": {
        "normal": _l("Normal"), "streamer": _l("Streamer link"), "flash": _l("Flash sale"), "unique": _l("Unique item"),
    },
    "listing_status": {
        "draft": _l("Draft"), "ready": _l("Ready"), "published": _l("Published"), "archived": _l("Archived"),
    },
    "refund_kind": {"refund_only": _l("Refund only"), "return": _l("Return and refund")},
    "refund_status": {
        "pending": _l("Pending"), "awaiting_return": _l("Awaiting return"), "received": _l("Received"),
        "refunded": _l("Refunded"), "refused": _l("Refused"), "closed": _l("Closed"),
    },
    "job_status": {"running": _l("Running"), "succeeded": _l("Succeeded"), "failed": _l("Failed")},
    "role": {
        "admin": _l("Administrator"), "supervisor": _l("Supervisor"), "listing": _l("Listing staff"),
        "service": _l("Customer service"), "warehouse": _l("Warehouse"),
    },
    "outbox_kind": {"shipment": _l("Shipment confirmation")},
    "auth_status": {"none": _l("Not connected"), "ok": _l("Connected"), "expired": _l("Needs re-authorisation")},
}


def label(kind: str, value: str | None) -> str:
    if value is None:
        return ""
    return str(LABELS[kind].get(value, value))

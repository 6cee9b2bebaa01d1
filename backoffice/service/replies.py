"""Quick replies: templates with {placeholders} filled from the order."""
from __future__ import annotations

import string

PLACEHOLDERS = ("order_number", "platform_order_id", "amount", "tracking_number")


def render_reply(body: str, order) -> str:
    values = {
        "order_number": order.number,
        "platform_order_id": order.platform_order_id,
        "amount": f"{order.paid_fen / 100:.2f}",
        "tracking_number": order.tracking_number or "",
    }
    # unknown placeholders stay as written instead of failing the whole page
    return string.Formatter().vformat(body, (), _Keep(values))


class _Keep(dict):
    def __missing__(self, key):
        return "{" + key + "}"

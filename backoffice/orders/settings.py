"""Reading and changing the editable order rules (rows of ``order_settings``)."""
from __future__ import annotations

from typing import Any

from backoffice.db import session
from backoffice.orders.models import OrderSetting


def get(key: str) -> Any:
    row = session.get(OrderSetting, key)
    if row is None:
        raise KeyError(f"order setting {key!r} is missing (run `backoffice db upgrade`)")
    return row.value


def put(key: str, value: Any) -> None:
    row = session.get(OrderSetting, key)
    if row is None:
        raise KeyError(key)
    row.value = value
    session.flush()

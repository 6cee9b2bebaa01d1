"""Refuse text the database cannot keep as typed, before it reaches the database.

Every flush checks the String(length) columns of what it writes: a value
longer than its column, or one with a NUL byte (PostgreSQL cannot store it),
is refused with a message naming the field, instead of a 500 from
PostgreSQL (StringDataRightTruncation) or a silent difference on SQLite, which
would keep the long value. Forms and imports catch it as an OperationError.
"""
from __future__ import annotations

import os

from flask_babel import lazy_gettext as _l
from PIL import Image
from sqlalchemy import String, event, inspect
from sqlalchemy.orm import Session

from backoffice.errors import OperationError

# Column names as staff see them on the forms; other columns are named as stored.
FIELD_NAMES = {
    "name": _l("Name"), "title": _l("Title"), "note": _l("Note"), "code": _l("Code"),
    "tracking_number": _l("Tracking number"), "username": _l("Username"), "display_name": _l("Display name"),
    "buyer": _l("Buyer"), "buyer_id": _l("Buyer account"), "reason": _l("Reason"), "description": _l("Description"),
    "receiver_name": _l("Receiver"), "receiver_phone": _l("Phone"), "address_detail": _l("Address"),
    "address_raw": _l("Address"), "sku_code": _l("SKU code"), "listing_code": _l("Listing code"),
    "model": _l("Model number"), "color": _l("Colour"), "word": _l("Word"), "pinyin": _l("Pinyin"),
    "pinyin_code": _l("Pinyin code"), "price_formula": _l("Price formula"), "formula": _l("Price formula"),
    "material": _l("Material"), "shape": _l("Shape"), "symptom": _l("Symptom"), "product": _l("Product"),
    "platform_order_id": _l("Order number"), "restock_location": _l("Restock location"),
    "courier_code": _l("Courier"), "original_name": _l("File name"), "source_folder": _l("Folder"),
    "streamer_name": _l("Streamer"), "asked_by": _l("Asked by"), "refusal_reason": _l("Refusal reason"),
}


# One image limit for every upload and import (listing photos, case evidence):
# checked from the header, before any pixel is decoded. 60 Mpx is well above
# any camera or phone photo; Pillow's own bomb check is set to the same number.
MAX_IMAGE_PIXELS = int(float(os.environ.get("BACKOFFICE_MAX_IMAGE_MEGAPIXELS") or 60) * 1_000_000)
Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS


def image_too_large(width: int, height: int) -> bool:
    return width * height > MAX_IMAGE_PIXELS


def image_size_refusal(name: str, width: int | None = None, height: int | None = None) -> str:
    size = f"{width}×{height}" if width else "?"
    return str(_l("%(name)s is %(size)s pixels; at most %(limit)d megapixels are accepted.",
                  name=name, size=size, limit=MAX_IMAGE_PIXELS // 1_000_000))


# Ids are 32-bit on every database the shop runs on; a longer number names no row.
MAX_ID = 2**31 - 1


def row_id(text: str | None) -> int | None:
    """The id a form names, or None when it is not one (not digits, or beyond any row)."""
    text = (text or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 10 or int(text) > MAX_ID:
        return None
    return int(text)


class ValueRefused(OperationError):
    """A text value that cannot be stored as it is; ``field`` is the column's name."""


def field_name(column: str) -> str:
    return str(FIELD_NAMES.get(column, column))


def check_text(column: str, value: str, length: int | None) -> None:
    if "\x00" in value:
        raise ValueRefused(_l("%(field)s contains a NUL character; remove it and try again.",
                              field=field_name(column)), column)
    if length is not None and len(value) > length:
        raise ValueRefused(_l("%(field)s is too long: at most %(limit)d characters, this has %(n)d.",
                              field=field_name(column), limit=length, n=len(value)), column)


def check_column(attribute, value: str) -> None:
    """Check a value against a mapped column (``Model.column``), for writes that bypass the session."""
    check_text(attribute.key, value, attribute.property.columns[0].type.length)


def _check_object(obj) -> None:
    mapper = inspect(obj).mapper
    for attr in mapper.column_attrs:
        column = attr.columns[0]
        if not isinstance(column.type, String):
            continue
        value = getattr(obj, attr.key, None)
        if isinstance(value, str):
            check_text(attr.key, value, column.type.length)


@event.listens_for(Session, "before_flush")
def _refuse_what_cannot_be_stored(session: Session, _context, _instances) -> None:
    for obj in list(session.new) + [o for o in session.dirty if session.is_modified(o)]:
        _check_object(obj)

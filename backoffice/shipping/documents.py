"""What the warehouse prints, as plain data: pick lists, packing slips, labels.
Pure: built from rows the caller loaded in a few queries."""
from __future__ import annotations

from dataclasses import dataclass, field

from backoffice.masking import mask_address, mask_name, mask_phone


@dataclass(frozen=True)
class SlipLine:
    sku_code: str
    title: str
    color: str
    location: str
    quantity: int


@dataclass(frozen=True)
class Slip:
    """One parcel: a packing slip (发货单) and a waybill label."""

    order_number: str
    platform_order_id: str
    shop: str
    courier: str
    tracking_number: str
    receiver_name: str
    receiver_phone: str
    address: str
    memo: str
    lines: tuple[SlipLine, ...]
    region: str = ""  # province, city, district: what a masked address keeps

    @property
    def item_count(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def receiver_masked(self) -> str:
        """The receiver as a packing slip shows it, in HTML and PDF alike: the
        slip goes inside the parcel, so it is masked as on every list. Only the
        label, which the courier needs, carries the full data."""
        where = mask_address(self.region, None, None, "street") if self.region else "****"
        return f"{mask_name(self.receiver_name)} {mask_phone(self.receiver_phone)} · {where}"


@dataclass
class PickRow:
    sku_code: str
    title: str
    color: str
    location: str
    quantity: int = 0
    orders: set[str] = field(default_factory=set)

    @property
    def order_count(self) -> int:
        return len(self.orders)


def _location_key(location: str) -> tuple:
    """Shelf order: A-03-2 before A-10-1; unknown locations last."""
    if not location:
        return (1, ())
    parts = location.replace("_", "-").split("-")
    return (0, tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts))


def pick_list(slips: list[Slip]) -> list[PickRow]:
    """Quantity per SKU over the wave, sorted by shelf location so one walk picks it all."""
    rows: dict[str, PickRow] = {}
    for slip in slips:
        for line in slip.lines:
            row = rows.get(line.sku_code)
            if row is None:
                row = rows[line.sku_code] = PickRow(line.sku_code, line.title, line.color, line.location)
            row.quantity += line.quantity
            row.orders.add(slip.order_number)
    return sorted(rows.values(), key=lambda r: (_location_key(r.location), r.sku_code))

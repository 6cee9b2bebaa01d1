"""Waves, pick lists, packing slips and labels: HTML and PDF, barcodes that decode."""
from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader
from reportlab.graphics.barcode.code128 import _patterns

from backoffice.orders.models import Order
from backoffice.shipping import operations, pdf
from backoffice.shipping.documents import pick_list
from backoffice.shipping.queries import slips_for, wave_orders
from tests import factories as f

ADDRESSES = ["浙江省杭州市西湖区文三路478号", "广东省广州市天河区天河路385号", "新疆乌鲁木齐市天山区解放南路1号",
             "北京市朝阳区建国路88号"]


@pytest.fixture
def wave(db):
    black = f.parcel_sku("daming-D-998-heise", location="A-10-1")
    red = f.parcel_sku("daming-D-998-hongse", color="红色", location="A-03-2")
    tote = f.parcel_sku("xiaoli-T-12-mise", color="米色", location="B-01-1")
    orders = [
        f.parcel_order(ADDRESSES[0], [(black, 1)]),
        f.parcel_order(ADDRESSES[1], [(black, 2), (red, 1)], memo="送小镜子"),
        f.parcel_order(ADDRESSES[2], [(tote, 1)]),
        f.parcel_order(ADDRESSES[3], [(red, 1)]),
    ]
    operations.route_orders([o.id for o in orders])
    w = operations.create_wave(max_count=10)
    db.flush()
    return w


def test_wave_takes_single_item_orders_first_and_respects_the_maximum(db, wave):
    orders = wave_orders(wave.id)
    assert [o.item_count for o in orders] == [1, 1, 1, 3]
    with pytest.raises(Exception, match="没有符合条件"):
        operations.create_wave()
    extra = f.parcel_order(ADDRESSES[0], [(f.parcel_sku("daming-D-998-heise"), 1)])
    assert [i.order_id for i in operations.create_wave(max_count=1).items] == [extra.id]


def test_pick_list_totals_per_sku_sorted_by_location(db, wave):
    rows = pick_list(slips_for(wave_orders(wave.id)))
    assert [(r.location, r.sku_code, r.quantity, r.order_count) for r in rows] == [
        ("A-03-2", "daming-D-998-hongse", 2, 2),
        ("A-10-1", "daming-D-998-heise", 3, 2),
        ("B-01-1", "xiaoli-T-12-mise", 1, 1),
    ]


def decode_code128(widths: list[int]) -> str:
    """Module widths (bar, space, bar, ...) → text; an independent reading of what was drawn."""
    table = {pattern: value for value, pattern in _patterns.items()}
    symbols = []
    for i in range(0, len(widths) - 7, 6):
        pattern = "".join((chr(64 + w) if k % 2 == 0 else chr(96 + w)) for k, w in enumerate(widths[i:i + 6]))
        symbols.append(table[pattern])
    start, *data, check = symbols
    assert (start + sum(i * v for i, v in enumerate(data, 1))) % 103 == check, "checksum"
    mode, out = {103: "A", 104: "B", 105: "C"}[start], ""
    for v in data:
        if v in (99, 100, 101) and not (mode == "A" and v == 101 or mode == "B" and v == 100):
            mode = {99: "C", 100: "B", 101: "A"}[v]
        elif mode == "C":
            out += f"{v:02d}"
        else:
            out += chr(v + 32)
    return out


def barcodes_on_page(page) -> list[str]:
    """Group the filled rectangles of the page into barcodes (same y and height) and decode each."""
    content = page.get_contents().get_data().decode("latin-1")
    rects = [tuple(map(float, m)) for m in re.findall(r"([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+) re f", content)]
    groups: dict[tuple[float, float], list[tuple[float, float]]] = {}
    for x, y, w, h in rects:
        groups.setdefault((round(y, 2), round(h, 2)), []).append((x, w))
    found = []
    for bars in groups.values():
        bars.sort()
        module = min(w for _, w in bars)
        widths = []
        for i, (x, w) in enumerate(bars):
            widths.append(round(w / module))
            if i + 1 < len(bars):
                widths.append(round((bars[i + 1][0] - x - w) / module))
        found.append(decode_code128(widths))
    return found


def test_pdf_pick_list_slips_and_labels(db, wave):
    slips = slips_for(wave_orders(wave.id))
    numbers = [s.order_number for s in slips]

    picks = PdfReader(io.BytesIO(pdf.pick_list_pdf(pick_list(slips), "拣货单 波次 1", len(slips))))
    assert len(picks.pages) == 1
    text = picks.pages[0].extract_text()
    assert "拣货单" in text and "A-03-2" in text and "13912345678" not in text and "139****5678" not in text
    assert sorted(barcodes_on_page(picks.pages[0])) == sorted(
        ["daming-D-998-hongse", "daming-D-998-heise", "xiaoli-T-12-mise"])

    slip_pdf = PdfReader(io.BytesIO(pdf.slips_pdf(slips)))
    assert len(slip_pdf.pages) == len(slips) == 4
    assert [barcodes_on_page(p) for p in slip_pdf.pages] == [[n] for n in numbers]
    assert "送小镜子" in slip_pdf.pages[numbers.index(next(s.order_number for s in slips if s.memo))].extract_text()

    labels = PdfReader(io.BytesIO(pdf.labels_pdf(slips, "店铺发货仓")))
    assert len(labels.pages) == 4
    width, height = (float(v) for v in labels.pages[0].mediabox[2:])
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (100, 180)


def test_long_pick_list_runs_over_several_pages(db):
    from backoffice.shipping.documents import PickRow

    rows = [PickRow(f"sku-{i:03d}", "手提包", "黑色", f"C-{i:02d}-1", 1, {"x"}) for i in range(40)]
    assert len(PdfReader(io.BytesIO(pdf.pick_list_pdf(rows, "拣货单", 1))).pages) == 3


def test_printable_pages_and_marking_printed(db, login_as, wave):
    wave_id = wave.id
    numbers = [o.number for o in wave_orders(wave_id)]
    client = login_as("warehouse")
    page = client.get(f"/shipping/waves/{wave_id}").get_data(as_text=True)
    assert "邮政" in page and "#50 新疆走邮政" in page  # the decision shows where the courier shows
    picks = client.get(f"/shipping/waves/{wave_id}/pick-list").get_data(as_text=True)
    assert picks.count('<svg class="barcode"') == 3 and "139" not in picks and "print.css" in picks
    slips = client.get(f"/shipping/waves/{wave_id}/slips").get_data(as_text=True)
    assert all(f'aria-label="{n}"' in slips for n in numbers) and "139****5678" in slips
    labels = client.get(f"/shipping/waves/{wave_id}/labels").get_data(as_text=True)
    assert labels.count('class="label"') == 4
    response = client.get(f"/shipping/waves/{wave_id}/slips.pdf")
    assert response.mimetype == "application/pdf" and response.data.startswith(b"%PDF")
    assert response.status_code == 200
    marked = client.post(f"/shipping/waves/{wave_id}/printed", token_from=f"/shipping/waves/{wave_id}")
    assert marked.status_code == 302 and "print=1" in marked.headers["Location"]
    assert db.query(Order).filter(Order.number.in_(numbers), Order.waybill_printed_at.is_(None)).count() == 0


def test_service_staff_see_waves_but_cannot_print(db, login_as, wave):
    wave_id = wave.id
    client = login_as("service")
    assert client.get(f"/shipping/waves/{wave_id}").status_code == 200
    assert client.get(f"/shipping/waves/{wave_id}/pick-list").status_code == 403


def test_warehouse_selects_a_wave_from_the_form(db, login_as):
    bag = f.parcel_sku("daming-D-998-heise")
    two = f.parcel_order(ADDRESSES[1], [(bag, 2)])
    one = f.parcel_order(ADDRESSES[0], [(bag, 1)])
    operations.route_orders([two.id, one.id])
    one_id = one.id
    db.commit()
    client = login_as("warehouse")
    bad = client.post("/shipping/waves", {"max_count": "0", "single_first": "y"}, token_from="/shipping/waves")
    assert bad.status_code == 200 and "请填写 1 到 5000 单" in bad.get_data(as_text=True)
    made = client.post("/shipping/waves", {"max_count": "1", "single_first": "y", "courier_code": "",
                                           "shop_id": "0"}, token_from="/shipping/waves")
    assert made.status_code == 302
    wave_id = int(made.headers["Location"].rstrip("/").split("/")[-1])
    assert [o.id for o in wave_orders(wave_id)] == [one_id]
    packing = client.get("/shipping/packing").get_data(as_text=True)
    assert "packing.js" in packing and "请扫描发货单上的订单条码" in packing


def test_html_and_pdf_slips_mask_the_receiver_the_same_way(db, login_as, wave):
    """Slips go inside the parcel: masked as on every list, the same on paper
    and on screen; only the labels carry what the courier needs."""
    wave_id = wave.id
    slips = slips_for(wave_orders(wave_id))
    db.commit()
    client = login_as("warehouse")
    html = client.get(f"/shipping/waves/{wave_id}/slips").get_data(as_text=True)
    pages = [re.sub(r"\s+", "", p.extract_text()) for p in PdfReader(io.BytesIO(
        client.get(f"/shipping/waves/{wave_id}/slips.pdf").data)).pages]
    assert "李* 139****5678 · 浙江省 杭州市 西湖区 ****" in [s.receiver_masked for s in slips]
    for slip, page in zip(slips, pages):
        assert f"<p>{slip.receiver_masked}</p>" in html
        assert re.sub(r"\s+", "", slip.receiver_masked) in page
    for full in ("李娜", "13912345678", "文三路478号", "天河路385号", "解放南路1号", "建国路88号"):
        assert full not in html and not any(full in page for page in pages)
    labels = client.get(f"/shipping/waves/{wave_id}/labels").get_data(as_text=True)
    assert "李娜" in labels and "13912345678" in labels and "文三路478号" in labels


def test_printing_labels_is_audited_with_the_wave_the_user_and_the_parcels(app, db, login_as, wave):
    from sqlalchemy import select

    from backoffice.accounts import audit_display
    from backoffice.accounts.models import AuditEntry

    wave_id = wave.id
    db.commit()
    client = login_as("warehouse")
    assert client.get(f"/shipping/waves/{wave_id}/labels").status_code == 200
    assert client.get(f"/shipping/waves/{wave_id}/labels.pdf").status_code == 200
    client.get(f"/shipping/waves/{wave_id}/slips")  # masked: nothing personal to record
    client.get(f"/shipping/waves/{wave_id}/pick-list")
    entries = db.scalars(select(AuditEntry).where(AuditEntry.action.like("labels%"))
                         .order_by(AuditEntry.id)).all()
    assert [(e.username, e.target, e.detail) for e in entries] == [
        ("warehouse-user", f"wave:{wave_id}", {"parcels": 4, "document": "labels"}),
        ("warehouse-user", f"wave:{wave_id}", {"parcels": 4, "document": "labels.pdf"})]
    with app.test_request_context():
        assert audit_display.target(entries[0])[0] == f"波次 {wave_id}"
        assert audit_display.details(entries[1]) == [("包裹数", "4"), ("单据", "快递面单（PDF）")]
    html = login_as("supervisor").get("/audit?action=labels.print").get_data(as_text=True)
    assert "打印含完整收件信息的面单" in html and "warehouse-user" in html and f"波次 {wave_id}" in html

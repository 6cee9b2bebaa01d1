"""No export writes a cell a spreadsheet would run: formula-like text stays text (issue 12, item 6)."""
from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from openpyxl import Workbook, load_workbook

from backoffice.outbox import enqueue
from backoffice.service.models import Complaint
from integrations.cells import csv_row, xlsx_row
from tests import factories
from tests.aftersales.test_returns import returned_order, scan

HOSTILE = ['=HYPERLINK("http://x.example/steal","点击领取")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)",
           "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("value, formula_like", [
    ('=HYPERLINK("http://x","y")', True), ("+86 138", True), ("-12.50", True), ("@user", True),
    ("\tx", True), ("\rx", True), ("韩版小方包", False), ("12.50", False), ("a=b", False), (" =1", False),
    ("'=1", False)])
def test_the_helper_writes_formula_like_text_as_text(value, formula_like):
    assert csv_row([value]) == (["'" + value] if formula_like else [value])
    book = Workbook()
    book.active.append(xlsx_row(book.active, [value, -12.5, 3]))
    buffer = io.BytesIO()
    book.save(buffer)
    cells = list(load_workbook(io.BytesIO(buffer.getvalue())).active.iter_rows())[0]
    assert cells[0].data_type == "s"  # read back as text, unchanged (XML reads a CR as a line feed)
    assert cells[0].value == value.replace("\r", "\n")
    assert (cells[1].value, cells[1].data_type, cells[2].value) == (-12.5, "n", 3)  # negative money stays a number


# -- every export path, fed one hostile value through the field staff or buyers write ---------------------------
def _catalog(platform):
    def setup(db, value):
        item = factories.listing()
        if platform == "mogujie":
            item.shop = factories.shop("mogujie", "娜好呀的包包")
        item.title = value
        db.commit()
        return "listing", f"/catalog/export.xlsx?platform={platform}"
    return setup


def _returns_register(db, value):
    returned_order(db, reason=value)
    return "service", "/aftersales/returns/register.xlsx", lambda client: scan(client, "YT1234567890")


def _monthly_report(db, value):
    at = dt.datetime(2026, 10, 5, 2, tzinfo=dt.timezone.utc)
    db.add(Complaint(buyer=value, reason="质量问题", detail=value, received_at=at, first_answer_due=at,
                     investigation_due=at))
    db.commit()
    return "supervisor", "/service/reports/monthly.xlsx?month=2026-10"


def _mogujie_shipping_sheet(db, value):
    shop = factories.shop("mogujie", "蘑菇街小店")
    shop.auth_status = "none"
    message = enqueue(shop.id, "shipment", "shipment:mogujie:M2001",
                      {"platform_order_id": "M2001", "courier_code": "yuantong", "tracking_number": value})
    db.commit()
    return "supervisor", f"/sync/shops/{shop.id}/shipping-sheet?upto={message.id}"


EXPORTS = {"catalog-taobao": _catalog("taobao"), "catalog-mogujie": _catalog("mogujie"),
           "returns-register": _returns_register, "monthly-report": _monthly_report,
           "mogujie-shipping-sheet": _mogujie_shipping_sheet}


@pytest.mark.parametrize("value", [HOSTILE[0], HOSTILE[3], HOSTILE[4]], ids=["hyperlink", "at", "tab"])
@pytest.mark.parametrize("export", EXPORTS)
def test_every_export_holds_the_hostile_value_as_text(export, value, db, login_as):
    role, url, *before = EXPORTS[export](db, value)
    client = login_as(role)
    for step in before:
        step(client)
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)
    if url.split("?")[0].endswith(".xlsx"):
        book = load_workbook(io.BytesIO(response.data))
        cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
        assert [c.coordinate for c in cells if c.data_type == "f"] == []
        hits = [c for c in cells if c.value == value]
        assert hits and all(c.data_type == "s" for c in hits)
    else:
        cells = [c for row in csv.reader(io.StringIO(response.data.decode("utf-8-sig"))) for c in row]
        assert "'" + value in cells and value not in cells
        assert [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")] == []

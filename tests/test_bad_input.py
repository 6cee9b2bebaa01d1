"""The named cases of bad input: each gets a specific Chinese error and saves nothing."""
from __future__ import annotations

import io
import re
import zipfile

import pytest
from PIL import Image
from sqlalchemy import func, select

from backoffice.cases.models import AfterSalesCase, CaseEvidence
from backoffice.catalog.models import Product
from backoffice.orders import spreadsheet
from backoffice.orders.models import Order
from tests import factories
from tests.cases.test_aftersales_cases import _open, stocked_order
from tests.cases.test_aftersales_cases import _upload as upload_evidence
from tests.orders.test_orders_views import GOOD, HEADER, shop  # noqa: F401  (fixture)
from tests.orders.test_orders_views import upload as upload_orders
from tests.supplier_folders import supplier_folder, zipped


def count(db, model) -> int:
    return db.scalar(select(func.count()).select_from(model))


# -- catalog zip imports ------------------------------------------------------------
@pytest.fixture
def listing_staff(db, login_as):
    factories.shop("taobao", "娜好呀")
    db.commit()
    return login_as("listing")


def upload_zip(staff, path):
    return staff.post("/catalog/import", {"store": "娜好呀", "archive": (open(path, "rb"), path.name)},
                      token_from="/catalog/import", content_type="multipart/form-data")


def test_a_zip_with_a_bad_crc_is_refused_naming_the_file(listing_staff, db, tmp_path):
    archive = zipped(supplier_folder(tmp_path, "大明&D-7001", ("黑色",), models_per_colour=1), tmp_path / "crc.zip")
    with zipfile.ZipFile(archive) as zf:
        victim = next(i for i in zf.infolist() if not i.is_dir())
    data = bytearray(archive.read_bytes())
    start = victim.header_offset + 30 + len(victim.orig_filename.encode()) + len(victim.extra)
    data[start + victim.compress_size // 2] ^= 0xFF  # one flipped byte inside the first member's data
    archive.write_bytes(bytes(data))
    response = upload_zip(listing_staff, archive)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "zip 中的这个文件已损坏或无法解压" in page and victim.filename.rsplit("/", 1)[-1] in page
    assert count(db, Product) == 0


def test_a_zip_bomb_is_refused_from_its_directory_before_anything_is_written(listing_staff, db, tmp_path,
                                                                           monkeypatch):
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("大明&D-7002/模特图/模特-黑色-1.jpg", b"\0" * (50 * 1024 ** 2))  # 50 MB of zeros: ~50 KB
    written = []
    monkeypatch.setattr("shutil.copyfileobj", lambda *a, **k: written.append(a))
    response = upload_zip(listing_staff, archive)
    assert response.status_code == 422 and written == []
    assert "该文件的压缩比超过 100 倍，像是 zip 炸弹" in response.get_data(as_text=True)

    monkeypatch.setenv("BACKOFFICE_IMPORT_MAX_UNZIPPED_MB", "20")  # the declared total, as a setting
    response = upload_zip(listing_staff, archive)
    assert response.status_code == 422 and written == []
    assert "该 zip 文件解压后有 50 MB，最多接受 20 MB。" in response.get_data(as_text=True)


@pytest.mark.parametrize("name, message", [
    ("大明&" + "包" * 197, "名称太长（200 个字符），请缩短文件夹名或文件名。"),  # 600 bytes: more than a file system takes
    ("大明&D-" + "8" * 195, "型号 太长：最多 64 个字符"),  # fits on disk, not in the model column
])
def test_a_folder_name_of_200_characters_is_refused_by_name(listing_staff, db, tmp_path, name, message):
    assert len(name) == 200
    if len(name.encode()) <= 255:
        archive = zipped(supplier_folder(tmp_path, name, ("黑色",), models_per_colour=3), tmp_path / "long.zip")
    else:  # cannot even be made on disk here
        archive = tmp_path / "long.zip"
        with zipfile.ZipFile(archive, "w") as zf:
            zf.writestr(f"{name}/模特图/模特-黑色-1.jpg", b"x")
    response = upload_zip(listing_staff, archive)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and message in page, re.sub(r"<[^>]+>", " ", page)[-1500:]
    assert count(db, Product) == 0


# -- case evidence --------------------------------------------------------------------
def huge_png(width=20000, height=20000) -> bytes:
    """A real PNG of 400 megapixels that is only a few hundred kB: one bit per pixel, all white."""
    buffer = io.BytesIO()
    Image.new("1", (width, height), 1).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


@pytest.mark.parametrize("width, height", [(20000, 20000), (8000, 8000)])  # beyond Pillow's 2x error / in its warning band
def test_an_image_beyond_60_megapixels_is_refused_as_evidence_before_decoding(login_as, db, width, height):
    number, _order_id, _sku_id = stocked_order(db)
    service = login_as("service")
    assert _open(service, number).status_code == 302
    case_id = db.scalar(select(AfterSalesCase.id))
    response = upload_evidence(service, case_id, "waybill", huge_png(width, height), "巨图.png")
    page = response.get_data(as_text=True)
    assert response.status_code == 422, page
    assert "巨图.png 为" in page and "像素，最多接受 60 百万像素。" in page
    assert count(db, CaseEvidence) == 0


# -- order files ----------------------------------------------------------------------
@pytest.mark.parametrize("content, message", [
    ("\n".join([HEADER, GOOD[0], GOOD[1].replace("RST182 小方包", "长" * 140_000)]), "第 3 行无法读取"),
    ("\n".join([HEADER, GOOD[0], GOOD[1].replace("RST182", "RST\x00182")]), "第 3 行含有 NUL 字符"),
])
def test_a_damaged_csv_is_refused_by_row_and_nothing_is_imported(login_as, db, shop, content, message):
    client = login_as("service")
    response = upload_orders(client, shop, content.encode("utf-8"))
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert count(db, Order) == 0


@pytest.mark.parametrize("price, reason", [
    ("1e20", "超过 1,000,000 元"), ("98765432109876543210", "超过 1,000,000 元"), ("1e9", "超过 1,000,000 元"),
    ("0.001", "比一分钱还细"),
])
def test_absurd_or_sub_fen_prices_in_a_file_are_refused_by_row(login_as, db, shop, price, reason):
    client = login_as("service")
    row = GOOD[0].replace(",1,53.00,", f",1,{price},")
    response = upload_orders(client, shop, "\n".join([HEADER, row]).encode("utf-8"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and '<td class="num">2</td>' in page
    assert reason in page and count(db, Order) == 0


@pytest.mark.parametrize("quantity", ["10000", "98765432109876543210", "1e20"])
def test_absurd_quantities_in_a_file_are_refused(login_as, db, shop, quantity):
    client = login_as("service")
    row = GOOD[0].replace(",1,53.00,", f",{quantity},53.00,")
    response = upload_orders(client, shop, "\n".join([HEADER, row]).encode("utf-8"))
    assert response.status_code == 422 and "数量" in response.get_data(as_text=True) and count(db, Order) == 0


@pytest.mark.parametrize("cell, read", [
    ('="3321000001"', "3321000001"), ("'3321000001", "3321000001"), ("=SUM(A1)", "=SUM(A1)"),
    ("'引号开头", "'引号开头"), ('"加引号"', '"加引号"'), ("==3", "==3"),
])
def test_only_the_platforms_number_quoting_is_undone(cell, read):
    assert spreadsheet.text_of(cell) == read


@pytest.mark.parametrize("text, error", [
    ("daming-D-1 10000", "第 1 行：10000 超过 9999 件"),
    ("daming-D-1 98765432109876543210", "第 1 行：98765432109876543210 超过 9999 件"),
    ("daming-D-1 1 0.001", "第 1 行：0.001 比一分钱还细（最多两位小数）"),
    ("daming-D-1 1 1e20", "第 1 行：1e20 超过 1,000,000 元"),
    ("daming-D-1 0", "第 1 行：请写商家编码、数量，可加单价"),
])
def test_manual_order_lines_refuse_absurd_quantities_and_prices(app, text, error):
    from backoffice.orders.manual import parse_lines

    with app.test_request_context():
        lines, errors = parse_lines(text, {"daming-D-1": 5300})
    assert lines == [] and errors == [error]


# -- text longer than its column, NUL in a form ----------------------------------------
def test_a_field_longer_than_its_column_is_refused_by_name_not_cut(login_as, db):
    from backoffice.service.models import CustomerIssue

    service = login_as("service")
    response = service.post("/service/issues", {"buyer": "孙" * 300, "problem": "少发挂件", "solution": "补发",
                                                 "promised_at": "2026-12-10T18:00"},
                            token_from="/service/", follow_redirects=True)  # the register shows it as a flash
    assert "买家 太长：最多 64 个字符，现为 300 个。" in response.get_data(as_text=True)
    assert count(db, CustomerIssue) == 0


def test_a_nul_byte_in_any_form_field_is_refused_by_name(login_as, db):
    from backoffice.service.models import CustomerIssue

    service = login_as("service")
    response = service.post("/service/issues", {"buyer": "孙\x00敏", "problem": "少发挂件", "solution": "补发"},
                            token_from="/service/")
    assert response.status_code == 400 and "买家 含有 NUL 字符，请删除后重试。" in response.get_data(as_text=True)
    assert count(db, CustomerIssue) == 0

"""The listing staff's pages: import wizard, product and draft editors, preview, export, rule editors."""
from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import load_workbook
from PIL import Image
from sqlalchemy import func, select

from backoffice import queue
from backoffice.catalog.models import Listing, PinyinOverride, PlatformRule, Product, SizeClass, StorePriceFormula, Supplier, VocabularyWord
from tests import factories
from tests.supplier_folders import photo, supplier_folder, zipped


@pytest.fixture
def staff(db, login_as):
    factories.shop("taobao", "娜好呀")
    factories.shop("mogujie", "娜好呀的包包")
    db.commit()
    return login_as("listing")


def _upload(staff, path, **fields):
    data = {"store": "娜好呀", **fields}
    if path is not None:
        data["archive"] = (open(path, "rb"), path.name)
    return staff.post("/catalog/import", data, token_from="/catalog/import", content_type="multipart/form-data")


def _import(staff, tmp_path, name, colours=("黑色", "白色")):
    folder = supplier_folder(tmp_path, name, colours, models_per_colour=3, stills_per_colour=2)
    response = _upload(staff, zipped(folder, tmp_path / f"{name}.zip"))
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.location.rsplit("/", 1)[1])


def test_zip_to_reviewed_drafts_in_the_browser(staff, db, tmp_path):
    product_id = _import(staff, tmp_path, "大明&D-5001")
    page = staff.get(f"/catalog/products/{product_id}").get_data(as_text=True)
    assert "daming-D-5001-heise" in page and "¥53.00" in page
    listing = db.scalar(select(Listing).join(Listing.shop).where(Listing.product_id == product_id,
                                                                 Listing.shop.has(platform="taobao")))
    listing_id, title, main = listing.id, listing.title, listing.images["main"]
    editor = staff.get(f"/catalog/listings/{listing_id}").get_data(as_text=True)
    assert title in editor and "picker.js" in editor
    preview = staff.get(f"/catalog/listings/{listing_id}/preview").get_data(as_text=True)
    assert title in preview and "7天无理由退货" in preview and "detail-01.jpg" in preview
    assert '<video class="main-video"' in preview and "主图视频.mp4" in preview  # the Taobao main video
    image = staff.get(f"/catalog/media/{main[0]}")
    assert image.status_code == 200 and Image.open(io.BytesIO(image.data)).size == (800, 800)
    _check_exports(staff, "daming-D-5001", title, main)


def _check_exports(staff, code, title, main):
    """The sheets are laid out as the platforms' bulk-upload files and filled from the drafts."""
    book = load_workbook(io.BytesIO(staff.get("/catalog/export.xlsx?platform=taobao").data))
    ws = book["淘宝助理"]
    header = [c.value for c in ws[2]]
    assert [c.value for c in ws[1]][0] == "version 1.00" and [c.value for c in ws[3]][:2] == ["宝贝名称", "宝贝类目"]
    rows = [dict(zip(header, r)) for r in ws.iter_rows(min_row=4, values_only=True)]
    (row,) = [r for r in rows if r["outer_id"] == code]
    assert row["title"] == title and row["price"] == "53.00" and row["num"] == 2000
    assert (row["location_state"], row["location_city"], row["stuff_status"]) == ("河北", "保定", 1)
    assert f"53.00:1000:{code}-baise:1627207:" in row["skuProps"] and ":白色;" in row["propAlias"]
    first = main[0].rsplit(".", 1)[0].replace("/", "_")
    assert row["picture"].startswith(f"{first}:1:0:|;") and row["picture"].count(":1:") == 5
    assert row["video"].endswith("主图视频.mp4") and row["newprepay"] == 1
    files = dict(book["图片文件"].iter_rows(min_row=2, values_only=True))
    assert files[first] == main[0]
    book = load_workbook(io.BytesIO(staff.get("/catalog/export.xlsx?platform=mogujie").data))
    ws = book["蘑菇街"]
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, r)) for r in ws.iter_rows(min_row=3, values_only=True) if r[1] == code]
    assert sorted(r["skuCode"] for r in rows) == [f"{code}-baise", f"{code}-heise"]
    assert rows[0]["title"] and rows[0]["image"].count("cover-") >= 8 and rows[0]["stockReduction"] == "下单减库存"
    assert {r[0] for r in book["需在后台设置"].iter_rows(min_row=2, values_only=True)} == {code}


def test_a_bad_zip_lists_every_problem_in_chinese_and_imports_nothing(staff, db, tmp_path):
    folder = supplier_folder(tmp_path, "大明&D-5002", ("黑色",), models_per_colour=2)
    (folder / "模特图" / "坏图.jpg").write_bytes(b"\xff\xd8 not really")
    photo(folder / "模特图" / "模特-酒红色-1.jpg", (900, 1350), "wine")
    response = _upload(staff, zipped(folder, tmp_path / "bad.zip"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "模特图/坏图.jpg" in page and "无法读取" in page and "酒红色" in page
    assert db.scalar(select(Product).where(Product.listing_code == "daming-D-5002")) is None


@pytest.mark.parametrize("make, words", [
    (lambda p: p.write_bytes(b"PK\x03\x04 broken"), "zip"),
    (lambda p: zipfile.ZipFile(p, "w").writestr("../逃出去.jpg", b"x"), "不安全"),
    (lambda p: zipfile.ZipFile(p, "w").writestr("散图.jpg", b"x"), "一个供应商文件夹"),
])
def test_bad_archives_are_refused(staff, tmp_path, make, words):
    archive = tmp_path / "upload.zip"
    make(archive)
    response = _upload(staff, archive)
    assert response.status_code == 422 and words in response.get_data(as_text=True)


def test_import_from_a_server_folder_and_only_under_the_import_root(staff, db, tmp_path, monkeypatch):
    monkeypatch.setenv("BACKOFFICE_IMPORT_ROOT", str(tmp_path))
    supplier_folder(tmp_path, "包之恋&5003", ("黑色",), models_per_colour=3)
    ok = staff.post("/catalog/import", {"server_path": "包之恋&5003", "store": "娜好呀"}, token_from="/catalog/import")
    assert ok.status_code == 302
    outside = staff.post("/catalog/import", {"server_path": "../", "store": "娜好呀"}, token_from="/catalog/import")
    assert outside.status_code == 422


def test_a_batch_is_queued_and_its_progress_page_polls(staff, tmp_path, monkeypatch):
    monkeypatch.setenv("BACKOFFICE_IMPORT_ROOT", str(tmp_path))
    (tmp_path / "第12批").mkdir()
    queued = []
    monkeypatch.setitem(queue.TASKS, "catalog_batch", lambda *args: queued.append(args))
    response = staff.post("/catalog/import", {"server_path": "第12批", "batch": "y", "store": "娜好呀"},
                          token_from="/catalog/import")
    assert response.status_code == 302 and queued[0][1].endswith("第12批")
    page = staff.get(response.location).get_data(as_text=True)
    assert "hx-trigger=\"every 1s\"" in page and "<progress" in page


def test_the_listing_editor_reorders_images_and_checks_the_title(staff, db, tmp_path):
    product_id = _import(staff, tmp_path, "大明&D-5004")
    listing = db.scalar(select(Listing).where(Listing.product_id == product_id, Listing.shop.has(platform="taobao")))
    listing_id, sources = listing.id, listing.images["main_sources"]
    url = f"/catalog/listings/{listing_id}"
    reordered = list(reversed(sources))
    ok = staff.post(url, {"title": "新标题 包包女包", "description": "", "status": "ready",
                          "main_sources": "\n".join(reordered)}, token_from=url)
    assert ok.status_code == 302
    db.expire_all()
    listing = db.get(Listing, listing_id)
    assert listing.images["main_sources"] == reordered and listing.status == "ready"
    assert listing.description == "新标题 包包女包"
    too_long = staff.post(url, {"title": "包" * 31, "status": "draft", "main_sources": "\n".join(reordered)},
                          token_from=url)
    assert too_long.status_code == 200 and "62" in too_long.get_data(as_text=True)
    too_few = staff.post(url, {"title": "包包", "status": "draft", "main_sources": reordered[0]}, token_from=url)
    assert "5" in too_few.get_data(as_text=True) and db.get(Listing, listing_id).title == "新标题 包包女包"


def test_editing_the_product_reprices_and_regenerates(staff, db, tmp_path):
    product_id = _import(staff, tmp_path, "夏洛昔&X-5005")
    url = f"/catalog/products/{product_id}"
    response = staff.post(url, {"name": "复古链条包", "cost": "30", "length_cm": "33", "shape": "枕头包",
                                "material": "PU", "elements": ["链条"], "bag_types": ["单肩包"], "regenerate": "1"},
                          token_from=url)
    assert response.status_code == 302, response.get_data(as_text=True)
    db.expire_all()
    product = db.get(Product, product_id)
    # imported for 娜好呀, whose own formula (cost + 15) overrides 夏洛昔's (cost + 10) / 0.6 / 0.7
    assert product.size_class == "大" and product.priced_for == "娜好呀" and {s.price_fen for s in product.skus} == {4500}
    title = db.scalar(select(Listing.title).where(Listing.product_id == product_id).limit(1))
    assert "枕头包" in title and "单肩" in title


def test_supplier_formula_preview_errors_and_saving(db, login_as):
    staff = login_as("supervisor")
    rst_id = db.scalar(select(Supplier.id).where(Supplier.name == "睿思特"))
    url = f"/catalog/rules/suppliers/{rst_id}"
    form = {"name": "睿思特", "pinyin_code": "ruisite", "rounding_step_fen": "10", "rounding_mode": "half_up",
            "flash_prefix": "RST"}
    preview = staff.post(url, {**form, "price_formula": "(cost + 10) / 0.6 / 0.7", "preview": "1"}, token_from=url)
    assert preview.status_code == 200 and "¥95.20" in preview.get_data(as_text=True)  # 30 -> 95.24, to the jiao
    bad = staff.post(url, {**form, "price_formula": "cost ** 2", "save": "1"}, token_from=url)
    assert "*" in bad.get_data(as_text=True) and db.scalar(select(Supplier.price_formula).where(Supplier.id == rst_id)) is None
    assert staff.post(url, {**form, "price_formula": "cost * 2", "save": "1"}, token_from=url).status_code == 302
    db.expire_all()
    assert db.get(Supplier, rst_id).price_formula == "cost * 2"
    assert login_as("listing").get(url).status_code == 403  # formulas are the supervisor's


def test_store_formulas_are_seeded_previewed_edited_and_removed(db, login_as):
    factories.shop("taobao", "娜好呀")
    factories.shop("taobao", "娜好呀二店")
    db.commit()
    staff = login_as("supervisor")
    seeded = db.scalar(select(StorePriceFormula).where(StorePriceFormula.store == "娜好呀"))
    seeded_id = seeded.id
    assert seeded.formula == "cost + 15"  # SPEC §1.2, by the migration
    assert "cost + 15" in staff.get("/catalog/rules").get_data(as_text=True)
    url = f"/catalog/rules/stores/{seeded_id}"
    form = {"store": "娜好呀", "rounding_step_fen": "100", "rounding_mode": "up"}
    preview = staff.post(url, {**form, "formula": "cost * 1.3", "preview": "1"}, token_from=url)
    assert preview.status_code == 200 and "¥16.00" in preview.get_data(as_text=True)  # 12 * 1.3 = 15.6, up to 16
    bad = staff.post(url, {**form, "formula": "cost + eval(1)", "save": "1"}, token_from=url)
    assert bad.status_code == 200 and db.scalar(select(StorePriceFormula.formula)
                                                .where(StorePriceFormula.id == seeded_id)) == "cost + 15"
    assert staff.post(url, {**form, "formula": "cost * 1.3", "save": "1"}, token_from=url).status_code == 302
    clash = staff.post("/catalog/rules/stores/new", {**form, "formula": "cost + 1", "save": "1"},
                       token_from="/catalog/rules/stores/new")
    assert clash.status_code == 200 and db.scalar(select(func.count()).select_from(StorePriceFormula)) == 1
    db.expire_all()
    assert (db.get(StorePriceFormula, seeded_id).formula, db.get(StorePriceFormula, seeded_id).rounding_mode) == \
        ("cost * 1.3", "up")
    assert login_as("listing").get(url).status_code == 403  # formulas are the supervisor's
    assert staff.post(f"{url}/delete", {}, token_from=url).status_code == 302
    assert db.scalar(select(func.count()).select_from(StorePriceFormula)) == 0


def test_pinyin_words_sizes_platform_rules_and_templates(db, login_as):
    staff = login_as("supervisor")
    assert staff.post("/catalog/rules/pinyin", {"word": "长款", "pinyin": "Chang Kuan"},
                      token_from="/catalog/rules").status_code == 302
    assert db.scalar(select(PinyinOverride.pinyin).where(PinyinOverride.word == "长款")) == "chang kuan"

    url = "/catalog/rules/words/title_modifier"
    assert staff.post(url, {"words": "百搭\n链条包: 链条 锁扣\n复古"}, token_from=url).status_code == 302
    words = db.scalars(select(VocabularyWord).where(VocabularyWord.list_name == "title_modifier")
                       .order_by(VocabularyWord.position)).all()
    assert [(w.word, w.matches) for w in words] == [("百搭", []), ("链条包", ["链条", "锁扣"]), ("复古", [])]
    twice = staff.post(url, {"words": "百搭\n百搭"}, token_from=url)
    assert "百搭" in twice.get_data(as_text=True) and twice.status_code == 200

    url = "/catalog/rules/sizes"
    assert staff.post(url, {"classes": "小 27\n迷你 20\n大"}, token_from=url).status_code == 200  # out of order
    assert staff.post(url, {"classes": "小 25\n中 35\n大"}, token_from=url).status_code == 302
    assert [(c.name, c.below_cm) for c in db.scalars(select(SizeClass).order_by(SizeClass.id))] == \
        [("小", 25), ("中", 35), ("大", None)]

    url = "/catalog/rules/platforms/mogujie"
    page = staff.get(url).get_data(as_text=True)
    assert "普通快递包邮" in page
    form = {"title_limit": "60", "cjk_weight": "2", "image_width": "640", "image_height": "960", "main_min": "8",
            "main_max": "9", "max_image_kb": "1500", "fit": "pad", "category": "女包", "shipping_template": "包邮",
            "stock_reduction": "下单减库存", "service": "7天无理由退货", "package": "纸箱", "shop_categories": "3"}
    assert staff.post(url, form, token_from=url).status_code == 302
    rule = db.scalar(select(PlatformRule).where(PlatformRule.platform == "mogujie"))
    assert (rule.main_max, rule.fit, rule.settings["category"], rule.settings["delayed_shipping_for_flash"]) == \
        (9, "pad", "女包", False)

    url = "/catalog/rules/templates/description.txt"
    broken = staff.post(url, {"source": "{{ title "}, token_from=url)
    assert broken.status_code == 200 and "模板" in broken.get_data(as_text=True)
    assert staff.post(url, {"source": "{{ title }} 现货速发"}, token_from=url).status_code == 302
    assert "changed" not in staff.get("/catalog/rules").get_data(as_text=True)  # shown in Chinese


def test_a_listing_without_generated_images_can_still_be_retitled(staff, db):
    listing = factories.listing()
    db.commit()
    listing_id = listing.id
    url = f"/catalog/listings/{listing_id}"
    assert staff.post(url, {"title": "韩版链条斜挎小方包女包2026新款", "status": "draft", "main_sources": ""},
                      token_from=url).status_code == 302
    db.expire_all()
    assert db.get(Listing, listing_id).title == "韩版链条斜挎小方包女包2026新款"


def test_listing_staff_regenerate_ticked_products_and_hand_edits_need_a_tick(staff, db, tmp_path, monkeypatch):
    product_id = _import(staff, tmp_path, "大明&D-5010")
    index = staff.get("/catalog/").get_data(as_text=True)
    assert f'name="product_id" value="{product_id}"' in index and 'name="overwrite_edited"' in index
    queued = []
    monkeypatch.setitem(queue.TASKS, "catalog_regenerate", lambda *args: queued.append(args))
    response = staff.post("/catalog/regenerate", {"product_id": [str(product_id)], "overwrite_edited": "1"},
                          token_from="/catalog/")
    assert response.status_code == 302 and queued[0][1:] == ([product_id], True)
    page = staff.get(response.location).get_data(as_text=True)
    assert "hx-trigger=\"every 1s\"" in page and "<progress" in page
    assert staff.post("/catalog/regenerate", {}, token_from="/catalog/").status_code == 302  # nothing ticked

    listing = db.scalar(select(Listing).where(Listing.product_id == product_id, Listing.shop.has(platform="taobao")))
    listing_id, sources = listing.id, listing.images["main_sources"]
    url = f"/catalog/listings/{listing_id}"
    staff.post(url, {"title": "手改标题 女包", "status": "draft", "main_sources": "\n".join(sources)}, token_from=url)
    url = f"/catalog/products/{product_id}"
    form = {"name": "链条包", "cost": "38", "shape": "枕头包", "material": "PU", "regenerate": "1"}
    page = staff.get(url).get_data(as_text=True)
    assert 'name="overwrite_edited"' in page
    refused = staff.post(url, form, token_from=url)
    assert refused.status_code == 200 and "手改标题 女包" == db.scalar(select(Listing.title).where(Listing.id == listing_id))
    assert db.scalar(select(Product.shape).where(Product.id == product_id)) != "枕头包"  # nothing half-saved
    ok = staff.post(url, {**form, "overwrite_edited": "1"}, token_from=url)
    assert ok.status_code == 302, ok.get_data(as_text=True)
    db.expire_all()
    assert "枕头包" in db.get(Listing, listing_id).title

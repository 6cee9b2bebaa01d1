"""Importing supplier folders: products, codes, prices, images and drafts; every bad input refused whole."""
from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from backoffice.catalog import generation, operations
from backoffice.catalog.models import Listing, Product, ProductImage, Sku, Supplier
from backoffice.catalog.operations import ImportRefused, import_folder
from tests import factories
from tests.supplier_folders import photo, supplier_folder


@pytest.fixture
def shops(db):
    return factories.shop("taobao", "娜好呀"), factories.shop("mogujie", "娜好呀的包包")


def _size(media: Path, rel: str) -> tuple[int, int]:
    with Image.open(media / rel) as im:
        return im.size


def _counts(db):
    return tuple(db.scalar(select(func.count()).select_from(t)) for t in (Product, Sku, Listing, ProductImage))


def test_a_normal_folder_becomes_priced_products_and_two_drafts(db, shops, tmp_path):
    media = tmp_path / "media"
    folder = supplier_folder(tmp_path, "大明&D-777", ("黑色", "白色", "藏青色"), duplicates=2)
    result = import_folder(folder, media, store="娜好呀", workers=1)

    product = db.scalar(select(Product).where(Product.listing_code == "daming-D-777"))
    assert product.kind == "normal" and product.cost_fen == 3800 and product.size_class == "小"
    assert {s.color: (s.code, s.price_fen, s.on_hand, s.size) for s in product.skus} == {
        "黑色": ("daming-D-777-heise", 5300, 1000, "中"), "白色": ("daming-D-777-baise", 5300, 1000, "中"),
        "藏青色": ("daming-D-777-cangqingse", 5300, 1000, "中")}  # the override gives cang, not zang
    assert product.elements == ["链条"] and product.bag_types == ["斜挎包"]

    tb, mg = result["platforms"]["taobao"], result["platforms"]["mogujie"]
    assert tb["prices"] == {"白色": "53.00", "藏青色": "53.00", "黑色": "53.00"}
    assert "链条包" in tb["title"] and "斜挎" in tb["title"] and tb["shop"] == "娜好呀"
    # Taobao: 5 mains at 800×800, the white one last; one 800×800 SKU image per colour
    assert len(tb["images"]["main"]) == 5
    assert all(_size(media, p) == (800, 800) for p in tb["images"]["main"] + list(tb["images"]["sku"].values()))
    with Image.open(media / tb["images"]["main"][-1]) as last:
        assert min(last.getpixel((5, 5))) >= 245 and min(last.getpixel((795, 795))) >= 245
    assert set(tb["images"]["sku"]) == {"黑色", "白色", "藏青色"}
    assert tb["images"]["video"] == "products/daming-D-777/src/视频/主图视频.mp4"
    assert {s.image_path for s in product.skus} == set(tb["images"]["sku"].values())
    # Mogujie: 8-10 covers at 640×960, no two of the near-duplicate copies
    assert 8 <= len(mg["images"]["main"]) <= 10
    assert all(_size(media, p) == (640, 960) for p in mg["images"]["main"])
    shots = [p.rsplit("/", 1)[1].rsplit(".", 1)[0].split("-副本")[0] for p in mg["images"]["main_sources"]]
    assert len(shots) == len(set(shots))  # never an original and its near-duplicate copy
    assert {c for c in ("黑色", "白色", "藏青色") if any(c in p for p in mg["images"]["main_sources"])} == \
        {"黑色", "白色", "藏青色"}  # every colour on a cover
    # detail page: 750 wide, in the listing's HTML in order
    detail = tb["images"]["detail"]
    assert detail and all(_size(media, p)[0] == 750 for p in detail)
    listing = db.scalar(select(Listing).where(Listing.product_id == product.id, Listing.shop_id == shops[0].id))
    assert listing.status == "draft" and listing.description == listing.title
    assert listing.detail_html.index(detail[0]) < listing.detail_html.index(detail[-1])
    assert listing.settings["category"] == "女士包袋" and listing.settings["service"] == "7天无理由退货"
    images = db.scalars(select(ProductImage).where(ProductImage.product_id == product.id)).all()
    assert len(images) == 3 * (1 + 4 + 3 + 2) + 4 + 1 + 4 + 1 + 2 + 1  # photos, near-duplicates, the video
    assert all((media / i.path).exists() for i in images)


def test_a_flash_sale_needs_its_supplier_formula_then_takes_stock_from_the_colour_names(db, shops, tmp_path):
    folder = supplier_folder(tmp_path, "RST182 小方包", ("黑色", "白色"), quantities={"黑色": 12, "白色": 5},
                             info="拿货价: 12")
    before = _counts(db)
    with pytest.raises(ImportRefused) as refused:
        import_folder(folder, tmp_path / "media", workers=1)
    assert "睿思特" in refused.value.problems[0].message and "formula" in refused.value.problems[0].message
    assert _counts(db) == before and not (tmp_path / "media").exists()

    db.scalar(select(Supplier).where(Supplier.name == "睿思特")).price_formula = "cost * 1.5"
    result = import_folder(folder, tmp_path / "media", workers=1)
    assert result["listing_code"] == "miaosha-182"
    assert result["sku_codes"] == {"白色": "miaosha-182-baise", "黑色": "miaosha-182-heise"}
    skus = {s.color: s for s in db.scalars(select(Sku).where(Sku.code.like("miaosha-182-%")))}
    assert (skus["黑色"].on_hand, skus["白色"].on_hand, skus["黑色"].price_fen) == (12, 5, 1800)
    title = result["platforms"]["taobao"]["title"]
    assert title.startswith("RST182 小方包") and title.count("小方包") == 1
    listing = db.scalar(select(Listing).join(Product).where(Product.listing_code == "miaosha-182").limit(1))
    assert listing.settings["delayed_shipping"] is True and listing.settings["buyer_chooses_courier"] is False


def test_a_streamer_link_gets_initials_and_the_title_prefix(db, shops, tmp_path):
    folder = supplier_folder(tmp_path, "夏洛昔&X-9&瑜儿", ("粉色", "白色"), info="拿货价: 30")
    result = import_folder(folder, tmp_path / "media", workers=2)  # through the process pool
    assert result["listing_code"] == "xialuoxi-X-9-YE"
    assert result["platforms"]["taobao"]["title"].startswith("【瑜儿粉丝专享】")
    assert result["platforms"]["mogujie"]["prices"]["粉色"] == "95.24"


def _corrupt(folder):
    (folder / "模特图" / "模特-黑色-9.jpg").write_bytes(b"\xff\xd8\xff\xe0 broken")


def _unsupported(folder):
    (folder / "原图.psd").write_bytes(b"8BPS")


def _tiny(folder):
    photo(folder / "模特图" / "模特-黑色-9.jpg", (300, 450), "tiny")


def _colour_without_image(folder):
    photo(folder / "模特图" / "模特-酒红色-1.jpg", (900, 1350), "wine")


def _no_cost(folder):
    (folder / "信息.txt").unlink()


def _bad_info(folder):
    (folder / "信息.txt").write_text("拿货价: 三十八\n", encoding="utf-8")


@pytest.mark.parametrize("spoil, name, file, words", [
    (_corrupt, "大明&D-801", "模特图/模特-黑色-9.jpg", "Cannot read"),
    (_unsupported, "大明&D-802", "原图.psd", "Unsupported"),
    (_tiny, "大明&D-803", "模特图/模特-黑色-9.jpg", "too small"),
    (_colour_without_image, "大明&D-804", "模特图/模特-酒红色-1.jpg", "酒红色"),
    (_no_cost, "大明&D-805", None, "拿货价"),
    (_bad_info, "大明&D-806", "信息.txt", "三十八"),
    (None, "新款小方包", "新款小方包", "Folder name"),
    (None, "王五&W-1", "王五&W-1", "王五"),
])
def test_bad_input_is_listed_with_its_reason_and_nothing_changes(db, shops, tmp_path, spoil, name, file, words):
    folder = supplier_folder(tmp_path, name, ("黑色", "白色"), models_per_colour=2, stills_per_colour=1)
    if spoil:
        spoil(folder)
    before = _counts(db)
    with pytest.raises(ImportRefused) as refused:
        import_folder(folder, tmp_path / "media", workers=1)
    hits = [p for p in refused.value.problems if words in p.message]
    assert hits and hits[0].file == file, refused.value.problems
    assert _counts(db) == before and not (tmp_path / "media").exists()


def test_importing_the_same_folder_twice_is_a_code_clash_and_changes_nothing(db, shops, tmp_path):
    folder = supplier_folder(tmp_path, "包之恋&1301", ("黑色",), models_per_colour=3)
    import_folder(folder, tmp_path / "media", workers=1)
    before = _counts(db)
    with pytest.raises(ImportRefused) as refused:
        import_folder(folder, tmp_path / "media", workers=1)
    assert any("baozhilian-1301" in p.message and "already used" in p.message for p in refused.value.problems)
    assert _counts(db) == before


def test_regenerating_drafts_keeps_codes_and_refuses_published_listings(db, shops, tmp_path):
    media = tmp_path / "media"
    import_folder(supplier_folder(tmp_path, "大明&D-901", ("黑色", "白色")), media, workers=1)
    product = db.scalar(select(Product).where(Product.listing_code == "daming-D-901"))
    product.shape = "枕头包"
    result = generation.generate_drafts(product, media)
    assert "枕头包" in result["platforms"]["taobao"]["title"]
    assert all((media / p).exists() for p in result["platforms"]["mogujie"]["images"]["main"])
    db.scalar(select(Listing).where(Listing.product_id == product.id).limit(1)).status = "published"
    with pytest.raises(operations.OperationError):
        generation.generate_drafts(product, media)


def test_unique_items_are_skus_of_the_one_listing_888888(db, shops, tmp_path):
    media = tmp_path / "media"
    first = import_folder(supplier_folder(tmp_path / "a", "孤品&大明&D-GP-01", ("黑色",), models_per_colour=3,
                                          info="拿货价: 40"), media, workers=1)
    second = import_folder(supplier_folder(tmp_path / "b", "孤品&夏洛昔&X-GP-2", ("黑色",), models_per_colour=3,
                                           info="拿货价: 30"), media, workers=1)
    assert first["listing_code"] == second["listing_code"] == "888888"
    assert first["added_sku_codes"] == {"1号黑色": "888888-1"}
    assert second["added_sku_codes"] == {"2号黑色": "888888-2"}
    products = db.scalars(select(Product).where(Product.kind == "unique")).all()
    assert len(products) == 1 and products[0].name == "孤品"
    skus = {s.code: (s.color, s.on_hand, s.price_fen) for s in products[0].skus}
    # one of each, each priced by its own supplier's formula
    assert skus == {"888888-1": ("1号黑色", 1, 5500), "888888-2": ("2号黑色", 1, 9524)}
    paths = db.scalars(select(ProductImage.path).where(ProductImage.product_id == products[0].id)).all()
    assert {p.split("/")[3] for p in paths} == {"1", "2"}  # products/888888/src/<n>/...
    taobao = second["platforms"]["taobao"]
    assert set(taobao["images"]["sku"]) == {"1号黑色", "2号黑色"}
    assert set(taobao["prices"]) == {"1号黑色", "2号黑色"}
    listing = db.scalar(select(Listing).where(Listing.product_id == products[0].id).limit(1))
    assert listing.settings["returns"] == "original packaging required"


def test_a_unique_item_added_to_a_published_888888_leaves_the_listing_alone(db, shops, tmp_path):
    media = tmp_path / "media"
    import_folder(supplier_folder(tmp_path / "a", "孤品&大明&D-GP-01", ("黑色",), models_per_colour=3,
                                  info="拿货价: 40"), media, workers=1)
    listing = db.scalar(select(Listing).join(Product).where(Product.listing_code == "888888").limit(1))
    listing.status, images = "published", dict(listing.images)
    result = import_folder(supplier_folder(tmp_path / "b", "孤品&大明&D-GP-02", ("白色",), models_per_colour=3,
                                           info="拿货价: 40"), media, workers=1)
    assert result["added_sku_codes"] == {"2号白色": "888888-2"} and result["platforms"] == {}
    assert any("888888" in w and "published" in w for w in result["warnings"])
    assert listing.images == images and db.get(Sku, db.scalar(select(Sku.id).where(Sku.code == "888888-2")))


def test_a_store_formula_overrides_the_suppliers_when_importing_for_that_store(db, shops, tmp_path):
    # SPEC §1.2: 夏洛昔 prices (cost + 10) / 0.6 / 0.7, but the store 娜好呀 sells at cost + 15
    folder = supplier_folder(tmp_path, "夏洛昔&X-77", ("粉色",), models_per_colour=3, info="拿货价: 30")
    result = import_folder(folder, tmp_path / "media", store="娜好呀", workers=1)
    assert result["platforms"]["taobao"]["prices"] == {"粉色": "45.00"}
    product = db.scalar(select(Product).where(Product.listing_code == "xialuoxi-X-77"))
    assert product.priced_for == "娜好呀"
    from backoffice.catalog import editing

    editing.update_product(product, {"name": product.name, "cost": "32", "elements": [], "bag_types": []})
    assert product.skus[0].price_fen == 4700  # a new cost is priced by the same store formula
    other = import_folder(supplier_folder(tmp_path / "b", "夏洛昔&X-78", ("粉色",), models_per_colour=3,
                                          info="拿货价: 30"), tmp_path / "media", workers=1)
    assert other["platforms"]["taobao"]["prices"] == {"粉色": "95.24"}  # no store named: the supplier's formula
    rst = supplier_folder(tmp_path / "c", "RST183 小方包", ("黑色",), models_per_colour=3, info="拿货价: 12")
    with pytest.raises(ImportRefused) as refused:  # 睿思特 has no formula: configured first, store or not
        import_folder(rst, tmp_path / "media", store="娜好呀", workers=1)
    assert "睿思特" in refused.value.problems[0].message


@pytest.mark.parametrize("paths, expected", [
    ([], None),
    (["src/视频/细节展示.mp4", "src/视频/主图视频.mp4"], "src/视频/主图视频.mp4"),
    (["src/其他.mp4", "src/主图/方形.mov"], "src/主图/方形.mov"),
    (["src/a.mp4", "src/b.mp4"], "src/a.mp4"),
])
def test_the_main_video_is_the_one_named_for_the_main_images(paths, expected):
    assert generation.main_video(paths) == expected


def test_the_main_video_goes_with_the_taobao_draft_only(db, shops, tmp_path):
    folder = supplier_folder(tmp_path, "大明&D-778", ("黑色",), models_per_colour=3)
    (folder / "视频" / "细节展示.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42")
    result = import_folder(folder, tmp_path / "media", workers=1)
    assert result["platforms"]["taobao"]["images"]["video"] == "products/daming-D-778/src/视频/主图视频.mp4"
    assert "video" not in result["platforms"]["mogujie"]["images"]
    assert (tmp_path / "media" / "products/daming-D-778/src/视频/细节展示.mp4").exists()

"""A batch of supplier folders: each folder its own unit of work, progress recorded as it goes."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from backoffice.catalog.models import Product
from backoffice.catalog.tasks import batch_run, run_batch
from backoffice.db import session, unit_of_work
from backoffice.shops.models import Shop
from tests.supplier_folders import supplier_folder


@pytest.fixture
def committed_app(tmp_path):
    """The batch commits for real, so it gets a database of its own."""
    from backoffice import migrate
    from backoffice.app import create_app
    from backoffice.db import make_engine

    url = f"sqlite:///{tmp_path / 'batch.db'}"
    migrate.upgrade(url)
    engine = make_engine(url)
    app = create_app({"DATABASE_URL": url, "ENGINE": engine})
    with app.app_context():
        yield app
    session.remove()
    engine.dispose()


def test_a_batch_imports_the_good_folders_and_reports_the_bad_ones(committed_app, tmp_path):
    with unit_of_work():
        session.add_all([Shop(platform="taobao", name="娜好呀"), Shop(platform="mogujie", name="娜好呀的包包")])
    parent = tmp_path / "第12批"
    supplier_folder(parent, "大明&D-7001", ("黑色",), models_per_colour=3)
    supplier_folder(parent, "RST300 枕头包", ("白色",), models_per_colour=3, info="拿货价: 15")  # 睿思特: no formula
    supplier_folder(parent, "包之恋&7002", ("卡其色", "黑色"), models_per_colour=3)

    run_batch("t0ken", parent, "娜好呀", tmp_path / "media")

    with unit_of_work():
        run = batch_run("t0ken")
        assert run.status == "succeeded" and run.counts["done"] == run.counts["total"] == 3
        assert [i["listing_code"] for i in run.counts["imported"]] == ["baozhilian-7002", "daming-D-7001"]
        (refused,) = run.counts["refused"]
        assert refused["folder"] == "RST300 枕头包" and "睿思特" in refused["problems"][0]
        codes = set(session.scalars(select(Product.listing_code)))
        assert {"baozhilian-7002", "daming-D-7001"} <= codes and "miaosha-300" not in codes


def test_a_batch_whose_every_folder_is_refused_does_not_say_it_succeeded(committed_app, tmp_path):
    from flask import render_template

    def progress_page(token: str) -> str:  # what the batch page shows (the fixture keeps an app context pushed)
        with committed_app.test_request_context(), unit_of_work():
            return render_template("catalog/_batch_progress.html", run=batch_run(token), token=token)

    with unit_of_work():
        session.add(Shop(platform="taobao", name="娜好呀"))
    parent = tmp_path / "第13批"
    supplier_folder(parent, "RST300 枕头包", ("白色",), models_per_colour=3, info="拿货价: 15")  # 睿思特: no formula
    supplier_folder(parent, "无名&7003", ("黑色",), models_per_colour=3)  # no such supplier

    run_batch("all-bad", parent, "娜好呀", tmp_path / "media")

    with unit_of_work():
        run = batch_run("all-bad")
        assert run.status == "failed" and run.counts["done"] == 2 and not run.counts["imported"]
        assert "全部 2 个文件夹都被拒绝" in run.error
    page = progress_page("all-bad")
    assert "成功" not in page and "失败" in page
    assert "已导入 0 个文件夹，拒绝 2 个" in page and "睿思特" in page and "无名" in page

    empty = tmp_path / "空批次"
    empty.mkdir()
    run_batch("empty", empty, None, tmp_path / "media")
    with unit_of_work():
        assert batch_run("empty").status == "failed" and "没有供应商文件夹" in batch_run("empty").error

    supplier_folder(parent, "大明&D-7004", ("黑色",), models_per_colour=3)  # one good folder: a success
    run_batch("one-good", parent, "娜好呀", tmp_path / "media")
    with unit_of_work():
        assert batch_run("one-good").status == "succeeded" and batch_run("one-good").error is None
    page = progress_page("one-good")
    assert "成功" in page and "已导入 1 个文件夹，拒绝 2 个" in page


def test_regenerating_a_selection_keeps_hand_edits_unless_confirmed(committed_app, tmp_path):
    from backoffice.catalog import editing
    from backoffice.catalog.models import Listing
    from backoffice.catalog.operations import import_folder
    from backoffice.catalog.tasks import regenerate_run, run_regenerate

    media = tmp_path / "media"
    with unit_of_work():
        session.add_all([Shop(platform="taobao", name="娜好呀"), Shop(platform="mogujie", name="娜好呀的包包")])
    for name in ("大明&D-8001", "大明&D-8002", "包之恋&8003"):
        with unit_of_work():
            import_folder(supplier_folder(tmp_path, name, ("黑色",), models_per_colour=3), media, workers=1)
    with unit_of_work():
        ids = {p.listing_code: p.id for p in session.scalars(select(Product))}
        edited = session.scalar(select(Listing).where(Listing.product_id == ids["daming-D-8002"]).limit(1))
        editing.update_listing(edited, media, title="手改的标题 女包", description="", status="draft",
                               main_sources=edited.images["main_sources"])
        edited_id = edited.id
        session.scalar(select(Listing).where(Listing.product_id == ids["baozhilian-8003"]).limit(1)).status = "published"
        session.get(Product, ids["daming-D-8001"]).shape = "枕头包"  # a change the regenerated draft must show

    run_regenerate("r1", sorted(ids.values()), False, media)
    with unit_of_work():
        counts = regenerate_run("r1").counts
        assert regenerate_run("r1").status == "succeeded" and counts["done"] == counts["total"] == 3
        assert [i["listing_code"] for i in counts["regenerated"]] == ["daming-D-8001"]
        assert [i["listing_code"] for i in counts["kept"]] == ["daming-D-8002"]
        assert "手工修改" in counts["kept"][0]["reason"] and "淘宝" in counts["kept"][0]["reason"]
        assert [i["listing_code"] for i in counts["refused"]] == ["baozhilian-8003"]
        assert "枕头包" in session.scalar(select(Listing.title).where(Listing.product_id == ids["daming-D-8001"]).limit(1))
        assert session.get(Listing, edited_id).title == "手改的标题 女包"

    run_regenerate("r2", [ids["daming-D-8002"]], True, media)  # the staff confirmed overwriting
    with unit_of_work():
        assert [i["listing_code"] for i in regenerate_run("r2").counts["regenerated"]] == ["daming-D-8002"]
        listing = session.get(Listing, edited_id)
        assert listing.title != "手改的标题 女包" and listing.edited_at is None


def _files(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_failed_regeneration_leaves_the_previous_images_in_place(committed_app, tmp_path):
    from backoffice.catalog.generation import generate_drafts
    from backoffice.catalog.operations import import_folder

    media = tmp_path / "media"
    with unit_of_work():
        session.add_all([Shop(platform="taobao", name="娜好呀"), Shop(platform="mogujie", name="娜好呀的包包")])
    with unit_of_work():
        import_folder(supplier_folder(tmp_path, "大明&D-8101", ("黑色", "白色"), models_per_colour=3), media,
                      workers=1)
    listings = media / "listings"
    (listings / "daming-D-8101/taobao/main-01.jpg").write_bytes(b"the image as it was before")
    before = _files(listings)
    assert any(name.startswith("daming-D-8101/mogujie/cover-") for name in before)

    # the drafts are made again, then the transaction fails later on: the images go back as they were
    with pytest.raises(RuntimeError), unit_of_work():
        generate_drafts(session.scalar(select(Product).where(Product.listing_code == "daming-D-8101")), media)
        assert (listings / "daming-D-8101/taobao/main-01.jpg").read_bytes() != b"the image as it was before"
        raise RuntimeError("a later step of the same request failed")
    assert _files(listings) == before and [p.name for p in listings.iterdir()] == ["daming-D-8101"]

    # a source photo that cannot be decoded any more: rendering fails, nothing in use is touched
    first_photo = next(p for p in sorted((media / "products/daming-D-8101/src").rglob("*.jpg")))
    first_photo.write_bytes(b"not a jpeg")
    with pytest.raises(Exception), unit_of_work():
        generate_drafts(session.scalar(select(Product).where(Product.listing_code == "daming-D-8101")), media)
    assert _files(listings) == before and [p.name for p in listings.iterdir()] == ["daming-D-8101"]


def test_a_committed_regeneration_replaces_the_images_and_leaves_no_copies(committed_app, tmp_path):
    from backoffice.catalog.generation import generate_drafts
    from backoffice.catalog.operations import import_folder

    media = tmp_path / "media"
    with unit_of_work():
        session.add_all([Shop(platform="taobao", name="娜好呀"), Shop(platform="mogujie", name="娜好呀的包包")])
    with unit_of_work():
        import_folder(supplier_folder(tmp_path, "大明&D-8102", ("黑色",), models_per_colour=3), media, workers=1)
    stale = media / "listings/daming-D-8102/taobao/left-over.jpg"
    stale.write_bytes(b"an image no draft uses any more")
    with unit_of_work():
        generate_drafts(session.scalar(select(Product).where(Product.listing_code == "daming-D-8102")), media)
    assert not stale.exists() and [p.name for p in (media / "listings").iterdir()] == ["daming-D-8102"]
    assert any(n.startswith("taobao/main-") for n in _files(media / "listings/daming-D-8102"))

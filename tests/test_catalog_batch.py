"""A batch of supplier folders: each folder its own unit of work, progress recorded as it goes."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from backoffice.catalog.models import Product
from backoffice.catalog.tasks import batch_run, run_batch
from backoffice.db import session, unit_of_work
from backoffice.sync.models import Shop
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

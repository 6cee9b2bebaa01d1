"""The sync page's run log reads in words: job names, labelled counts, plain values."""
from __future__ import annotations

import re

from backoffice.jobs import JobRun
from backoffice.timeutil import utcnow
from tests import factories


def test_job_runs_show_names_and_readable_counts_not_internals(db, login_as):
    shop = factories.shop("taobao", "娜好呀")
    now = utcnow()
    db.add_all([
        JobRun(job="catalog_regenerate:f4026c1e9b7d4a55", status="succeeded", started_at=now, finished_at=now,
               counts={"total": 2, "done": 2, "overwrite_edited": False,
                       "regenerated": [{"listing_code": "daming-D-998", "product_id": 5}],
                       "kept": [{"listing_code": "xiaoli-T-12", "product_id": 6, "reason": "edited"}], "refused": []}),
        JobRun(job="catalog_batch:0b1c2d3e", status="succeeded", started_at=now, finished_at=now,
               counts={"total": 1, "done": 1, "imported": [{"folder": "大明 D-998", "listing_code": "daming-D-998"}],
                       "refused": []}),
        JobRun(job="intake_orders", shop_id=shop.id, status="succeeded", started_at=now, finished_at=now,
               counts={"processed": 3, "created": 2, "updated": 1, "waiting": 0}),
    ])
    db.commit()
    html = login_as("supervisor").get("/sync/").get_data(as_text=True)
    runs = html[html.index("运行记录"):]
    cells = [re.sub(r"<[^>]+>", " ", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", runs, re.S)]
    text = " ".join(" ".join(c.split()) for c in cells)
    assert "重新生成草稿" in text and "批量导入供应商文件夹" in text and "拉取的订单入库 · 娜好呀" in text
    assert "覆盖已编辑的草稿：否" in text and "已重新生成：1（daming-D-998）" in text and "保留：1（xiaoli-T-12）" in text
    assert "已导入：1（daming-D-998）" in text
    assert "新建：2" in text and "创建时间" not in text
    for internal in ("catalog_regenerate", "catalog_batch", "f4026", "0b1c2d3e", "{", "[", "False", "True",
                     "overwrite_edited", "product_id", "listing_code"):
        assert internal not in text, internal

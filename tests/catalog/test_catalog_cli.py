"""The catalog commands exactly as scripts call them, run as real processes."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.supplier_folders import supplier_folder


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("catalog-cli")
    env = dict(os.environ, BACKOFFICE_INSTANCE_PATH=str(tmp / "instance"),
               BACKOFFICE_DATABASE_URL=f"sqlite:///{tmp / 'cli.db'}")
    script = Path(sys.executable).with_name("backoffice")

    def run(*args, check=True):
        result = subprocess.run([str(script), *args], env=env, capture_output=True, text=True, timeout=120)
        if check:
            assert result.returncode == 0, result.stderr
        return result

    run("db", "upgrade")
    run.tmp = tmp
    return run


@pytest.mark.parametrize("args, expected", [
    (["--supplier", "大明", "--model", "D-998-20", "--color", "黑色"],
     {"listing_code": "daming-D-998-20", "sku_codes": {"黑色": "daming-D-998-20-heise"}, "title_prefix": ""}),
    (["--supplier", "大明", "--model", "D-998-20", "--kind", "streamer", "--streamer", "宝娜主播", "--color", "黑色",
      "--color", "藏青色"],
     {"listing_code": "daming-D-998-20-BNZB", "title_prefix": "【宝娜主播粉丝专享】",
      "sku_codes": {"黑色": "daming-D-998-20-BNZB-heise", "藏青色": "daming-D-998-20-BNZB-cangqingse"}}),
    (["--supplier", "睿思特", "--kind", "flash", "--number", "182", "--color", "白色"],
     {"listing_code": "miaosha-182", "sku_codes": {"白色": "miaosha-182-baise"}, "title_prefix": ""}),
    (["--supplier", "大明", "--kind", "unique", "--number", "7", "--color", "焦糖色"],
     {"listing_code": "888888", "sku_codes": {"焦糖色": "888888-7"}, "title_prefix": ""}),
])
def test_catalog_code(run, args, expected):
    assert json.loads(run("catalog", "code", *args, "--json").stdout) == expected


def test_catalog_code_refuses_bad_input(run):
    result = run("catalog", "code", "--supplier", "大明", "--kind", "flash", "--color", "黑色", "--json", check=False)
    assert result.returncode != 0 and "number" in result.stderr


def test_catalog_price_uses_the_stored_formula(run):
    data = json.loads(run("catalog", "price", "--formula-of", "夏洛昔", "--cost", "30", "--json").stdout)
    assert data["price"] == "95.24" and data["formula"] == "(cost + 10) / 0.6 / 0.7"
    assert json.loads(run("catalog", "price", "--formula-of", "大明", "--cost", "38", "--json").stdout)["price"] == "53.00"
    unpriced = run("catalog", "price", "--formula-of", "睿思特", "--cost", "12", "--json", check=False)
    assert unpriced.returncode != 0 and "睿思特" in unpriced.stderr and "公式" in unpriced.stderr


def test_catalog_import(run):
    run("demo", "load")
    folder = supplier_folder(run.tmp, "包之恋&2099", ("黑色", "卡其色"), models_per_colour=3)
    data = json.loads(run("catalog", "import", str(folder), "--store", "娜好呀", "--json").stdout)
    assert data["imported"] and data["listing_code"] == "baozhilian-2099"
    assert data["sku_codes"] == {"卡其色": "baozhilian-2099-kaqise", "黑色": "baozhilian-2099-heise"}
    taobao = data["platforms"]["taobao"]
    assert taobao["shop"] == "娜好呀" and taobao["prices"]["黑色"] == "53.00" and len(taobao["images"]["main"]) == 5
    media = run.tmp / "instance" / "media"
    assert all((media / p).is_file() for p in data["platforms"]["mogujie"]["images"]["main"])
    again = run("catalog", "import", str(folder), "--json", check=False)
    assert again.returncode == 1 and not json.loads(again.stdout)["imported"]


def test_unique_items_join_888888_and_the_code_command_gives_the_next_number(run):
    run("demo", "load", check=False)  # the shops, and the demo's own unique item 888888-1
    for n, name in ((2, "孤品&大明&D-GP-7"), (3, "孤品&包之恋&B-GP-8")):
        folder = supplier_folder(run.tmp / f"unique{n}", name, ("黑色",), models_per_colour=3, info="拿货价: 40")
        data = json.loads(run("catalog", "import", str(folder), "--json").stdout)
        assert data["listing_code"] == "888888" and data["added_sku_codes"] == {f"{n}号黑色": f"888888-{n}"}
    assert data["sku_codes"] == {"1号焦糖色": "888888-1", "2号黑色": "888888-2", "3号黑色": "888888-3"}
    nxt = json.loads(run("catalog", "code", "--supplier", "大明", "--kind", "unique", "--color", "棕色", "--json").stdout)
    assert nxt == {"listing_code": "888888", "sku_codes": {"棕色": "888888-4"}, "title_prefix": ""}
    taken = run("catalog", "code", "--supplier", "大明", "--kind", "unique", "--number", "2", "--color", "棕色",
                check=False)
    assert taken.returncode != 0 and "888888-2" in taken.stderr

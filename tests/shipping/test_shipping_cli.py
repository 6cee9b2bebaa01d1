"""`backoffice shipping route` as a real process on a freshly migrated database."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def test_route_from_the_command_line(tmp_path):
    env = dict(os.environ, BACKOFFICE_INSTANCE_PATH=str(tmp_path / "instance"),
               BACKOFFICE_DATABASE_URL=f"sqlite:///{tmp_path / 'cli.db'}")
    script = str(Path(sys.executable).with_name("backoffice"))

    def run(*args):
        return subprocess.run([script, *args], env=env, capture_output=True, text=True, timeout=120)

    assert run("db", "upgrade").returncode == 0
    out = run("shipping", "route", "--address", "新疆乌鲁木齐市天山区解放南路1号", "--items", "1",
              "--amount", "39.9", "--flash-sale", "--request", "顺丰", "--json")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert {k: result[k] for k in ("courier", "courier_code", "surcharge", "status", "rule")} == {
        "courier": "邮政", "courier_code": "youzhengguonei", "surcharge": "18.00", "status": "request_refused",
        "rule": "#20 秒杀只有邮政到·当天不满50元"}
    assert "秒杀订单不能指定快递" in result["reasons"][0]

    two = json.loads(run("shipping", "route", "--address", "广东省广州市天河区天河路385号", "--items", "2",
                         "--json").stdout)
    assert (two["courier"], two["status"], two["surcharge"]) == ("圆通", "ok", "0.00")

    bad = run("shipping", "route", "--address", "火星基地1号", "--json")
    assert bad.returncode != 0 and "地址无法识别" in bad.stderr

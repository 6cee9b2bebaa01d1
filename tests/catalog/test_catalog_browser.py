"""Listing staff in a real browser: upload a supplier folder as a zip, then in the Taobao draft's
image picker drag an image to the front, replace one in place, save, and see the order kept."""
from __future__ import annotations

import pytest

from tests.supplier_folders import supplier_folder, zipped
from tests.web.test_browser import chromium_path, live_server, logged_in_page, sync_api  # noqa: F401

pytestmark = pytest.mark.browser


def _chosen(page) -> list[str]:
    return page.locator("[data-picker] li").evaluate_all("items => items.map(li => li.dataset.src)")


def _field(page) -> list[str]:
    return page.locator("[data-picker-value]").input_value().split("\n")


def test_the_image_picker_reorders_by_drag_and_replaces(sync_api, chromium_path, live_server, tmp_path):
    base_url, logins = live_server
    archive = zipped(supplier_folder(tmp_path, "大明&D-6001", ("黑色", "白色"), models_per_colour=3,
                                     stills_per_colour=2), tmp_path / "大明&D-6001.zip")
    with logged_in_page(sync_api, chromium_path, base_url, logins, "listing") as (page, problems):
        page.goto(base_url + "/catalog/import")
        page.set_input_files("input[name=archive]", str(archive))
        with page.expect_navigation(timeout=60_000):  # the import renders every platform image
            page.locator("form button[type=submit].primary").click()
        sync_api.expect(page.locator(".flash.success")).to_contain_text("导入完成")
        taobao = page.locator("tr", has_text="淘宝").get_by_role("link", name="编辑")
        with page.expect_navigation():
            taobao.first.click()

        items = page.locator("[data-picker] li")
        sync_api.expect(items).to_have_count(5)
        before = _chosen(page)
        assert _field(page) == before

        # drag the last image (the white-background one) in front of the first
        items.nth(4).drag_to(items.nth(0), target_position={"x": 5, "y": 40})
        moved = [before[4], *before[:4]]
        assert _chosen(page) == moved and _field(page) == moved

        # replace the second image in place with a photo not yet chosen
        items.nth(1).get_by_role("button", name="替换").click()
        sync_api.expect(items.nth(1)).to_have_class("replacing")
        spare = page.locator("[data-add]").evaluate_all(
            "(buttons, chosen) => buttons.map(b => b.dataset.add).filter(s => !chosen.includes(s))", moved)
        page.locator(f'[data-add="{spare[0]}"]').click()
        replaced = [moved[0], spare[0], *moved[2:]]
        assert _chosen(page) == replaced and _field(page) == replaced
        sync_api.expect(page.locator("[data-picker] li.replacing")).to_have_count(0)
        # a photo already chosen is not taken twice
        page.locator(f'[data-add="{replaced[0]}"]').click()
        assert _chosen(page) == replaced

        with page.expect_navigation(timeout=30_000):
            page.get_by_role("button", name="保存草稿").click()
        sync_api.expect(page.locator(".flash.success")).to_contain_text("草稿已保存")
        assert _chosen(page) == replaced  # the saved order, read back from the server
        with page.expect_navigation():
            page.get_by_role("link", name="预览").click()
        sync_api.expect(page.locator(".gallery img")).to_have_count(5)
        sync_api.expect(page.locator("video.main-video")).to_have_count(1)
        assert not problems, problems

"""The warehouse in a real browser: select a wave, open the pick list, and run
the packing check (wrong item refused with a message, then every item confirmed)."""
from __future__ import annotations

import pytest

from tests.web.test_browser import chromium_path, live_server, logged_in_page, sync_api  # noqa: F401

pytestmark = pytest.mark.browser


def test_wave_pick_list_and_packing_check(sync_api, chromium_path, live_server):
    base_url, logins = live_server
    with logged_in_page(sync_api, chromium_path, base_url, logins, "warehouse") as (page, problems):
        page.add_init_script("window.print = () => { window.printed = (window.printed || 0) + 1; };")
        with page.expect_navigation():
            page.locator("nav.menu").get_by_role("link", name="发货", exact=True).click()
        page.fill("input[name=max_count]", "5")
        with page.expect_navigation():
            page.get_by_role("button", name="选出订单").click()
        sync_api.expect(page.locator("h1")).to_contain_text("波次")
        with page.expect_navigation():
            page.get_by_role("button", name="分配快递").click()
        sync_api.expect(page.locator(".flash.success")).to_contain_text("已为 5 单分配快递")
        order_number = page.locator("table.grid tbody tr td a").first.inner_text().strip()

        with page.expect_navigation():
            page.get_by_role("link", name="拣货单", exact=True).click()
        assert page.locator("svg.barcode").count() >= 1
        page.get_by_role("button", name="打印", exact=True).click()  # print.js, not an inline handler (the CSP forbids those)
        assert page.evaluate("window.printed") == 1
        for kind in ("pick-list", "slips", "labels"):  # ?print=1 prints once loaded
            page.goto(page.url.rsplit("/", 1)[0] + f"/{kind}?print=1")
            page.wait_for_load_state("load")
            page.wait_for_function("window.printed === 1")

        expected = page.request.get(f"{base_url}/shipping/packing/order?number={order_number}").json()
        page.goto(base_url + "/shipping/packing")
        scan = page.locator("#scan")
        scan.fill(order_number)
        scan.press("Enter")
        sync_api.expect(page.locator("#scan-message")).to_contain_text(f"订单 {order_number}")
        scan.fill("NOT-IN-THIS-ORDER")
        scan.press("Enter")
        sync_api.expect(page.locator("#scan-message")).to_contain_text("错货：NOT-IN-THIS-ORDER 不在这个订单里")
        sync_api.expect(page.locator("#scan-message")).to_have_class("flash error")
        for item in expected["items"]:
            for _ in range(item["quantity"]):
                scan.fill(item["sku"])
                scan.press("Enter")
        sync_api.expect(page.locator("#scan-message")).to_contain_text("商品已全部核对")
        sync_api.expect(page.locator("#ship-form")).to_be_visible()
        assert not problems, problems

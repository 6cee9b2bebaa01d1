"""A real browser against the real app: log in as the demo supervisor, look at
the Chinese dashboard, open an order and reveal its receiver through htmx.

The server runs in a background thread on its own migrated SQLite database
loaded with the demo shop, not on the per-test transactional fixtures of
conftest.py. Drives the system's Chromium through Playwright; skips where
either is missing. A full-page screenshot of the dashboard is kept in
test-artifacts/dashboard.png.
"""
from __future__ import annotations

import os
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO_ROOT / "test-artifacts"
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TIMEOUT_MS = 10_000


def find_chromium() -> str | None:
    for candidate in CHROMIUM_CANDIDATES:
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def watch_csp(page, problems: list[str]) -> None:
    """Anything the Content-Security-Policy blocks (an inline script or handler left in a template) is a problem."""
    page.on("console", lambda m: problems.append(f"blocked: {m.text}") if "Content Security Policy" in m.text else None)


@contextmanager
def logged_in_page(sync_api, chromium_path: str, base_url: str, logins, role: str):
    """A Chromium page logged in as the demo user of `role`, with the list its
    script errors and CSP violations are collected in (a test asserts it stays empty)."""
    username, password = next((u, p) for r, u, p in logins if r == role)
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            context.set_default_timeout(TIMEOUT_MS)
            page = context.new_page()
            problems: list[str] = []
            page.on("pageerror", lambda exc: problems.append(f"script error: {exc}"))
            watch_csp(page, problems)
            page.goto(base_url + "/login")
            page.fill("input[name=username]", username)
            page.fill("input[name=password]", password)
            with page.expect_navigation():
                page.locator("form button[type=submit].primary").click()
            yield page, problems
            context.close()
        finally:
            browser.close()


@pytest.fixture
def sync_api():
    return pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")


@pytest.fixture
def chromium_path() -> str:
    path = find_chromium()
    if path is None:
        reason = "no Chromium found (looked at /usr/bin/chromium, /usr/bin/chromium-browser and PATH)"
        if os.environ.get("BACKOFFICE_REQUIRE_BROWSER"):  # CI installs it: a skip there would hide a failure
            pytest.fail(reason)
        pytest.skip(reason)
    return path


@pytest.fixture
def live_server(tmp_path: Path):
    """The app served over HTTP from a background thread, on its own database
    holding the demo shop. Yields (base_url, logins)."""
    from werkzeug.serving import make_server

    from backoffice import db, demo, migrate
    from backoffice.app import create_app

    instance = tmp_path / "instance"
    instance.mkdir()
    url = f"sqlite:///{tmp_path}/browser.db"
    saved_instance = os.environ.get("BACKOFFICE_INSTANCE_PATH")
    os.environ["BACKOFFICE_INSTANCE_PATH"] = str(instance)
    app = server = thread = None
    try:
        migrate.upgrade(url)
        # create_app binds the global scoped session to this app's engine
        app = create_app({"DATABASE_URL": url})
        with app.app_context(), db.unit_of_work():
            logins = demo.load(instance)
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, name="browser-test-server", daemon=True)
        thread.start()
        yield f"http://127.0.0.1:{server.server_port}", logins
    finally:
        if server is not None:
            server.shutdown()
            server.server_close()
        if thread is not None:
            thread.join(timeout=10)
        db.session.remove()
        db.session.configure(bind=None)
        if app is not None:
            app.extensions["engine"].dispose()
        if saved_instance is None:
            os.environ.pop("BACKOFFICE_INSTANCE_PATH", None)
        else:
            os.environ["BACKOFFICE_INSTANCE_PATH"] = saved_instance


def test_supervisor_dashboard_orders_and_audited_reveal(sync_api, chromium_path, live_server):
    base_url, logins = live_server
    username, password = next((u, p) for role, u, p in logins if role == "supervisor")

    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            context.set_default_timeout(TIMEOUT_MS)
            page = context.new_page()
            # JavaScript exceptions and failed requests, the favicon included.
            problems: list[str] = []
            page.on("pageerror", lambda exc: problems.append(f"script error: {exc}"))
            page.on("response", lambda r: problems.append(f"{r.status} {r.request.method} {r.url}")
                    if r.status >= 400 else None)
            page.on("requestfailed", lambda r: problems.append(f"failed {r.method} {r.url}: {r.failure}"))
            watch_csp(page, problems)

            # Not logged in: / redirects to the login page, in Chinese.
            page.goto(base_url + "/")
            assert "/login" in page.url, page.url
            assert page.locator("html").get_attribute("lang") == "zh-CN"
            login_button = page.locator("form button[type=submit].primary")
            assert login_button.inner_text().strip() == "登录"

            page.fill("input[name=username]", username)
            page.fill("input[name=password]", password)
            with page.expect_navigation():
                login_button.click()

            # The dashboard.
            assert page.url.rstrip("/") == base_url, page.url
            sync_api.expect(page.locator("h1")).to_have_text("工作台")
            sync_api.expect(page.get_by_text("待发货订单")).to_be_visible()
            nav = page.locator("nav.menu")
            sync_api.expect(nav).to_contain_text("订单")
            sync_api.expect(nav).to_contain_text("审计日志")
            assert page.locator("svg.chart rect").count() == 30

            ARTIFACTS.mkdir(exist_ok=True)
            screenshot = ARTIFACTS / "dashboard.png"
            screenshot.unlink(missing_ok=True)
            page.screenshot(path=str(screenshot), full_page=True)
            assert screenshot.stat().st_size > 10_000, screenshot.stat().st_size

            # Orders list, through the menu.
            with page.expect_navigation():
                nav.get_by_role("link", name="订单", exact=True).click()
            assert "/orders" in page.url, page.url
            sync_api.expect(page.locator("h1")).to_have_text("订单")
            rows = page.locator("table.grid tbody tr")
            sync_api.expect(rows.first).to_be_visible()
            assert rows.count() > 1
            first_order = rows.first.locator("td a").first
            order_number = first_order.inner_text().strip()

            # One order, then the audited reveal (htmx POST with the CSRF header).
            with page.expect_navigation():
                first_order.click()
            sync_api.expect(page.locator("h1")).to_contain_text(order_number)
            reveal = page.get_by_role("button", name="显示完整信息（记入审计日志）")
            with page.expect_response(lambda r: r.request.method == "POST" and "/receiver" in r.url) as posted:
                reveal.click()
            response = posted.value
            assert response.status == 200, (response.status, response.text()[:500])
            assert response.request.headers.get("x-csrftoken"), "htmx sent no CSRF header"
            sync_api.expect(page.locator("#receiver")).to_contain_text("本次查看已记入审计日志")
            sync_api.expect(page.locator("#receiver dl.revealed")).to_be_visible()
            assert page.get_by_role("button", name="显示完整信息（记入审计日志）").count() == 0

            assert not problems, problems
            context.close()
        finally:
            browser.close()

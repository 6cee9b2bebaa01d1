"""Run from outside the checkout with the wheel installed (not editable):
templates, translations, static files and migrations must all ship in it."""
import os
import sys
import tempfile

instance = tempfile.mkdtemp()
os.environ["BACKOFFICE_INSTANCE_PATH"] = instance
url = f"sqlite:///{instance}/wheel.db"

import backoffice  # noqa: E402
from backoffice import migrate  # noqa: E402
from backoffice.app import create_app  # noqa: E402

assert "site-packages" in backoffice.__file__, f"not the installed wheel: {backoffice.__file__}"
migrate.upgrade(url)
client = create_app({"DATABASE_URL": url}).test_client()
checks = {
    "/static/css/app.css": b".topbar",
    "/static/vendor/htmx-2.0.11.min.js": b"htmx",
    "/login": "登录".encode(),
    "/healthz": b'"database":"ok"',
    "/static/js/picker.js": b"data-picker",
}
for path, expected in checks.items():
    response = client.get(path)
    assert response.status_code == 200 and expected in response.data.replace(b" ", b""), (path, response.status_code)
from importlib.resources import files  # noqa: E402

assert (files("backoffice.listing_templates") / "__init__.py").is_file()
from backoffice.catalog import drafts  # noqa: E402

page = drafts.render("taobao", {"title": "小方包", "sizes": ["中"], "dimensions": "", "detail_images": ["/a.jpg"]})
assert page["description"] == "小方包" and '<img src="/a.jpg"' in page["detail_html"], page
print("wheel smoke: ok")
sys.exit(0)

"""The wheel ships every package, static/ and listing_templates/ included."""
from __future__ import annotations

import tomllib
from importlib.resources import files
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_package_directory_is_listed_in_pyproject():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = set()
    for init in ROOT.glob("backoffice/**/__init__.py"):
        found.add(".".join(init.parent.relative_to(ROOT).parts))
    for init in ROOT.glob("integrations/**/__init__.py"):
        found.add(".".join(init.parent.relative_to(ROOT).parts))
    found |= {"backoffice.static", "backoffice.listing_templates"}
    assert found == listed


def test_assets_are_reachable_as_package_resources():
    assert (files("backoffice.static") / "css" / "app.css").is_file()
    assert any(p.name.startswith("htmx") for p in (files("backoffice.static") / "vendor").iterdir())
    assert (files("backoffice.listing_templates") / "__init__.py").is_file()


def test_no_page_loads_anything_from_another_host(app, login_as):
    html = login_as("admin").get("/").get_data(as_text=True)
    for marker in ('src="http', "href=\"http", "//cdn", "googleapis"):
        assert marker not in html

"""The wheel ships every package and every folder of data (templates, static files, listing templates)."""
from __future__ import annotations

import tomllib
from importlib.resources import files
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_folder_that_ships_is_a_package_of_the_build():
    """Every folder below backoffice/ and integrations/ holding files is found by
    the build's package discovery (so it ships, and setuptools warns of none)."""
    from setuptools import find_namespace_packages

    find = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]["find"]
    found = set(find_namespace_packages(where=str(ROOT), include=find["include"]))
    folders = {".".join(d.relative_to(ROOT).parts) for top in ("backoffice", "integrations")
               for d in [ROOT / top, *(ROOT / top).rglob("*")]
               if d.is_dir() and "__pycache__" not in d.parts and any(f.is_file() for f in d.iterdir())}
    assert folders <= found


def test_every_shipped_file_kind_is_package_data():
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["*"]
    kinds = {f.suffix for top in ("backoffice", "integrations") for f in (ROOT / top).rglob("*")
             if f.is_file() and "__pycache__" not in f.parts and f.suffix not in (".py", ".pyc")}
    assert kinds <= {pattern.removeprefix("*") for pattern in patterns}


def test_assets_are_reachable_as_package_resources():
    assert (files("backoffice.static") / "css" / "app.css").is_file()
    assert any(p.name.startswith("htmx") for p in (files("backoffice.static") / "vendor").iterdir())
    assert (files("backoffice.listing_templates") / "__init__.py").is_file()


def test_no_page_loads_anything_from_another_host(app, login_as):
    html = login_as("admin").get("/").get_data(as_text=True)
    for marker in ('src="http', "href=\"http", "//cdn", "googleapis"):
        assert marker not in html

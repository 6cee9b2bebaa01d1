"""The tests mirror the packages: tests/<package>/ for each package of the back
office (and integrations/); the tests of the shared layer stand at the top."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_test_folder_names_a_package():
    folders = {d.name for d in (ROOT / "tests").iterdir() if d.is_dir() and d.name != "__pycache__"}
    packages = {d.name for d in (ROOT / "backoffice").iterdir() if (d / "__init__.py").is_file()} | {"integrations"}
    assert folders <= packages, folders - packages


def test_no_test_of_a_package_stands_at_the_top():
    packages = {d.name for d in (ROOT / "backoffice").iterdir() if (d / "__init__.py").is_file()}
    at_top = {p.stem.removeprefix("test_") for p in (ROOT / "tests").glob("test_*.py")}
    assert not {name for name in at_top for package in packages if name.startswith(package)}

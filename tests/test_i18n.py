"""Every UI string has a Chinese translation; Chinese by default, English on request."""
from __future__ import annotations

import gettext
from importlib.resources import files
from pathlib import Path

from babel.messages.extract import extract_from_dir

import backoffice

ROOT = Path(backoffice.__file__).parent
METHODS = [("**.py", "python"), ("**.html", "jinja2.ext:babel_extract")]
KEYWORDS = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None, "ngettext": (1, 2)}
UNTRANSLATED_OK = {"SKU", "PU"}


def ui_strings() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _ctx in extract_from_dir(
            str(ROOT), METHODS, keywords=KEYWORDS, options_map={"**.html": {}}):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_ui_string_has_a_chinese_translation():
    catalog = gettext.GNUTranslations(open(files("backoffice") / "translations/zh/LC_MESSAGES/messages.mo", "rb"))
    strings = ui_strings()
    assert len(strings) > 100
    missing = sorted(s for s in strings if catalog.gettext(s) == s and s not in UNTRANSLATED_OK)
    assert missing == [], "run `make translations` and translate these"


def test_chinese_by_default_and_english_remembered_per_user(app, client, make_user, db):
    login_page = client.get("/login").get_data(as_text=True)
    assert "登录" in login_page and 'lang="zh-CN"' in login_page
    make_user("service", "zhangmin")
    client.login("zhangmin")
    assert "工作台" in client.get("/").get_data(as_text=True)
    response = client.post("/language/en", {"next": "/orders/"})
    assert response.status_code == 302 and response.location == "/orders/"
    page = client.get("/").get_data(as_text=True)
    assert "Dashboard" in page and "Orders to ship" in page and 'lang="en"' in page

    from tests.conftest import Client

    elsewhere = Client(app.test_client())  # a new browser: the choice follows the user
    elsewhere.login("zhangmin")
    assert "Orders to ship" in elsewhere.get("/").get_data(as_text=True)


def test_the_login_page_language_is_kept_in_a_cookie(client):
    client.post("/language/en", {"next": "/login"}, token_from="/login")
    assert "Log in" in client.get("/login").get_data(as_text=True)
    assert client.post("/language/fr", {"next": "/login"}, token_from="/login").status_code == 404

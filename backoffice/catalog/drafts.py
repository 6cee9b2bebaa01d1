"""Listing drafts rendered from listing_templates/ (Jinja2), with the staff's overrides.

Templates staff edit run in Jinja's sandbox, so a template can format data but
never reach into the application.
"""
from __future__ import annotations

import re
from importlib.resources import files
from typing import Any, Mapping

from flask_babel import gettext as _
from jinja2 import ChoiceLoader, DictLoader, FileSystemLoader, StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from backoffice.catalog import detail_sanitiser

TEMPLATE_NAMES = ("description.txt", "detail.html", "taobao/detail.html", "mogujie/detail.html")


def builtin_source(name: str) -> str:
    return (files("backoffice.listing_templates") / name).read_text(encoding="utf-8")


class ListingSandbox(SandboxedEnvironment):
    """The sandbox, also refusing the arithmetic that would exhaust memory ('x' * 10**10, 2 ** 10**6)."""

    intercepted_binops = frozenset({"*", "**"})
    MAX_LENGTH = 1_000_000  # characters or items one repetition may produce

    def call_binop(self, context, operator: str, left, right):
        if operator == "**" and isinstance(right, int) and abs(right) > 100:
            raise SecurityError("exponent too large")
        if operator == "*":
            seq, count = (left, right) if isinstance(left, (str, list, tuple)) else (right, left)
            if isinstance(seq, (str, list, tuple)) and isinstance(count, int) and len(seq) * count > self.MAX_LENGTH:
                raise SecurityError("repetition too large")
        return super().call_binop(context, operator, left, right)


def environment(overrides: Mapping[str, str] | None = None) -> SandboxedEnvironment:
    loader = ChoiceLoader([DictLoader(dict(overrides or {})),
                           FileSystemLoader(str(files("backoffice.listing_templates")))])
    return ListingSandbox(loader=loader, autoescape=lambda name: bool(name and name.endswith(".html")),
                          undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def render(platform: str, context: Mapping[str, Any], overrides: Mapping[str, str] | None = None) -> dict[str, str]:
    env = environment(overrides)
    return {
        "description": env.select_template([f"{platform}/description.txt", "description.txt"]).render(context).strip(),
        "detail_html": detail_sanitiser.clean(
            env.select_template([f"{platform}/detail.html", "detail.html"]).render(context).strip()),
    }


def check(name: str, source: str, overrides: Mapping[str, str] | None = None) -> str | None:
    """None when ``source`` renders with a sample listing; else the error to show on the form."""
    sample = {"title": "韩版链条斜挎小方包女包", "sizes": ["小", "大"], "dimensions": "20×8×14",
              "detail_images": ["/media/a.jpg"], "product": {}, "settings": {}}
    try:
        env = environment({**(overrides or {}), name: source})
        env.get_template(name).render(sample)
    except SecurityError as exc:
        reached = re.search(r"attribute '([^']+)'", str(exc))
        if reached:
            return _("it uses %(what)s, which listing templates may not use", what=reached.group(1))
        return _("it asks for more than a listing template may compute (%(detail)s)", detail=str(exc))
    except TemplateError as exc:
        return str(exc)
    except Exception as exc:  # noqa: BLE001 - a staff-written template may raise anything while rendering
        return f"{type(exc).__name__}: {exc}"
    return None

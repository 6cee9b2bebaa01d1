"""Listing drafts rendered from listing_templates/ (Jinja2), with the staff's overrides.

Templates staff edit run in Jinja's sandbox, so a template can format data but
never reach into the application.
"""
from __future__ import annotations

from importlib.resources import files
from typing import Any, Mapping

from jinja2 import ChoiceLoader, DictLoader, FileSystemLoader, StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

TEMPLATE_NAMES = ("description.txt", "detail.html", "taobao/detail.html", "mogujie/detail.html")


def builtin_source(name: str) -> str:
    return (files("backoffice.listing_templates") / name).read_text(encoding="utf-8")


def environment(overrides: Mapping[str, str] | None = None) -> SandboxedEnvironment:
    loader = ChoiceLoader([DictLoader(dict(overrides or {})),
                           FileSystemLoader(str(files("backoffice.listing_templates")))])
    return SandboxedEnvironment(loader=loader, autoescape=lambda name: bool(name and name.endswith(".html")),
                                undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def render(platform: str, context: Mapping[str, Any], overrides: Mapping[str, str] | None = None) -> dict[str, str]:
    env = environment(overrides)
    return {
        "description": env.select_template([f"{platform}/description.txt", "description.txt"]).render(context).strip(),
        "detail_html": env.select_template([f"{platform}/detail.html", "detail.html"]).render(context).strip(),
    }


def check(name: str, source: str, overrides: Mapping[str, str] | None = None) -> str | None:
    """None when ``source`` renders with a sample listing; else the error to show on the form."""
    sample = {"title": "韩版链条斜挎小方包女包", "sizes": ["小", "大"], "dimensions": "20×8×14",
              "detail_images": ["/media/a.jpg"], "product": {}, "settings": {}}
    try:
        env = environment({**(overrides or {}), name: source})
        env.get_template(name).render(sample)
    except TemplateError as exc:
        return str(exc)
    return None

"""The detail page HTML cleaned down to what Taobao and Mogujie detail pages accept.

Staff edit the templates that produce it, so whatever they (or a pasted supplier
text) put in is cleaned here with nh3 (the Rust ``ammonia`` sanitiser): images,
text blocks, tables and inline style with layout properties only. No script,
no event handlers, no ``javascript:`` or ``data:`` URLs — image sources are
http(s) or relative.
"""
from __future__ import annotations

import nh3
from markupsafe import Markup

TAGS = {"div", "p", "span", "br", "img", "strong", "b", "em",
        "table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td"}
ATTRIBUTES = {
    "*": {"style", "class", "align"},
    "img": {"src", "alt", "title", "width", "height"},
    "col": {"span", "width"}, "colgroup": {"span", "width"},
    "table": {"width", "border", "cellpadding", "cellspacing"},
    "td": {"colspan", "rowspan", "width", "valign"}, "th": {"colspan", "rowspan", "width", "valign"},
}
# Layout and typography only: nothing that positions over the page or loads a URL (background-image, etc.).
STYLE_PROPERTIES = {
    "color", "background-color", "font-size", "font-weight", "font-style", "font-family", "line-height",
    "letter-spacing", "text-align", "text-decoration", "text-indent", "vertical-align", "white-space",
    "width", "height", "max-width", "min-width", "max-height", "min-height", "display",
    "margin", "margin-top", "margin-right", "margin-bottom", "margin-left",
    "padding", "padding-top", "padding-right", "padding-bottom", "padding-left",
    "border", "border-top", "border-right", "border-bottom", "border-left", "border-color", "border-style",
    "border-width", "border-radius", "border-collapse", "border-spacing",
}
URL_SCHEMES = {"http", "https"}


def clean(html: str | None) -> str:
    return nh3.clean(html or "", tags=TAGS, clean_content_tags={"script", "style"}, attributes=ATTRIBUTES,
                     url_schemes=URL_SCHEMES, filter_style_properties=STYLE_PROPERTIES, link_rel=None,
                     strip_comments=True)


def clean_markup(html: str | None) -> Markup:
    """For templates: the cleaned page, ready to print (this is what replaces ``|safe``)."""
    return Markup(clean(html))

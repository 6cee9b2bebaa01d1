"""Code128 barcodes as inline SVG (HTML pages) and as reportlab drawings (PDF).
reportlab encodes; we only turn its bar widths into rectangles."""
from __future__ import annotations

from functools import lru_cache
from html import escape

from reportlab.graphics.barcode.code128 import Code128

QUIET = 10  # modules of white either side, so scanners find the start


@lru_cache(maxsize=8192)
def bars(value: str) -> tuple[tuple[int, int], ...]:
    """(x, width) of each dark bar in modules, from x = 0, quiet zones excluded."""
    code = Code128(value)
    code.validate()
    code.encode()
    code.decompose()
    x, out = 0, []
    for ch in code.decomposed:  # upper case: bar, lower case: space; the letter is the width (A = 1)
        o = ord(ch)
        if o < 97:
            out.append((x, o - 64))
            x += o - 64
        else:
            x += o - 96
    return tuple(out)


def width_modules(value: str) -> int:
    b = bars(value)
    return b[-1][0] + b[-1][1] + 2 * QUIET


@lru_cache(maxsize=8192)
def svg(value: str, height: int = 40, module: float = 1.0, text: bool = True) -> str:
    """A standalone <svg> element; scaled by CSS where the page wants."""
    total = width_modules(value)
    rects = "".join(f'<rect x="{x + QUIET}" width="{w}" height="{height}"/>' for x, w in bars(value))
    label = (f'<text x="{total / 2}" y="{height + 11}" text-anchor="middle" font-size="11" '
             f'font-family="monospace">{escape(value)}</text>') if text else ""
    full = height + (14 if text else 0)
    return (f'<svg class="barcode" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {total} {full}" '
            f'width="{total * module}" height="{full * module}" role="img" aria-label="{escape(value)}">'
            f'<g fill="#000">{rects}</g>{label}</svg>')


def draw(canvas, value: str, x: float, y: float, bar_height: float, module: float) -> float:
    """Draw on a reportlab canvas at (x, y) lower-left; returns the drawn width in points."""
    for bx, w in bars(value):
        canvas.rect(x + (bx + QUIET) * module, y, w * module, bar_height, stroke=0, fill=1)
    return width_modules(value) * module

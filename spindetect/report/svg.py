"""SVG drawing primitives with no dependency: frames, axes, bars, labels.

Every piece of text that goes into an SVG passes through :func:`text`, which
escapes it, so plots can carry user-supplied labels safely.  Numbers are
written with at most two decimals so the output is small and deterministic.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Frame", "document", "legend", "line", "nice_ticks", "polygon", "rect", "text", "x_axis", "y_axis"]

FONT = "system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif"
AXIS = "#666"
GRID = "#e6e6e6"
INK = "#222"


@dataclass(frozen=True)
class Frame:
    """A plotting area inside an SVG: pixel box and the data ranges it maps.

    Attributes
    ----------
    left, top, width, height : float
        The plotting box in pixels.
    x0, x1, y0, y1 : float
        Data ranges mapped to the box (``y`` grows upwards).
    """

    left: float
    top: float
    width: float
    height: float
    x0: float = 0.0
    x1: float = 1.0
    y0: float = 0.0
    y1: float = 1.0

    def x(self, v: float) -> float:
        """Pixel x of data value ``v``."""
        span = (self.x1 - self.x0) or 1.0
        return self.left + (v - self.x0) / span * self.width

    def y(self, v: float) -> float:
        """Pixel y of data value ``v``."""
        span = (self.y1 - self.y0) or 1.0
        return self.top + self.height - (v - self.y0) / span * self.height

    @property
    def bottom(self) -> float:
        """Pixel y of the bottom edge."""
        return self.top + self.height


def _n(v: float) -> str:
    """A compact number for an SVG attribute."""
    out = f"{v:.2f}".rstrip("0").rstrip(".")
    return "0" if out == "-0" else out


def document(width: int, height: int, body: Sequence[str], *, title: str) -> str:
    """Wrap SVG elements in an ``<svg>`` with an accessible, escaped title."""
    t = html.escape(title)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="{t}" font-family="{html.escape(FONT)}" font-size="11">'
        f"<title>{t}</title>" + "".join(body) + "</svg>"
    )


def text(x: float, y: float, s: str, *, anchor: str = "start", size: float = 11, fill: str = INK,
         weight: str = "normal") -> str:
    """An escaped ``<text>`` element."""
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}" font-size="{_n(size)}" fill="{fill}"'
        f' font-weight="{weight}">{html.escape(s)}</text>'
    )


def rect(x: float, y: float, w: float, h: float, *, fill: str, tip: str | None = None) -> str:
    """A ``<rect>``, with an escaped hover tip when ``tip`` is given."""
    inner = f"<title>{html.escape(tip)}</title>" if tip else ""
    return f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(max(w, 0))}" height="{_n(max(h, 0))}" fill="{fill}">{inner}</rect>'


def polygon(points: Sequence[tuple[float, float]], *, fill: str, stroke: str, opacity: float = 0.6) -> str:
    """A filled ``<polygon>`` with an outline."""
    pts = " ".join(f"{_n(x)},{_n(y)}" for x, y in points)
    return f'<polygon points="{pts}" fill="{fill}" fill-opacity="{opacity}" stroke="{stroke}" stroke-width="1"/>'


def line(x1: float, y1: float, x2: float, y2: float, *, stroke: str = AXIS, width: float = 1) -> str:
    """A ``<line>``."""
    return (
        f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" stroke="{stroke}" '
        f'stroke-width="{_n(width)}"/>'
    )


def nice_ticks(hi: float, n: int = 5) -> list[float]:
    """Round tick values from 0 to at least ``hi`` (at most about ``n`` + 1 of them)."""
    if hi <= 0:
        return [0.0, 1.0]
    raw = hi / n
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    if hi >= 1 and step < 1:
        step = 1.0
    count = math.ceil(hi / step - 1e-9)
    return [round(k * step, 10) for k in range(count + 1)]


def _label(v: float) -> str:
    return f"{v:g}" if abs(v) < 1e6 else f"{v:.2g}"


def y_axis(f: Frame, ticks: Sequence[float], *, label: str = "") -> list[str]:
    """Horizontal grid lines with tick labels on the left, and the axis label."""
    out = []
    for t in ticks:
        y = f.y(t)
        out.append(line(f.left, y, f.left + f.width, y, stroke=GRID))
        out.append(text(f.left - 4, y + 4, _label(t), anchor="end", fill=AXIS))
    if label:
        out.append(text(f.left - 30, f.top - 8, label, fill=AXIS))
    return out


def x_axis(f: Frame, ticks: Sequence[tuple[float, str]], *, label: str = "") -> list[str]:
    """The bottom axis line, tick labels at data positions, and the axis label."""
    out = [line(f.left, f.bottom, f.left + f.width, f.bottom)]
    for v, s in ticks:
        out.append(text(f.x(v), f.bottom + 14, s, anchor="middle", fill=AXIS))
    if label:
        out.append(text(f.left + f.width / 2, f.bottom + 30, label, anchor="middle", fill=AXIS))
    return out


def legend(x: float, y: float, items: Sequence[tuple[str, str]], *, step: float = 0) -> list[str]:
    """Colour swatches with escaped names, in one row (``step`` 0: spaced by name length)."""
    out = []
    for name, colour in items:
        out.append(rect(x, y - 9, 10, 10, fill=colour))
        out.append(text(x + 14, y, name))
        x += step or 14 + 6.5 * len(name) + 12
    return out

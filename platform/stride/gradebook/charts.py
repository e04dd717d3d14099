"""Charts as inline SVG, drawn on the server: readable without JavaScript, no library.

Each function returns a complete ``<svg>`` element as a SafeString, ready for a template
(``{{ chart }}``). Every piece of text in it is escaped here, so labels may come from users.
The markup uses presentation attributes and classes only (no ``style`` attributes, no
scripts), which a strict Content-Security-Policy allows; ``fill="currentColor"`` lets the
page's CSS colour it (``.stride-chart .bar`` and friends). Each chart has a ``<title>``
and ``<desc>`` for screen readers, and every bar or dot a ``<title>`` tooltip.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime
from html import escape

from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 640, 240
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 48, 12, 28, 44
MAX_LABELS = 12

_counter = 0


def _id(prefix: str) -> str:
    """Ids unique within a page (several charts may share one)."""
    global _counter
    _counter += 1
    return f"{prefix}-{_counter}"


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _number(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") if not float(value).is_integer() else str(int(value))


def nice_ceiling(value: float) -> float:
    """A round number at or above ``value`` for the top of an axis (1, 2, 5, 10, 20, 50, ...)."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * magnitude:
            return float(step * magnitude)
    return float(10 * magnitude)


def _frame(title: str, description: str, width: int, height: int, body: list[str]) -> SafeString:
    title_id, desc_id = _id("chart-title"), _id("chart-desc")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="stride-chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="{title_id} {desc_id}">',
        f'<title id="{title_id}">{_e(title)}</title>',
        f'<desc id="{desc_id}">{_e(description)}</desc>',
        f'<text class="chart-title" x="{MARGIN_LEFT}" y="16" font-size="13" fill="currentColor">{_e(title)}</text>',
        *body,
        "</svg>",
    ]
    return mark_safe("".join(parts))  # noqa: S308 - every text above went through _e


def _y_axis(top: float, plot_h: float, width: int, y_label: str) -> list[str]:
    body = []
    for fraction in (0, 0.5, 1):
        y = MARGIN_TOP + plot_h * (1 - fraction)
        body.append(
            f'<line class="grid" x1="{MARGIN_LEFT}" x2="{width - MARGIN_RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="currentColor" stroke-opacity="0.15"/>'
        )
        body.append(
            f'<text class="tick" x="{MARGIN_LEFT - 6}" y="{y + 4:.1f}" font-size="10" text-anchor="end" '
            f'fill="currentColor">{_e(_number(top * fraction))}</text>'
        )
    if y_label:
        body.append(
            f'<text class="axis-label" x="12" y="{MARGIN_TOP + plot_h / 2:.1f}" font-size="10" text-anchor="middle" '
            f'fill="currentColor" transform="rotate(-90 12 {MARGIN_TOP + plot_h / 2:.1f})">{_e(y_label)}</text>'
        )
    return body


def bar_chart(
    bars: Sequence[tuple[str, float]],
    *,
    title: str,
    y_label: str = "",
    x_label: str = "",
    width: int = WIDTH,
    height: int = HEIGHT,
) -> SafeString:
    """Vertical bars, one per (label, value); at most a dozen labels are written under them."""
    plot_w = width - MARGIN_LEFT - MARGIN_RIGHT
    plot_h = height - MARGIN_TOP - MARGIN_BOTTOM
    top = nice_ceiling(max((v for _, v in bars), default=0))
    body = _y_axis(top, plot_h, width, y_label)
    count = max(len(bars), 1)
    slot = plot_w / count
    every = max(1, math.ceil(len(bars) / MAX_LABELS))
    for index, (label, value) in enumerate(bars):
        bar_h = plot_h * (max(value, 0) / top)
        x = MARGIN_LEFT + index * slot + slot * 0.1
        y = MARGIN_TOP + plot_h - bar_h
        body.append(
            f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{slot * 0.8:.1f}" height="{bar_h:.1f}" '
            f'fill="currentColor" fill-opacity="0.7"><title>{_e(label)}: {_e(_number(value))}</title></rect>'
        )
        if index % every == 0:
            body.append(
                f'<text class="tick" x="{x + slot * 0.4:.1f}" y="{MARGIN_TOP + plot_h + 14:.1f}" font-size="10" '
                f'text-anchor="middle" fill="currentColor">{_e(label)}</text>'
            )
    if x_label:
        body.append(
            f'<text class="axis-label" x="{MARGIN_LEFT + plot_w / 2:.1f}" y="{height - 6}" font-size="10" '
            f'text-anchor="middle" fill="currentColor">{_e(x_label)}</text>'
        )
    summary = "; ".join(f"{label}: {_number(value)}" for label, value in bars[:50]) or "no data"
    return _frame(title, summary, width, height, body)


def histogram(counts: Sequence[int], *, title: str, x_label: str = "score", width: int = WIDTH,
              height: int = HEIGHT) -> SafeString:  # fmt: skip
    """Bins of equal width over 0..100 % (10 bins: 0-10 %, ..., 90-100 %, the last including 100 %)."""
    size = 100 / max(len(counts), 1)
    bars = [(f"{round(i * size)}-{round((i + 1) * size)}%", float(n)) for i, n in enumerate(counts)]
    return bar_chart(bars, title=title, y_label="students", x_label=x_label, width=width, height=height)


def timeline(
    events: Sequence[tuple[datetime, float, str]],
    *,
    title: str,
    width: int = WIDTH,
    height: int = HEIGHT,
) -> SafeString:
    """Dots over time: (when, score 0..1, label) each; the y axis is the score in percent."""
    plot_w = width - MARGIN_LEFT - MARGIN_RIGHT
    plot_h = height - MARGIN_TOP - MARGIN_BOTTOM
    body = _y_axis(100, plot_h, width, "score %")
    if events:
        start = min(e[0] for e in events)
        end = max(e[0] for e in events)
        span = max((end - start).total_seconds(), 1.0)
        for when, score, label in sorted(events, key=lambda e: e[0]):
            x = MARGIN_LEFT + plot_w * ((when - start).total_seconds() / span if end > start else 0.5)
            y = MARGIN_TOP + plot_h * (1 - min(max(score, 0.0), 1.0))
            body.append(
                f'<circle class="dot" cx="{x:.1f}" cy="{y:.1f}" r="4" fill="currentColor">'
                f"<title>{_e(label)}: {_e(_number(round(score * 100, 1)))}%</title></circle>"
            )
        for moment, anchor, x in ((start, "start", MARGIN_LEFT), (end, "end", width - MARGIN_RIGHT)):
            body.append(
                f'<text class="tick" x="{x}" y="{MARGIN_TOP + plot_h + 14:.1f}" font-size="10" '
                f'text-anchor="{anchor}" fill="currentColor">{_e(f"{moment:%Y-%m-%d %H:%M}")}</text>'
            )
    summary = f"{len(events)} attempt(s)" if events else "no attempts"
    return _frame(title, summary, width, height, body)

"""Expected and actual feature maps as SVG heatmaps, drawn on the server (no script needed).

Cells are coloured on one diverging scale shared by both maps (blue below zero, white at
zero, orange above), each shows its value, and cells where the two maps differ beyond the
exercise's tolerance are outlined on both sides.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

CELL = 34
MAX_CELLS = 24 * 24  # bigger arrays are described, not drawn
#: The outer ring of a differing cell: dark enough for 3:1 on every fill paler than the
#: middle of the scale (the white inner ring takes the darker fills).
DIFF_RING = "#7f1d1d"


@dataclass
class Grid:
    values: list[list[float]]

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.values), len(self.values[0]) if self.values else 0


def as_grid(value: Any) -> Grid | None:
    """A 2D array of finite numbers (a 1D one becomes a single row, 3D arrays are not drawn)."""
    if not isinstance(value, list) or not value:
        return None
    rows = value if isinstance(value[0], list) else [value]
    width = len(rows[0]) if isinstance(rows[0], list) else 0
    if width == 0 or len(rows) * width > MAX_CELLS:
        return None
    grid = []
    for row in rows:
        if not isinstance(row, list) or len(row) != width:
            return None
        cells = []
        for v in row:
            if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
                return None
            cells.append(float(v))
        grid.append(cells)
    return Grid(grid)


def _colour(value: float, scale: float) -> str:
    t = max(-1.0, min(1.0, value / scale)) if scale else 0.0
    # White at zero, towards blue (#2b6cb0) below and orange (#c05621) above.
    target = (43, 108, 176) if t < 0 else (192, 86, 33)
    mix = abs(t)
    r, g, b = (round(255 + (c - 255) * mix) for c in target)
    return f"#{r:02x}{g:02x}{b:02x}"


def _luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of a #rrggbb colour."""
    channels = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: str, other: str) -> float:
    """WCAG 2.1 contrast ratio of two #rrggbb colours (1 to 21)."""
    light, dark = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def text_colour(fill: str) -> str:
    """Black or white, whichever stands out more on ``fill``.

    Every colour reaches at least 4.58:1 with one of the two, so a value is always readable
    (WCAG AA, 4.5:1). A fixed threshold on the value cannot promise that: black on the dark blue end
    of the scale is only 3.9:1, and white on the pale middle far less.
    """
    return "#000000" if contrast(fill, "#000000") >= contrast(fill, "#ffffff") else "#ffffff"


def _label(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def differing(expected: Grid, actual: Grid, rtol: float = 1e-7, atol: float = 1e-9) -> set[tuple[int, int]]:
    if expected.shape != actual.shape:
        return set()
    return {
        (r, c)
        for r, row in enumerate(expected.values)
        for c, e in enumerate(row)
        if abs(actual.values[r][c] - e) > atol + rtol * abs(e)
    }


def svg(grid: Grid, title: str, marked: set[tuple[int, int]], scale: float) -> SafeString:
    rows, cols = grid.shape
    width, height = cols * CELL, rows * CELL
    cells = []
    for r, row in enumerate(grid.values):
        for c, value in enumerate(row):
            diff = (r, c) in marked
            fill = _colour(value, scale)
            ink = text_colour(fill)
            cells.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" class="{}">'
                    "<title>row {}, column {}: {}{}</title></rect>"
                    '<text x="{}" y="{}" class="{}" fill="{}" text-anchor="middle" dominant-baseline="central">'
                    "{}</text>",
                    c * CELL,
                    r * CELL,
                    CELL,
                    CELL,
                    fill,
                    "cell diff" if diff else "cell",
                    r,
                    c,
                    _label(value),
                    " (differs)" if diff else "",
                    c * CELL + CELL / 2,
                    r * CELL + CELL / 2,
                    "value dark" if ink == "#000000" else "value light",
                    ink,
                    _label(value),
                )
            )
    # Outlines last, so no neighbouring cell covers half of them. Two rings: a dark red one on
    # the cell's edge and a white one just inside it, so that one of them stands out (3:1,
    # WCAG 1.4.11) on any fill of the scale, from white to the darkest blue or orange.
    inset = 2.75
    outlines = [
        format_html(
            '<rect x="{}" y="{}" width="{}" height="{}" class="diff-outline" fill="none" stroke="{}" stroke-width="3"/>'
            '<rect x="{}" y="{}" width="{}" height="{}" class="diff-outline-inner" fill="none" stroke="#ffffff"'
            ' stroke-width="1.5"/>',
            c * CELL,
            r * CELL,
            CELL,
            CELL,
            DIFF_RING,
            c * CELL + inset,
            r * CELL + inset,
            CELL - 2 * inset,
            CELL - 2 * inset,
        )
        for r, c in sorted(marked)
        if r < rows and c < cols
    ]
    cells.extend(outlines)
    return format_html(
        '<svg class="heatmap-grid" viewBox="-2 -2 {} {}" width="{}" height="{}" role="img" aria-label="{}">{}</svg>',
        width + 4,
        height + 4,
        width + 4,
        height + 4,
        f"{title}: {rows} by {cols}",
        mark_safe("".join(cells)),  # noqa: S308 - every cell was built with format_html
    )


def heatmap_pair(expected: Any, actual: Any, rtol: float = 1e-7, atol: float = 1e-9) -> SafeString | None:
    """Both maps side by side, or None when they cannot be drawn (not 2D numbers, too big)."""
    want, got = as_grid(expected), as_grid(actual)
    if want is None:
        return None
    marked = differing(want, got, rtol, atol) if got is not None else set()
    values = [abs(v) for grid in (want, got) if grid for row in grid.values for v in row]
    scale = max(values) if values and max(values) > 0 else 1.0
    figures = [("expected", "Expected", want)]
    if got is not None:
        figures.append(("actual", "Your output", got))
    parts = format_html_join(
        "",
        '<figure class="heatmap {}"><figcaption>{} <span class="muted">{} x {}</span></figcaption>{}</figure>',
        ((kind, label, grid.shape[0], grid.shape[1], svg(grid, label, marked, scale)) for kind, label, grid in figures),
    )
    note = ""
    if got is not None and want.shape != got.shape:
        note = format_html(
            '<p class="field-error">Shapes differ: expected {} x {}, got {} x {}.</p>', *want.shape, *got.shape
        )
    elif marked:
        note = format_html('<p class="muted">{} differing cells are outlined.</p>', len(marked))
    return format_html('<figure class="heatmap-pair">{}</figure>{}', parts, note)

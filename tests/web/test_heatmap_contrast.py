"""The server-drawn heatmaps stay readable on every colour of their scale (WCAG 1.4.3 and 1.4.11).

axe cannot judge text drawn over SVG shapes, so the colours are checked here: every value's
label reaches 4.5:1 on its cell, and a differing cell's outline has a ring of 3:1 on any fill.
"""

from __future__ import annotations

import re

from stride.web.heatmap import DIFF_RING, _colour, contrast, heatmap_pair, text_colour

#: The scale from the darkest blue (-1) through white (0) to the darkest orange (1), finely.
FILLS = [_colour(step / 200, 1.0) for step in range(-200, 201)]


def test_it_computes_contrast_as_wcag_defines_it() -> None:
    assert round(contrast("#000000", "#ffffff"), 2) == 21.0
    assert contrast("#777777", "#777777") == 1.0
    # Published pair: #767676 on white is the lightest grey that passes AA (4.54:1).
    assert round(contrast("#767676", "#ffffff"), 2) == 4.54


def test_it_labels_every_cell_of_the_scale_with_at_least_aa_contrast() -> None:
    weakest = min(FILLS, key=lambda fill: contrast(fill, text_colour(fill)))
    assert contrast(weakest, text_colour(weakest)) >= 4.5, weakest
    # Black labels everywhere (as the maps had) fail on the dark blue end: white is used there.
    darkest_blue = _colour(-1, 1.0)
    assert contrast(darkest_blue, "#000000") < 4.5 and text_colour(darkest_blue) == "#ffffff"
    assert text_colour(_colour(0, 1.0)) == "#000000"


def test_it_outlines_differing_cells_with_a_ring_that_stands_out_on_every_fill() -> None:
    weakest = min(max(contrast(fill, DIFF_RING), contrast(fill, "#ffffff")) for fill in FILLS)
    assert weakest >= 3.0


def test_it_draws_the_labels_and_rings_with_those_colours() -> None:
    html = str(heatmap_pair([[-4.0, 0.0], [2.0, 4.0]], [[-4.0, 1.0], [2.0, 4.0]]))
    labels = re.findall(r'<rect [^>]*fill="(#[0-9a-f]{6})"[^>]*>.*?</rect><text [^>]*fill="(#[0-9a-f]{6})"', html)
    assert len(labels) == 8
    for fill, ink in labels:
        assert contrast(fill, ink) >= 4.5, (fill, ink)
    assert html.count('class="diff-outline" fill="none" stroke="#7f1d1d"') == 2
    assert html.count('class="diff-outline-inner" fill="none" stroke="#ffffff"') == 2

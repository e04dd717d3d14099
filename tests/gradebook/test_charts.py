"""Server-side SVG charts: well-formed, escaped, accessible, no scripts or inline styles."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

from stride.gradebook import charts

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def test_a_bar_chart_has_a_bar_with_a_tooltip_per_value_and_a_title() -> None:
    svg = charts.bar_chart([("Mon", 3), ("Tue", 0), ("Wed", 7)], title="Submissions per day", y_label="n")
    root = parse(svg)
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Submissions per day"
    bars = root.findall(f".//{SVG}rect")
    assert [bar.find(f"{SVG}title").text for bar in bars] == ["Mon: 3", "Tue: 0", "Wed: 7"]
    heights = [float(bar.get("height")) for bar in bars]
    assert heights[1] == 0 and heights[2] > heights[0] > 0
    assert "Mon: 3; Tue: 0; Wed: 7" in root.find(f"{SVG}desc").text


def test_text_from_users_is_escaped() -> None:
    svg = charts.bar_chart([('<script>alert("x")</script>', 1)], title="A & B <i>")
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "A &amp; B &lt;i&gt;" in svg
    parse(svg)  # still well-formed


def test_no_scripts_or_style_attributes_for_a_strict_content_security_policy() -> None:
    for svg in (
        charts.bar_chart([("a", 1)], title="t"),
        charts.histogram([1, 2, 3, 0, 0, 0, 0, 0, 0, 4], title="Scores"),
        charts.timeline([(datetime(2025, 1, 1, tzinfo=UTC), 0.5, "try 1")], title="Ada"),
    ):
        root = parse(svg)
        assert not root.findall(f".//{SVG}script")
        assert all(element.get("style") is None for element in root.iter())
        assert all(not name.startswith("on") for element in root.iter() for name in element.attrib)


def test_a_histogram_labels_its_ten_bins_in_percent() -> None:
    root = parse(charts.histogram([0, 0, 0, 0, 0, 0, 0, 0, 1, 5], title="Scores"))
    tips = [bar.find(f"{SVG}title").text for bar in root.findall(f".//{SVG}rect")]
    assert tips[0] == "0-10%: 0" and tips[-1] == "90-100%: 5" and len(tips) == 10


def test_a_timeline_places_dots_by_time_and_score() -> None:
    start = datetime(2025, 1, 1, tzinfo=UTC)
    root = parse(charts.timeline([(start, 0.0, "first"), (start + timedelta(days=2), 1.0, "second")], title="Ada"))
    first, second = root.findall(f".//{SVG}circle")
    assert float(first.get("cx")) < float(second.get("cx"))
    assert float(first.get("cy")) > float(second.get("cy"))  # a higher score is higher up
    assert second.find(f"{SVG}title").text == "second: 100%"
    assert parse(charts.timeline([], title="Nobody")).find(f"{SVG}desc").text == "no attempts"


def test_empty_data_still_draws_a_chart() -> None:
    assert parse(charts.bar_chart([], title="Nothing")).find(f"{SVG}desc").text == "no data"


def test_axis_tops_are_round_numbers() -> None:
    assert [charts.nice_ceiling(v) for v in (0, 0.3, 1, 3, 7, 11, 240)] == [1, 0.5, 1, 5, 10, 20, 500]


def test_several_charts_on_a_page_have_distinct_ids() -> None:
    one, two = parse(charts.bar_chart([], title="a")), parse(charts.bar_chart([], title="b"))
    assert one.find(f"{SVG}title").get("id") != two.find(f"{SVG}title").get("id")

# ruff: noqa: F811 - the fixtures come from tests/web/teach_support.py, imported by name
"""Analytics pages: server-drawn SVG charts with their numbers in tables beside them."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from tests.web.conftest import Visitor
from tests.web.teach_support import (  # noqa: F401 - fixtures
    _no_rate_limit,
    assert_login_redirect,
    conv2d,
    conv2d_item,
    graded,
    instructor,
    row,
    ta,
    text,
    visitor,
)


@pytest.fixture
def work(offering, conv2d_item, student: Visitor, other_student: Visitor, graded):
    """In Berlin: Ada fails twice on 3 March (late evening there, still 2 March in UTC once) and passes on
    4 March; Grace passes at once on 4 March; Hedy never starts."""
    offering.time_zone = "Europe/Berlin"
    offering.save()
    fails = (("stride 2", "wrong_shape"), ("padding same", "wrong_values"))
    graded(student.user, conv2d_item, 0.25, at=datetime(2026, 3, 2, 23, 30, tzinfo=UTC), failing=fails)
    graded(student.user, conv2d_item, 0.5, at=datetime(2026, 3, 3, 10, 0, tzinfo=UTC), failing=fails[:1])
    graded(student.user, conv2d_item, 1.0, at=datetime(2026, 3, 4, 9, 0, tzinfo=UTC))
    graded(other_student.user, conv2d_item, 1.0, at=datetime(2026, 3, 4, 12, 0, tzinfo=UTC))
    hedy = visitor("hedy", offering, first_name="Hedy", last_name="Lamarr")
    return hedy


def svg_count(html: str) -> int:
    return len(re.findall(r'<svg xmlns="http://www.w3.org/2000/svg" class="stride-chart"', html))


def test_the_overview_draws_submissions_over_time_and_each_item(work, conv2d_item, instructor: Visitor) -> None:
    html = instructor.client.get("/teach/spring/analytics/").content.decode()
    assert svg_count(html) == 2 and "style=" not in html and "<script>" not in html
    days = re.findall(r"<tr><td>(\d{4}-\d{2}-\d{2})</td><td class=\"numeric\">(\d+)</td></tr>", html)
    # Calendar days in Berlin: 23:30 UTC on 2 March is already 3 March there.
    assert days == [("2026-03-03", "2"), ("2026-03-04", "2")]
    cells = row(html, "data-item", str(conv2d_item.pk))
    assert " 4 2 1 " in f" {cells} "  # attempts, started, not started
    assert cells.endswith(" 2")  # the median of 3 attempts (Ada) and 1 (Grace)
    assert "Hedy Lamarr" in text(html.split("Not started anything")[1].split("Timelines")[0])


def test_the_item_page_has_the_histogram_the_failed_tests_and_who_has_not_started(
    work, conv2d_item, instructor: Visitor
) -> None:
    html = instructor.client.get(f"/teach/spring/analytics/items/{conv2d_item.pk}/").content.decode()
    assert svg_count(html) == 3
    histogram = re.findall(
        r"<tr><td>([^<]+)</td><td class=\"numeric\">(\d+)</td></tr>", html.split("Counted scores (")[-1]
    )
    assert histogram[-1] == ("90–100% (incl.)", "2") and sum(int(n) for _, n in histogram[:10]) == 2
    stride = row(html, "data-test", "stride 2")
    # Out of the gradings that ran the test (the made-up results list only the failing tests).
    assert "2 of 2" in stride and "wrong_shape × 2" in stride
    assert "1 of 1" in row(html, "data-test", "padding same") and "wrong_values × 1" in row(
        html, "data-test", "padding same"
    )
    assert html.index('data-test="stride 2"') < html.index('data-test="padding same"')
    assert "<dd data-median>2</dd>" in html
    assert "Hedy Lamarr" in text(html.split("Not started (1)")[1])


def test_the_student_page_draws_the_timeline_in_local_time(work, student: Visitor, instructor: Visitor) -> None:
    html = instructor.client.get(f"/teach/spring/analytics/students/{student.user.pk}/").content.decode()
    assert svg_count(html) == 1 and html.count("<circle") == 3
    assert "2026-03-03 00:30 CET" in html and "2026-03-04 10:00 CET" in html
    assert ">2026-03-03 00:30</text>" in html  # the chart's first tick, in Berlin time too
    assert html.count('<span class="badge verdict-passed">counts</span>') == 1


def test_charts_escape_what_users_typed(offering, conv2d_item, graded, instructor: Visitor) -> None:
    evil = visitor("evil", offering, first_name="<script>alert(1)</script>", last_name="X")
    graded(evil.user, conv2d_item, 0.5)
    html = instructor.client.get(f"/teach/spring/analytics/students/{evil.user.pk}/").content.decode()
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html


def test_an_offering_without_work_has_empty_charts(offering, conv2d_item, instructor: Visitor) -> None:
    html = instructor.client.get("/teach/spring/analytics/").content.decode()
    assert "No attempts yet." in html and svg_count(html) == 2
    item = instructor.client.get(f"/teach/spring/analytics/items/{conv2d_item.pk}/")
    assert item.status_code == 200 and b"No failures in graded attempts." in item.content


def test_tas_see_analytics_students_and_anonymous_visitors_do_not(
    work, conv2d_item, ta: Visitor, student: Visitor, anonymous: Visitor
) -> None:
    urls = [
        "/teach/spring/analytics/",
        f"/teach/spring/analytics/items/{conv2d_item.pk}/",
        f"/teach/spring/analytics/students/{student.user.pk}/",
    ]
    for url in urls:
        assert ta.client.get(url).status_code == 200
        assert student.client.get(url).status_code == 403
        assert_login_redirect(anonymous.client.get(url), url)
        assert ta.client.post(url).status_code == 405


def test_unknown_items_and_students_are_404(work, instructor: Visitor, ta: Visitor) -> None:
    assert instructor.client.get("/teach/spring/analytics/items/999999/").status_code == 404
    assert instructor.client.get(f"/teach/spring/analytics/students/{ta.user.pk}/").status_code == 404  # not a student

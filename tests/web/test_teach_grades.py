# ruff: noqa: F811 - the fixtures come from tests/web/teach_support.py, imported by name
"""The gradebook page and its downloads: attachments that parse, match the table and are logged."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

import pytest
from django.utils import timezone

from stride.gradebook.models import ExportLog
from stride.offerings.models import Extension
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
)

PAGE = "/teach/spring/grades/"


@pytest.fixture
def work(offering, conv2d_item, student: Visitor, other_student: Visitor, graded):
    """Ada: 50 % then 100 % (the best counts); Grace: 100 % two days late, 10 % off per day."""
    conv2d_item.due_at = timezone.now() - timedelta(days=3)
    conv2d_item.late_policy = "penalty"
    conv2d_item.penalty_per_day = 10
    conv2d_item.points = 10
    conv2d_item.save()
    due = conv2d_item.due_at
    graded(student.user, conv2d_item, 0.5, at=due - timedelta(hours=5))
    graded(student.user, conv2d_item, 1.0, at=due - timedelta(hours=1))
    graded(other_student.user, conv2d_item, 1.0, at=due + timedelta(hours=30))
    return conv2d_item


def download(visitor: Visitor, fmt: str):
    response = visitor.client.get(f"/teach/spring/grades/download/{fmt}")
    assert response.status_code == 200, response.status_code
    return response


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_table_shows_what_counts_after_the_late_policy(work, instructor: Visitor) -> None:
    html = instructor.client.get(PAGE).content
    ada, grace = row(html, "data-student", "ada"), row(html, "data-student", "grace")
    assert ada.split()[-2:] == ["10", "10"]  # the item's column, then the total
    assert "2d late" in grace and grace.split()[-1] == "8"


def test_the_csv_download_is_an_attachment_that_matches_the_table(work, instructor: Visitor) -> None:
    response = download(instructor, "csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="spring-grades-')
    assert response["Content-Disposition"].endswith('.csv"')
    header, *rows = csv_rows(response)
    assert header == ["Name", "Username", "Email", "Student ID", work.title, "Total"]
    by_user = {r[1]: r for r in rows}
    assert by_user["ada"][-2:] == ["10", "10"] and by_user["grace"][-2:] == ["8", "8"]
    log = ExportLog.objects.get()
    assert (log.format, log.via, log.user, log.rows, log.offering_slug) == ("csv", "web", instructor.user, 2, "spring")
    assert "csv by irene via web (2 rows)" in text(instructor.client.get(PAGE).content)


def test_every_format_downloads_and_parses(work, instructor: Visitor) -> None:
    details = csv_rows(download(instructor, "details"))
    assert details[0][:4] == ["Name", "Username", "Email", "Student ID"] and len(details) == 1 + 3
    canvas = csv_rows(download(instructor, "canvas"))
    assert canvas[0][:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    assert canvas[1][0] == "Points Possible" and canvas[1][5] == "10"
    moodle = csv_rows(download(instructor, "moodle"))
    assert moodle[0][:4] == ["First name", "Last name", "ID number", "Email address"]
    response = download(instructor, "json")
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].endswith('.json"')
    data = json.loads(response.content)
    assert {s["username"]: s["total"] for s in data["students"]} == {"ada": 10.0, "grace": 8.0}
    assert ExportLog.objects.count() == 4
    assert instructor.client.get("/teach/spring/grades/download/xlsx").status_code == 404
    assert ExportLog.objects.count() == 4


def test_an_extension_shows_in_the_table_and_the_export(work, instructor: Visitor, other_student: Visitor) -> None:
    Extension.objects.create(item=work, user=other_student.user, due_at=work.due_at + timedelta(days=2))
    assert "ext." in row(instructor.client.get(PAGE).content, "data-student", "grace")
    header, *rows = csv_rows(download(instructor, "csv"))
    assert {r[1]: r[-1] for r in rows}["grace"] == "10"  # on time for her


def test_tas_see_the_gradebook_but_exports_are_the_instructors(work, ta: Visitor) -> None:
    page = ta.client.get(PAGE)
    assert page.status_code == 200 and b"data-export=" not in page.content
    assert ta.client.get(f"{PAGE}download/csv").status_code == 403  # the link is not even shown
    assert not ExportLog.objects.exists()


def test_students_and_anonymous_visitors_get_no_grades_and_nothing_is_logged(
    work, student: Visitor, outsider: Visitor, anonymous: Visitor
) -> None:
    for url in (PAGE, "/teach/spring/grades/download/csv", "/teach/spring/grades/download/json"):
        assert student.client.get(url).status_code == 403
        assert outsider.client.get(url).status_code == 403
        assert_login_redirect(anonymous.client.get(url), url)
    assert not ExportLog.objects.exists()


def test_downloads_are_get_only(work, instructor: Visitor) -> None:
    assert instructor.client.post("/teach/spring/grades/download/csv").status_code == 405
    assert instructor.client.post(PAGE).status_code == 405
    assert not ExportLog.objects.exists()

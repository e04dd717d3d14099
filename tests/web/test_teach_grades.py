# ruff: noqa: F811 - the fixtures come from tests/web/teach_support.py, imported by name
"""The gradebook page and its downloads: attachments that parse, match the table and are logged."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from stride.exercises.models import Exercise
from stride.gradebook.models import ExportLog
from stride.offerings.models import Extension, GradedItem
from stride.quizzes.models import Quiz, QuizAttempt
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


def test_every_export_rounds_a_half_cent_as_the_table_does(
    offering, conv2d_item, student: Visitor, instructor: Visitor, graded
) -> None:
    conv2d_item.points = 4.05  # half of it is 2.025, stored as a binary number just below that
    conv2d_item.save()
    graded(student.user, conv2d_item, 0.5)
    assert row(instructor.client.get(PAGE).content, "data-student", "ada").split()[-2:] == ["2.03", "2.03"]
    assert csv_rows(download(instructor, "csv"))[1][-2:] == ["2.03", "2.03"]
    assert csv_rows(download(instructor, "canvas"))[2][-1] == "2.03"
    assert csv_rows(download(instructor, "moodle"))[1][-1] == "2.03"
    assert csv_rows(download(instructor, "details"))[1][16] == "2.03"  # Points
    assert json.loads(download(instructor, "json").content)["students"][0]["total"] == 2.025


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


def test_the_table_and_the_exports_ask_the_database_as_often_for_30_students_as_for_1(
    offering, instructor: Visitor, graded
) -> None:
    """Ten items (nine exercises, a quiz), each student with a graded attempt at every one and an extension."""
    exercises = list(Exercise.objects.order_by("slug")[:9])
    items = [GradedItem.objects.create(offering=offering, exercise=e, position=i) for i, e in enumerate(exercises)]
    quiz = GradedItem.objects.create(offering=offering, quiz=Quiz.objects.filter(course=offering.course).first())
    items.append(quiz)
    assert len(items) == 10

    def enrol(count: int) -> None:
        for _ in range(count):
            user = visitor(f"student{offering.enrollments.count()}", offering).user
            for item in items[:-1]:
                graded(user, item, 0.5)
            QuizAttempt.objects.create(user=user, quiz=quiz.quiz, offering=offering, number=1, score=0.5, points=1,
                                       max_points=2)  # fmt: skip
            Extension.objects.create(item=items[0], user=user, due_at=timezone.now() + timedelta(days=1))

    def queries() -> dict[str, int]:
        counts = {}
        for url in (PAGE, *(f"{PAGE}download/{fmt}" for fmt in ("csv", "details", "canvas", "moodle", "json"))):
            with CaptureQueriesContext(connection) as captured:
                assert instructor.client.get(url).status_code == 200
            counts[url] = len(captured.captured_queries)
        return counts

    enrol(1)
    one = queries()
    enrol(29)
    assert queries() == one
    assert len(csv_rows(download(instructor, "csv"))) == 1 + 30

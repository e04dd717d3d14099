# ruff: noqa: F811 - the fixtures come from tests/web/teach_support.py, imported by name
"""Graded items of an offering (dates typed in its time zone) and extensions per student."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stride.offerings.models import Extension, GradedItem
from stride.quizzes.models import Quiz
from tests.web.conftest import Visitor
from tests.web.teach_support import (  # noqa: F401 - fixtures
    _no_rate_limit,
    assert_login_redirect,
    conv2d,
    conv2d_item,
    instructor,
    row,
    strict_client,
    ta,
    text,
    visitor,
)

RULES = {
    "target": "exercise:conv2d",
    "position": "",
    "opens_at": "2026-03-01 09:00",
    "due_at": "2026-03-29 23:59",
    "closes_at": "2026-04-05T23:59",
    "max_attempts": "3",
    "late_policy": "penalty",
    "penalty_per_day": "10",
    "penalty_cap": "50",
    "points": "",
    "counts": "best",
}


@pytest.fixture
def berlin(offering):
    offering.time_zone = "Europe/Berlin"
    offering.save()
    return offering


def test_it_adds_an_item_reading_the_dates_in_the_offerings_time_zone(berlin, conv2d, instructor: Visitor) -> None:
    response = instructor.client.post("/teach/spring/items/new", RULES)
    assert response.status_code == 302 and response["Location"] == "/teach/spring/"
    item = GradedItem.objects.get(offering=berlin)
    assert item.exercise == conv2d and item.quiz is None
    assert item.opens_at == datetime(2026, 3, 1, 8, 0, tzinfo=UTC)  # CET, +01:00
    assert item.due_at == datetime(2026, 3, 29, 21, 59, tzinfo=UTC)  # CEST, +02:00 from that morning
    assert item.closes_at == datetime(2026, 4, 5, 21, 59, tzinfo=UTC)
    assert (item.max_attempts, item.late_policy, item.penalty_per_day, item.penalty_cap) == (3, "penalty", 10, 50)
    assert item.points is None and item.possible_points() == conv2d.max_points
    overview = instructor.client.get("/teach/spring/")
    assert "2026-03-29 23:59 CEST" in row(overview.content, "data-item", "exercise:conv2d")


def test_a_date_with_an_offset_is_taken_as_written(berlin, conv2d, instructor: Visitor) -> None:
    instructor.client.post("/teach/spring/items/new", {**RULES, "due_at": "2026-03-29 23:59Z", "closes_at": ""})
    assert GradedItem.objects.get().due_at == datetime(2026, 3, 29, 23, 59, tzinfo=UTC)


def test_it_adds_a_quiz_of_the_course(berlin, instructor: Visitor) -> None:
    quiz = Quiz.objects.filter(course=berlin.course).first()
    response = instructor.client.post("/teach/spring/items/new", {**RULES, "target": f"quiz:{quiz.pk}"})
    assert response.status_code == 302
    assert GradedItem.objects.get().quiz == quiz


def test_it_shows_each_date_problem_under_its_field_and_saves_nothing(berlin, conv2d, instructor: Visitor) -> None:
    response = instructor.client.post(
        "/teach/spring/items/new",
        {**RULES, "opens_at": "2026-03-29 02:30", "due_at": "next friday", "closes_at": "2026-10-25 02:30"},
    )
    assert response.status_code == 422
    html = text(response.content)
    assert "2026-03-29 02:30 does not exist in Europe/Berlin (the clocks skip it)" in html
    assert "'next friday' is not a date and time like 2025-03-30 23:59" in html
    assert "2026-10-25 02:30 happens twice in Europe/Berlin" in html and "+02:00" in html
    assert "The item was not saved" in html
    assert not GradedItem.objects.exists()


def test_a_date_at_the_end_of_time_is_refused_not_a_server_error(conv2d, instructor: Visitor, offering) -> None:
    offering.time_zone = "America/New_York"
    offering.save()
    response = instructor.client.post(
        "/teach/spring/items/new", {**RULES, "opens_at": "", "due_at": "9999-12-31 23:59", "closes_at": ""}
    )
    assert response.status_code == 422
    assert "not a date from 1970 to 2999" in text(response.content)
    assert not GradedItem.objects.exists()


def test_it_refuses_dates_in_the_wrong_order(berlin, conv2d, instructor: Visitor) -> None:
    response = instructor.client.post(
        "/teach/spring/items/new", {**RULES, "opens_at": "2026-04-01 00:00", "closes_at": "2026-03-30 00:00"}
    )
    assert response.status_code == 422
    html = text(response.content)
    assert "the due time must come after the opening time" in html
    assert not GradedItem.objects.exists()


def test_it_refuses_numbers_out_of_range(berlin, conv2d, instructor: Visitor) -> None:
    response = instructor.client.post(
        "/teach/spring/items/new", {**RULES, "max_attempts": "0", "penalty_cap": "120", "points": "-1"}
    )
    assert response.status_code == 422
    assert text(response.content).count("Ensure this value is") == 3
    assert not GradedItem.objects.exists()


def test_an_exercise_is_graded_once_per_offering(berlin, conv2d_item, instructor: Visitor) -> None:
    page = instructor.client.get("/teach/spring/items/new").content.decode()
    assert 'value="exercise:conv2d"' not in page and 'value="exercise:relu"' in page
    response = instructor.client.post("/teach/spring/items/new", RULES)
    assert response.status_code == 422 and GradedItem.objects.count() == 1


def test_it_edits_an_items_rules_showing_its_dates_in_the_zone(berlin, conv2d_item, instructor: Visitor) -> None:
    conv2d_item.due_at = datetime(2026, 1, 10, 11, 0, tzinfo=UTC)
    conv2d_item.save()
    url = f"/teach/spring/items/{conv2d_item.pk}/"
    form = instructor.client.get(url).content.decode()
    assert 'value="2026-01-10 12:00"' in form and 'name="target"' not in form
    edited = {k: v for k, v in RULES.items() if k != "target"} | {"late_policy": "no_late", "points": "4"}
    assert instructor.client.post(url, edited).status_code == 302
    conv2d_item.refresh_from_db()
    assert (conv2d_item.late_policy, conv2d_item.points, conv2d_item.due_at.hour) == ("no_late", 4.0, 21)


def test_tas_see_the_items_but_may_not_change_them(berlin, conv2d_item, ta: Visitor, student: Visitor) -> None:
    assert ta.client.get("/teach/spring/").status_code == 200
    assert b"Add a graded item" not in ta.client.get("/teach/spring/").content
    assert ta.client.get("/teach/spring/items/new").status_code == 403
    assert ta.client.post("/teach/spring/items/new", RULES).status_code == 403
    assert ta.client.post(f"/teach/spring/items/{conv2d_item.pk}/", RULES).status_code == 403
    assert student.client.get(f"/teach/spring/items/{conv2d_item.pk}/").status_code == 403
    assert GradedItem.objects.get().late_policy == "no_late"


def test_items_need_login_csrf_and_get_or_post(berlin, conv2d_item, instructor: Visitor, anonymous) -> None:
    assert_login_redirect(anonymous.client.post("/teach/spring/items/new", RULES), "")
    assert strict_client(instructor.user).post("/teach/spring/items/new", RULES).status_code == 403
    assert instructor.client.delete(f"/teach/spring/items/{conv2d_item.pk}/").status_code == 405
    assert instructor.client.get("/teach/spring/items/999999/").status_code == 404
    assert instructor.client.get("/teach/spring/items/99999999999999999999999/").status_code == 404


# -- extensions ---------------------------------------------------------------------------------


@pytest.fixture
def due_item(berlin, conv2d_item):
    conv2d_item.due_at = datetime(2026, 3, 20, 22, 59, tzinfo=UTC)  # 23:59 in Berlin
    conv2d_item.closes_at = datetime(2026, 3, 27, 22, 59, tzinfo=UTC)
    conv2d_item.late_policy = "penalty"
    conv2d_item.save()
    return conv2d_item


def grant(visitor: Visitor, item, student: Visitor, due: str = "2026-03-24 23:59", reason: str = "ill"):
    enrolment = student.user.enrollments.get()
    return visitor.client.post(
        "/teach/spring/extensions/", {"item": item.pk, "student": enrolment.pk, "due_at": due, "reason": reason}
    )


def test_it_grants_an_extension_in_the_offerings_zone_and_moves_the_cutoff(
    due_item, instructor: Visitor, student: Visitor
) -> None:
    response = grant(instructor, due_item, student)
    assert response.status_code == 302
    extension = Extension.objects.get()
    assert extension.due_at == datetime(2026, 3, 24, 22, 59, tzinfo=UTC) and extension.granted_by == instructor.user
    html = instructor.client.get("/teach/spring/extensions/").content
    cells = row(html, "data-extension", str(extension.pk))
    assert "2026-03-24 23:59 CET" in cells and "2026-03-20 23:59 CET" in cells
    # The cutoff moved by the same four days of elapsed time: across the change to summer time.
    assert "2026-04-01 00:59 CEST" in cells
    assert "ill" in cells and "may hand in" in text(html)
    again = grant(instructor, due_item, student, due="2026-03-25 12:00")
    assert again.status_code == 302 and Extension.objects.get().due_at.day == 25  # replaced, not doubled


def test_the_extensions_page_asks_the_database_as_often_for_many_extensions_as_for_one(
    due_item, instructor: Visitor
) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert instructor.client.get("/teach/spring/extensions/").status_code == 200
        return len(captured.captured_queries)

    def extend(count: int) -> None:
        for _ in range(count):
            user = visitor(f"student{Extension.objects.count()}", due_item.offering).user
            Extension.objects.create(item=due_item, user=user, due_at=due_item.due_at + timedelta(days=2))

    extend(1)
    one = queries()
    extend(29)
    assert queries() == one
    cutoffs = text(instructor.client.get("/teach/spring/extensions/").content).count("2026-03-30 00:59 CEST")
    assert cutoffs == 30  # each one moved by its extension's two days


def test_it_refuses_an_extension_for_someone_not_a_student(due_item, instructor: Visitor, ta: Visitor) -> None:
    enrolment = ta.user.enrollments.get()
    response = instructor.client.post(
        "/teach/spring/extensions/", {"item": due_item.pk, "student": enrolment.pk, "due_at": "2026-03-24 23:59"}
    )
    assert response.status_code == 422 and not Extension.objects.exists()


def test_an_extension_needs_a_valid_due_time(due_item, instructor: Visitor, student: Visitor) -> None:
    response = grant(instructor, due_item, student, due="")
    assert response.status_code == 422 and b"This field is required." in response.content
    assert grant(instructor, due_item, student, due="2026-13-01 00:00").status_code == 422
    assert not Extension.objects.exists()


def test_it_takes_an_extension_back(due_item, instructor: Visitor, student: Visitor) -> None:
    grant(instructor, due_item, student)
    extension = Extension.objects.get()
    url = f"/teach/spring/extensions/{extension.pk}/revoke"
    assert instructor.client.get(url).status_code == 405
    assert strict_client(instructor.user).post(url).status_code == 403
    assert instructor.client.post(url).status_code == 302
    assert not Extension.objects.exists()
    assert instructor.client.post(url).status_code == 404


def test_tas_see_extensions_but_may_not_grant_or_revoke(due_item, instructor, ta: Visitor, student: Visitor) -> None:
    grant(instructor, due_item, student)
    extension = Extension.objects.get()
    page = ta.client.get("/teach/spring/extensions/")
    assert page.status_code == 200 and b"Grant an extension" not in page.content and b"Take back" not in page.content
    assert grant(ta, due_item, student, due="2026-04-30 00:00").status_code == 403
    assert ta.client.post(f"/teach/spring/extensions/{extension.pk}/revoke").status_code == 403
    assert student.client.get("/teach/spring/extensions/").status_code == 403
    assert Extension.objects.get().due_at.day == 24

# ruff: noqa: F811 - the fixtures come from tests/web/teach_support.py, imported by name
"""/teach/: the offerings a user teaches, opening a new one, and an offering's overview."""

from __future__ import annotations

from datetime import UTC, datetime

from stride.courses.models import Course
from stride.offerings.models import Enrollment, GradedItem, Offering
from tests.web.conftest import Visitor
from tests.web.teach_support import (  # noqa: F401 - fixtures
    _no_rate_limit,
    assert_login_redirect,
    conv2d,
    instructor,
    row,
    staff,
    strict_client,
    ta,
    text,
)

NEW = {"course": "", "slug": "autumn", "title": "Autumn term", "time_zone": "America/New_York"}


def new_offering(course: Course, **fields) -> dict:
    return {**NEW, "course": str(course.pk), **fields}


def test_it_lists_the_offerings_the_user_teaches_with_the_role(offering, instructor: Visitor, ta: Visitor) -> None:
    Offering.objects.create(slug="other", title="Someone else's", course=offering.course)
    html = instructor.client.get("/teach/").content.decode()
    assert row(html, "data-offering", "spring").startswith("Spring term (spring)")
    assert "instructor" in row(html, "data-offering", "spring")
    assert 'data-offering="other"' not in html
    assert "TA" in row(ta.client.get("/teach/").content, "data-offering", "spring")


def test_site_staff_see_every_offering(offering, staff: Visitor) -> None:
    Offering.objects.create(slug="other", title="Someone else's")
    html = staff.client.get("/teach/").content.decode()
    assert 'data-offering="spring"' in html and 'data-offering="other"' in html


def test_it_refuses_students_and_outsiders_and_sends_anonymous_visitors_to_log_in(
    offering, student: Visitor, outsider: Visitor, anonymous: Visitor
) -> None:
    assert student.client.get("/teach/").status_code == 403
    assert outsider.client.get("/teach/").status_code == 403
    assert student.client.get("/teach/spring/").status_code == 403
    assert b"Only the instructors and TAs" in student.client.get("/teach/spring/").content
    assert_login_redirect(anonymous.client.get("/teach/"), "/teach/")
    assert_login_redirect(anonymous.client.get("/teach/spring/"), "/teach/spring/")
    assert student.client.post("/teach/offerings/new", new_offering(offering.course)).status_code == 403
    assert not Offering.objects.filter(slug="autumn").exists()


def test_an_instructor_opens_an_offering_of_their_course_and_becomes_its_instructor(
    course, instructor: Visitor
) -> None:
    response = instructor.client.post("/teach/offerings/new", new_offering(course))
    assert response.status_code == 302 and response["Location"] == "/teach/autumn/"
    made = Offering.objects.get(slug="autumn")
    assert (made.title, made.course, made.time_zone) == ("Autumn term", course, "America/New_York")
    assert Enrollment.objects.get(offering=made, user=instructor.user).role == Enrollment.Role.INSTRUCTOR
    page = instructor.client.get("/teach/autumn/")
    assert page.status_code == 200 and b"Autumn term is open" in page.content
    assert b"America/New_York" in page.content


def test_it_shows_what_is_wrong_with_each_field(course, instructor: Visitor) -> None:
    response = instructor.client.post(
        "/teach/offerings/new", new_offering(course, slug="spring", time_zone="Mars/Olympus", title="")
    )
    assert response.status_code == 422
    html = text(response.content)
    assert "An offering named spring exists already." in html
    assert "unknown time zone 'Mars/Olympus'" in html
    assert "This field is required." in html
    assert Offering.objects.count() == 1


def test_it_keeps_the_slugs_of_its_own_pages_free(course, staff: Visitor) -> None:
    for slug in ("join", "offerings"):
        response = staff.client.post("/teach/offerings/new", new_offering(course, slug=slug))
        assert response.status_code == 422 and b"taken by a page of its own" in response.content
    assert not Offering.objects.filter(slug__in=["join", "offerings"]).exists()


def test_a_ta_may_not_open_an_offering(course, ta: Visitor) -> None:
    assert b"Open a new offering" not in ta.client.get("/teach/").content
    assert ta.client.get("/teach/offerings/new").status_code == 403
    assert ta.client.post("/teach/offerings/new", new_offering(course)).status_code == 403
    assert not Offering.objects.filter(slug="autumn").exists()


def test_an_instructor_may_not_open_an_offering_of_another_course(course, instructor: Visitor) -> None:
    other = Course.objects.create(slug="other-course", title="Other", version="v1")
    response = instructor.client.post("/teach/offerings/new", new_offering(other))
    assert response.status_code == 422 and b"Select a valid choice" in response.content
    assert not Offering.objects.filter(slug="autumn").exists()


def test_creating_needs_the_csrf_token_and_post(course, instructor: Visitor) -> None:
    assert strict_client(instructor.user).post("/teach/offerings/new", new_offering(course)).status_code == 403
    assert instructor.client.put("/teach/offerings/new").status_code == 405
    assert instructor.client.post("/teach/").status_code == 405
    assert instructor.client.post("/teach/spring/").status_code == 405
    assert not Offering.objects.filter(slug="autumn").exists()


def test_the_overview_shows_each_items_rules_in_the_offerings_time_zone(offering, conv2d, instructor: Visitor) -> None:
    offering.time_zone = "Europe/Berlin"
    offering.save()
    GradedItem.objects.create(
        offering=offering,
        exercise=conv2d,
        opens_at=datetime(2026, 3, 1, 8, 0, tzinfo=UTC),
        due_at=datetime(2026, 3, 29, 21, 59, tzinfo=UTC),  # 23:59 summer time in Berlin
        closes_at=None,
        max_attempts=3,
        late_policy="penalty",
        penalty_per_day=10,
        penalty_cap=50,
        points=5,
        counts="last",
    )
    cells = row(instructor.client.get("/teach/spring/").content, "data-item", "exercise:conv2d")
    assert "2026-03-01 09:00 CET" in cells and "2026-03-29 23:59 CEST" in cells
    assert "10% off per day late, at most 50%" in cells and " 3 " in f" {cells} " and "last attempt" in cells
    assert " 5 " in f" {cells} "


def test_the_overview_answers_404_for_an_unknown_offering(instructor: Visitor) -> None:
    assert instructor.client.get("/teach/nope/").status_code == 404

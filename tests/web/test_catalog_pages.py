"""The home page, the catalogue, a course page and enrolling."""

from __future__ import annotations

from django.test import Client

from stride.courses.models import Course
from stride.offerings.models import Enrollment, Offering
from tests.web.conftest import Visitor


def test_it_lists_the_course_on_the_home_page_for_everyone(course: Course, anonymous: Visitor) -> None:
    page = anonymous.client.get("/")
    assert page.status_code == 200
    assert b"Convolutional networks: how they extract features" in page.content
    assert b'href="/courses/cnn-features/"' in page.content
    assert b"Sign up" in page.content


def test_it_shows_the_outline_with_progress_and_the_map_to_a_student(course: Course, student: Visitor) -> None:
    page = student.client.get("/courses/cnn-features/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "6.2.2.2" in text and "How a CNN extracts features, layer by layer" in text
    assert "0 / 7 steps" in text and "Quiz: Stride, padding, ReLU and pooling" in text
    assert text.count('class="arch-layer"') == 9 and 'data-unlocked="true"' not in text
    assert "Enrol in this course" not in text


def test_it_lets_an_outsider_enrol_in_the_newest_offering(
    course: Course, offering: Offering, outsider: Visitor
) -> None:
    page = outsider.client.get("/courses/cnn-features/")
    assert b"Enrol in this course" in page.content and b"/lessons/" not in page.content
    newer = Offering.objects.create(slug="autumn", title="Autumn term", course=course)
    response = outsider.client.post("/courses/cnn-features/enrol")
    assert response.status_code == 302 and response["Location"] == "/courses/cnn-features/"
    assert Enrollment.objects.get(user=outsider.user).offering == newer
    followed = outsider.client.get("/courses/cnn-features/")
    assert b"You are enrolled" in followed.content and b"/lessons/" in followed.content
    outsider.client.post("/courses/cnn-features/enrol")  # twice is harmless
    assert Enrollment.objects.filter(user=outsider.user).count() == 1


def test_it_says_when_a_course_has_no_offering(db, outsider: Visitor) -> None:
    Offering.objects.all().delete()
    response = outsider.client.post("/courses/cnn-features/enrol", follow=True)
    assert b"has no offering to enrol in yet" in response.content
    assert not Enrollment.objects.exists()


def test_it_refuses_enrolment_without_login_or_by_get(course: Course, anonymous: Visitor, outsider: Visitor) -> None:
    response = anonymous.client.post("/courses/cnn-features/enrol")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=")
    assert outsider.client.get("/courses/cnn-features/enrol").status_code == 405
    assert not Enrollment.objects.filter(user=outsider.user).exists()


def test_it_refuses_enrolment_without_a_csrf_token(course: Course, offering: Offering, outsider: Visitor) -> None:
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(outsider.user)
    assert strict.post("/courses/cnn-features/enrol").status_code == 403
    assert not Enrollment.objects.filter(user=outsider.user).exists()


def test_it_answers_404_for_an_unknown_course(course: Course, student: Visitor) -> None:
    page = student.client.get("/courses/nope/")
    assert page.status_code == 404 and b"Nothing here" in page.content


def test_it_shows_the_teach_link_only_to_those_who_teach(course: Course, offering: Offering, student: Visitor) -> None:
    assert b'href="/teach/"' not in student.client.get("/").content
    Enrollment.objects.filter(user=student.user).update(role=Enrollment.Role.TA)
    assert b'href="/teach/"' in student.client.get("/").content

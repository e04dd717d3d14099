"""Graded items and offerings as stored: their checks, time zone, extensions, quizzes under them, admin."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client

from stride.api.views import ApiError
from stride.courses.models import Course
from stride.courses.package import COURSES_DIR, load_course
from stride.courses.sync import sync_course
from stride.offerings.extensions import extensions, grant_extension, revoke_extension
from stride.offerings.models import Enrollment, GradedItem, Offering
from stride.quizzes.attempts import availabilities, availability
from stride.quizzes.models import Quiz
from tests.offerings.conftest import ago, ahead

pytestmark = pytest.mark.django_db


def test_the_database_refuses_dates_out_of_order_and_penalties_over_100_percent(make_item) -> None:
    now = ahead(days=1)
    for fields in (
        {"opens_at": now, "due_at": now},
        {"due_at": now, "closes_at": now - timedelta(seconds=1)},
        {"penalty_per_day": 101},
        {"penalty_cap": -1},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            make_item(**fields)


def test_forms_get_a_readable_reason_for_dates_out_of_order(make_item) -> None:
    item = make_item(due_at=ahead(days=2), closes_at=ahead(days=3))
    item.closes_at = ahead(days=1)
    with pytest.raises(ValidationError) as caught:
        item.full_clean()
    assert caught.value.message_dict["closes_at"] == ["the hard cutoff cannot come before the due time"]


def test_an_offering_needs_a_real_time_zone() -> None:
    offering = Offering(slug="x", title="X", time_zone="Europe/Atlantis")
    with pytest.raises(ValidationError) as caught:
        offering.full_clean()
    assert "unknown time zone" in str(caught.value)
    assert Offering(slug="y", title="Y").time_zone == "UTC"


def test_an_item_is_worth_its_points_or_the_exercises_maximum(make_item, exercise) -> None:
    item = make_item()
    assert item.possible_points() == 20.0 and item.key == "exercise:conv2d" and item.kind == "exercise"
    item.points = 50
    assert item.possible_points() == 50


def test_extensions_are_granted_to_students_only_and_replace_each_other(offering, make_item, make_user) -> None:
    item = make_item(due_at=ahead(days=1), closes_at=ahead(days=2))
    student = make_user("student", offering)
    teacher = make_user("teacher", offering, Enrollment.Role.INSTRUCTOR)
    grant_extension(item, student, ahead(days=3), by=teacher, reason="ill")
    later = grant_extension(item, student, ahead(days=4), by=teacher)
    assert extensions(offering) == [later]
    assert item.deadlines_for(student).due_at == later.due_at
    with pytest.raises(ApiError):
        grant_extension(item, teacher, ahead(days=3))
    with pytest.raises(ApiError):
        grant_extension(item, student, ahead(days=3).replace(tzinfo=None))
    assert revoke_extension(item, student) and not revoke_extension(item, student)
    assert item.deadlines_for(student).due_at == item.due_at


def test_quizzes_close_at_a_no_late_due_time_and_open_again_for_an_extension(db) -> None:
    sync_course(load_course(COURSES_DIR / "cnn-features"))
    course = Course.objects.get(slug="cnn-features")
    offering = Offering.objects.create(slug="term", title="Term", course=course)
    student = get_user_model().objects.create_user("student")
    Enrollment.objects.create(offering=offering, user=student)
    quiz = Quiz.objects.filter(course=course).first()
    item = GradedItem.objects.create(offering=offering, quiz=quiz, due_at=ago(hours=1), late_policy="no_late")
    closed = availability(student, quiz)
    assert (closed.state, closed.closes_at, closed.refusal().error) == ("closed", item.due_at, "closed")
    grant_extension(item, student, ahead(days=1))
    reopened = availability(student, quiz)
    assert reopened.state == "open" and reopened.can_attempt
    assert availabilities(student, [quiz])[quiz.pk].state == "open"


def test_admin_staff_see_only_the_offerings_they_teach(offering, make_user) -> None:
    other = Offering.objects.create(slug="other-term", title="Someone else's")
    teacher = make_user("teacher", offering, Enrollment.Role.INSTRUCTOR, is_staff=True)
    helper = make_user("helper", offering, Enrollment.Role.TA, is_staff=True)
    for user in (teacher, helper):
        user.user_permissions.add(*Permission.objects.filter(content_type__app_label="offerings"))
    browser = Client()
    browser.force_login(teacher)
    listing = browser.get("/admin/offerings/offering/")
    assert b"cnn-101" in listing.content and b"other-term" not in listing.content
    assert browser.get(f"/admin/offerings/offering/{other.pk}/change/").status_code in (302, 404)
    browser.force_login(helper)
    page = browser.get(f"/admin/offerings/offering/{offering.pk}/change/")
    assert page.status_code == 200 and b'name="_save"' not in page.content  # TAs look, they do not change

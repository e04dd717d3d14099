"""compute_gradebook: the points that count per student and item, after late policy and extensions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth import get_user_model

from stride.courses.models import Course
from stride.gradebook.grades import compute_gradebook
from stride.offerings.models import Enrollment, Extension, GradedItem, Offering
from stride.quizzes.models import Quiz, QuizAttempt

pytestmark = pytest.mark.django_db

DUE = datetime(2025, 3, 14, 22, 59, tzinfo=UTC)
HOUR, DAY = timedelta(hours=1), timedelta(days=1)


@pytest.fixture
def item(make_item) -> GradedItem:
    return make_item(
        opens_at=DUE - 14 * DAY, due_at=DUE, closes_at=DUE + 5 * DAY, late_policy="penalty",
        penalty_per_day=10, penalty_cap=30,
    )  # fmt: skip


@pytest.fixture
def student(make_user, offering):
    return make_user("student", offering, first_name="Ada", last_name="Lovelace")


def cell(offering, user, item):
    return compute_gradebook(offering).cell(user.pk, item.pk)


def test_the_best_attempt_counts_after_its_late_penalty(offering, item, student, submit) -> None:
    submit(student, item, DUE - HOUR, 0.5)  # on time: 10 of 20
    submit(student, item, DUE + DAY + HOUR, 1.0)  # day 2: 20 less 20 % = 16
    found = cell(offering, student, item)
    assert (found.points, found.raw_points, found.days_late, found.penalty_percent) == (16.0, 20.0, 2, 20.0)
    assert [(a.points, a.counted) for a in found.attempts] == [(10.0, False), (16.0, True)]


def test_the_cap_limits_the_penalty(offering, item, student, submit) -> None:
    submit(student, item, DUE + 4 * DAY + HOUR, 1.0)  # day 5: 50 % capped at 30 %
    assert cell(offering, student, item).points == 14.0


def test_with_counts_last_the_latest_accepted_attempt_counts_even_when_worse(offering, item, student, submit) -> None:
    GradedItem.objects.filter(pk=item.pk).update(counts="last")
    submit(student, item, DUE - 2 * HOUR, 1.0)
    submit(student, item, DUE - HOUR, 0.25)
    submit(student, item, DUE + 6 * DAY, 1.0)  # after the cutoff: not accepted
    found = cell(offering, student, item)
    assert found.points == 5.0
    assert [(a.accepted, a.points, a.counted) for a in found.attempts] == [
        (True, 20.0, False), (True, 5.0, True), (False, 0.0, False)
    ]  # fmt: skip


def test_an_extension_makes_late_work_on_time_for_that_student(offering, item, student, make_user, submit) -> None:
    other = make_user("other", offering)
    Extension.objects.create(item=item, user=student, due_at=DUE + 3 * DAY)
    submit(student, item, DUE + 2 * DAY, 1.0)
    submit(other, item, DUE + 2 * DAY, 1.0)
    book = compute_gradebook(offering)
    mine, theirs = book.cell(student.pk, item.pk), book.cell(other.pk, item.pk)
    assert (mine.points, mine.extended, mine.due_at, mine.closes_at) == (20.0, True, DUE + 3 * DAY, DUE + 8 * DAY)
    assert (theirs.points, theirs.extended) == (16.0, False)  # exactly 48 h late: day 2


def test_nothing_counts_while_grading_or_when_the_grader_failed(offering, item, student, submit) -> None:
    submit(student, item, DUE - 3 * HOUR, None, status="error")
    submit(student, item, DUE - 2 * HOUR, None, status="queued")
    found = cell(offering, student, item)
    assert (found.points, found.pending, len(found.attempts)) == (None, True, 2)
    assert compute_gradebook(offering).row(student.pk).total == 0.0


def test_rows_are_the_students_in_roster_order_with_a_total(offering, item, make_user, make_item, submit) -> None:
    from stride.exercises.models import Exercise

    relu = Exercise.objects.create(slug="relu", title="ReLU", function="relu", version="v", statement="",
                                   starter="", max_points=9.0)  # fmt: skip
    second = make_item(exercise=relu, position=1, points=10.0)
    zoe = make_user("zoe", offering, first_name="Zoe", last_name="Adams")
    make_user("bob", offering, first_name="Bob", last_name="Zuse")
    make_user("teacher", offering, Enrollment.Role.INSTRUCTOR)
    submit(zoe, item, DUE - HOUR, 0.5)
    submit(zoe, second, DUE, 0.75)
    book = compute_gradebook(offering)
    assert [r.username for r in book.rows] == ["zoe", "bob"]
    assert [c.label for c in book.columns] == ["2D convolution", "ReLU"]
    assert [c.points for c in book.columns] == [20.0, 10.0] and book.possible_total == 30.0
    assert [c.points for c in book.rows[0].cells] == [10.0, 7.5] and book.rows[0].total == 17.5
    assert [c.points for c in book.rows[1].cells] == [None, None] and book.rows[1].total == 0.0
    assert book.rows[0].sortable_name == "Adams, Zoe"


def test_quiz_attempts_through_the_offering_count(offering, student) -> None:
    from stride.courses.package import COURSES_DIR, load_course
    from stride.courses.sync import sync_course

    sync_course(load_course(COURSES_DIR / "cnn-features"))
    course = Course.objects.get(slug="cnn-features")
    Offering.objects.filter(pk=offering.pk).update(course=course)
    quiz = Quiz.objects.filter(course=course).first()
    quiz_item = GradedItem.objects.create(offering=offering, quiz=quiz, points=10.0, due_at=DUE)
    elsewhere = Offering.objects.create(slug="elsewhere", title="Elsewhere", course=course)
    QuizAttempt.objects.create(user=student, quiz=quiz, offering=offering, number=1, score=0.6, points=6,
                               max_points=10, created_at=DUE - HOUR)  # fmt: skip
    QuizAttempt.objects.create(user=student, quiz=quiz, offering=elsewhere, number=2, score=1.0, points=10,
                               max_points=10, created_at=DUE - HOUR)  # fmt: skip
    found = cell(offering, student, quiz_item)
    assert found.points == 6.0 and [a.kind for a in found.attempts] == ["quiz_attempt"]
    assert compute_gradebook(offering).columns[0].key == f"quiz:{quiz.key}"


def test_two_items_with_the_same_title_get_distinct_labels(offering, make_item, exercise) -> None:
    from stride.exercises.models import Exercise

    twin = Exercise.objects.create(slug="conv2d-b", title=exercise.title, function="f", version="v",
                                   statement="", starter="", max_points=1.0)  # fmt: skip
    make_item()
    make_item(exercise=twin, position=1)
    assert [c.label for c in compute_gradebook(offering).columns] == [
        "2D convolution",
        "2D convolution (exercise:conv2d-b)",
    ]


def test_students_of_other_offerings_are_not_in_it(offering, item, make_user, submit) -> None:
    other = Offering.objects.create(slug="other", title="Other")
    stranger = make_user("stranger", other)
    assert compute_gradebook(offering).row(stranger.pk) is None
    assert get_user_model().objects.filter(username="stranger").exists()

"""POST /api/exercises/{slug}/submissions under an offering's rules: window, deadlines, attempt limit."""

from __future__ import annotations

import threading

import pytest
from django.db import IntegrityError, connection, connections, transaction

from stride.offerings.models import Enrollment, ExerciseAttempt, Extension, Offering
from stride.submissions.models import Submission
from tests.api.support import ApiClient, assert_error
from tests.offerings.conftest import ago, ahead

URL = "/api/exercises/conv2d/submissions"
CODE = {"code": "def conv2d(image, kernel):\n    return image\n"}


@pytest.fixture(autouse=True)
def _no_broker(monkeypatch) -> None:
    """Nothing consumes the gradings here; they are not sent anywhere."""
    monkeypatch.setattr("stride.submissions.models.send_grading", lambda *args: None)


@pytest.fixture
def student(persona, offering):
    return persona("student", offering)


def submit(who) -> int:
    return who.api.post_json(URL, CODE).status_code


def test_it_refuses_submissions_before_the_item_opens(student, make_item) -> None:
    make_item(opens_at=ahead(hours=1))
    body = assert_error(student.api.post_json(URL, CODE), 403, "not_open")
    assert "opens at" in body["detail"]
    assert not Submission.objects.exists()


def test_it_refuses_submissions_from_the_hard_cutoff_on(student, make_item) -> None:
    make_item(closes_at=ago(seconds=1))
    assert_error(student.api.post_json(URL, CODE), 403, "closed")
    assert not Submission.objects.exists()


def test_no_late_work_closes_at_the_due_time_unless_the_student_has_an_extension(student, make_item) -> None:
    item = make_item(due_at=ago(minutes=5), late_policy="no_late")
    assert_error(student.api.post_json(URL, CODE), 403, "closed")
    Extension.objects.create(item=item, user=student.user, due_at=ahead(days=1))
    assert submit(student) == 202
    assert ExerciseAttempt.objects.get(user=student.user).item == item


def test_late_work_with_a_penalty_is_accepted_until_the_cutoff(student, make_item) -> None:
    make_item(due_at=ago(days=2), closes_at=ahead(days=1), late_policy="penalty", penalty_per_day=10)
    assert submit(student) == 202


def test_it_counts_attempts_and_refuses_the_one_over_the_limit(student, make_item) -> None:
    item = make_item(max_attempts=2)
    assert [submit(student), submit(student)] == [202, 202]
    body = assert_error(student.api.post_json(URL, CODE), 403, "attempt_limit")
    assert "2 attempts" in body["detail"]
    assert list(ExerciseAttempt.objects.filter(item=item).values_list("number", flat=True)) == [1, 2]
    assert Submission.objects.count() == 2


def test_a_grading_the_grader_could_not_finish_does_not_use_up_an_attempt(student, make_item) -> None:
    make_item(max_attempts=1)
    assert submit(student) == 202
    Submission.objects.update(status=Submission.Status.ERROR, verdict="grader_error")
    assert submit(student) == 202
    assert_error(student.api.post_json(URL, CODE), 403, "attempt_limit")


def test_teaching_staff_are_not_held_to_the_rules_and_not_counted(persona, offering, make_item) -> None:
    make_item(max_attempts=1, closes_at=ago(days=1))
    for role in (Enrollment.Role.INSTRUCTOR, Enrollment.Role.TA):
        teacher = persona(f"{role}-person", offering, role)
        assert [submit(teacher), submit(teacher)] == [202, 202]
    site_staff = persona("staff", offering, Enrollment.Role.STUDENT, is_staff=True)
    assert submit(site_staff) == 202
    assert not ExerciseAttempt.objects.exists()


def test_without_an_item_for_the_exercise_nothing_changes(persona, offering, exercise, make_item) -> None:
    outsider = persona("outsider")  # no enrolment at all
    other = Offering.objects.create(slug="other", title="Other")
    unrelated = persona("unrelated", other)  # a student of an offering that does not grade conv2d
    make_item(max_attempts=1, closes_at=ago(days=1))  # cnn-101 grades it, but neither takes cnn-101
    assert [submit(outsider), submit(outsider), submit(unrelated)] == [202, 202, 202]
    assert not ExerciseAttempt.objects.exists()


def test_the_newest_offering_the_student_takes_decides(persona, offering, exercise, make_item) -> None:
    student = persona("student", offering)
    make_item(closes_at=ago(days=30))  # last term's offering: closed
    newer = Offering.objects.create(slug="cnn-102", title="Next term")
    Enrollment.objects.create(offering=newer, user=student.user)
    item = make_item(offering=newer, max_attempts=3)
    assert submit(student) == 202
    assert ExerciseAttempt.objects.get().item == item


def test_the_database_refuses_two_attempts_with_the_same_number(student, make_item) -> None:
    make_item()
    assert submit(student) == 202
    first = ExerciseAttempt.objects.get()
    other = Submission.objects.create(user=student.user, exercise=first.item.exercise, code="", exercise_version="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        ExerciseAttempt.objects.create(item=first.item, user=student.user, submission=other, number=1)


@pytest.mark.django_db(transaction=True)
def test_submissions_at_once_never_exceed_the_attempt_limit(student, make_item) -> None:
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serializes writers anyway; the row lock matters on PostgreSQL")
    make_item(max_attempts=3)
    start = threading.Barrier(8)
    outcomes: list[int] = []

    def one() -> None:
        client = ApiClient(student.api.token)
        try:
            start.wait(timeout=10)
            outcomes.append(client.post_json(URL, CODE).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=one) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == [202] * 3 + [403] * 5
    assert sorted(ExerciseAttempt.objects.values_list("number", flat=True)) == [1, 2, 3]
    assert Submission.objects.count() == 3

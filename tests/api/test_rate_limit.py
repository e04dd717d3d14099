"""The per-user limit on POST /api/exercises/{slug}/submissions (STRIDE_SUBMISSION_RATE)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.utils import timezone

from stride.submissions.models import Submission
from tests.api.conftest import SOLUTION, GradingQueue
from tests.api.support import ApiClient, Persona, assert_error

URL = "/api/exercises/conv2d/submissions"


@pytest.fixture(autouse=True)
def _three_a_minute(settings) -> None:
    settings.STRIDE_SUBMISSION_RATE_COUNT = 3
    settings.STRIDE_SUBMISSION_RATE_SECONDS = 60


def submit(persona: Persona):
    return persona.api.post_json(URL, {"code": SOLUTION})


def test_it_accepts_submissions_up_to_the_limit(student_a: Persona, exercise) -> None:
    assert [submit(student_a).status_code for _ in range(3)] == [202, 202, 202]


def test_it_answers_429_with_retry_after_past_the_limit(student_a: Persona, exercise) -> None:
    for _ in range(3):
        submit(student_a)
    response = submit(student_a)
    body = assert_error(response, 429, "rate_limited")
    assert response["Retry-After"] in ("59", "60")
    assert "3 submissions in 60 s" in body["detail"]
    assert Submission.objects.count() == 3


def test_it_says_when_the_oldest_leaves_the_window(student_a: Persona, make_submission) -> None:
    now = timezone.now()
    for age in (50, 30, 10):
        make_submission(student_a, created_at=now - timedelta(seconds=age))
    response = submit(student_a)
    assert_error(response, 429, "rate_limited")
    assert int(response["Retry-After"]) in (10, 11)
    assert Submission.objects.count() == 3


def test_it_counts_what_is_over_the_limit_after_the_limit_was_lowered(
    student_a: Persona, make_submission, settings
) -> None:
    now = timezone.now()
    for age in (50, 40, 30, 20):
        make_submission(student_a, created_at=now - timedelta(seconds=age))
    settings.STRIDE_SUBMISSION_RATE_COUNT = 2
    response = submit(student_a)
    assert_error(response, 429, "rate_limited")
    # Three of the four must leave before there is room for one more: the third oldest leaves in 30 s.
    assert int(response["Retry-After"]) in (30, 31)


def test_it_forgets_submissions_older_than_the_window(student_a: Persona, make_submission) -> None:
    now = timezone.now()
    for _ in range(3):
        make_submission(student_a, created_at=now - timedelta(seconds=61))
    assert submit(student_a).status_code == 202


def test_it_counts_all_exercises_together(student_a: Persona, make_submission, other_exercise) -> None:
    for _ in range(3):
        make_submission(student_a, exercise=other_exercise)
    assert_error(submit(student_a), 429, "rate_limited")


def test_it_limits_each_user_separately(student_a: Persona, student_b: Persona, exercise) -> None:
    for _ in range(3):
        submit(student_a)
    assert_error(submit(student_a), 429, "rate_limited")
    assert submit(student_b).status_code == 202


def test_it_is_off_with_a_count_of_zero(student_a: Persona, exercise, settings) -> None:
    settings.STRIDE_SUBMISSION_RATE_COUNT = 0
    assert {submit(student_a).status_code for _ in range(6)} == {202}


def test_it_checks_the_body_before_the_limit(student_a: Persona, exercise) -> None:
    for _ in range(3):
        submit(student_a)
    assert_error(student_a.api.post_json(URL, {"code": 1}), 400, "invalid_field")


def test_it_does_not_count_refused_submissions(student_a: Persona, exercise) -> None:
    for _ in range(5):
        student_a.api.post_json(URL, {"code": None})
    assert submit(student_a).status_code == 202


@pytest.mark.django_db(transaction=True)
def test_it_holds_when_submissions_arrive_at_once(student_a: Persona, exercise, grading_queue: GradingQueue) -> None:
    """Eight requests at once, each on its own database connection (as separate web processes
    would be), for the last three places: exactly three get in (and are sent to the queue)."""
    from django.db import connection, connections

    if connection.vendor == "sqlite":
        pytest.skip("SQLite serializes writers anyway; the row lock matters on PostgreSQL")
    start = threading.Barrier(8)
    statuses: list[int] = []

    def one() -> None:
        try:
            api = ApiClient(student_a.api.token)
            start.wait(timeout=10)
            statuses.append(api.post_json(URL, {"code": SOLUTION}).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=one) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(statuses) == [202] * 3 + [429] * 5
    assert Submission.objects.filter(user=student_a.user).count() == 3
    assert len(grading_queue.drain()) == 3

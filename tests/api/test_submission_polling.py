"""Polling GET /api/submissions/{id}: a finished grading is answered from memory, briefly."""

from __future__ import annotations

import pytest

from stride.api import views
from stride.submissions.models import Submission
from tests.api.support import Persona


def url(submission: Submission) -> str:
    return f"/api/submissions/{submission.pk}"


def test_it_answers_its_author_again_without_a_query(
    student_a: Persona, make_submission, django_assert_num_queries
) -> None:
    submission = make_submission(student_a, state="graded")
    first = student_a.api.get(url(submission))
    assert first.status_code == 200
    with django_assert_num_queries(0):
        again = student_a.api.get(url(submission))
    assert again.status_code == 200
    assert again.json() == first.json()


@pytest.mark.parametrize("state", ["queued", "running"])
def test_it_reads_a_grading_in_flight_every_time(student_a: Persona, make_submission, state: str) -> None:
    submission = make_submission(student_a, state=state)
    assert student_a.api.get(url(submission)).json()["status"] == state
    token = str(submission.grading_token)
    if state == "queued":
        Submission.mark_started(submission.pk, token)
    Submission.record_result(submission.pk, token, {"verdict": "passed", "score": 1.0, "points": 1.0, "tests": []})
    assert student_a.api.get(url(submission)).json()["status"] == "graded"


def test_it_never_answers_someone_else_from_memory(student_a: Persona, student_b: Persona, make_submission) -> None:
    submission = make_submission(student_a, state="graded")
    assert student_a.api.get(url(submission)).status_code == 200
    assert submission.pk in views._finished_cache
    response = student_b.api.get(url(submission))
    assert response.status_code == 404


def test_it_forgets_after_a_few_seconds(student_a: Persona, make_submission) -> None:
    submission = make_submission(student_a, state="graded")
    student_a.api.get(url(submission))
    _, owner, body = views._finished_cache[submission.pk]
    views._finished_cache[submission.pk] = (0.0, owner, body)  # expired
    Submission.objects.filter(pk=submission.pk).update(verdict="failed")
    assert student_a.api.get(url(submission)).json()["verdict"] == "failed"

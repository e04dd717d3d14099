"""GET /api/exercises/{slug}/submissions: the caller's own submissions, newest first."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.api.support import Persona, assert_error

URL = "/api/exercises/conv2d/submissions"


def test_it_lists_the_callers_submissions_newest_first(student_a: Persona, make_submission) -> None:
    now = timezone.now()
    old = make_submission(student_a, state="graded", created_at=now - timedelta(minutes=5))
    new = make_submission(student_a, created_at=now - timedelta(minutes=1))
    response = student_a.api.get(URL)
    assert response.status_code == 200
    listed = response.json()["submissions"]
    assert [s["id"] for s in listed] == [new.pk, old.pk]
    assert listed[0] == {
        "id": new.pk,
        "status": "queued",
        "verdict": None,
        "score": None,
        "points": None,
        "max_points": None,
        "created_at": listed[0]["created_at"],
        "finished_at": None,
    }
    assert (listed[1]["status"], listed[1]["verdict"], listed[1]["score"]) == ("graded", "failed", 0.5)
    assert listed[1]["finished_at"] is not None


def test_it_leaves_out_the_code_and_the_feedback(student_a: Persona, make_submission) -> None:
    make_submission(student_a, state="graded", code="SECRET_MARKER = 1\n")
    response = student_a.api.get(URL)
    assert "SECRET_MARKER" not in response.content.decode()
    assert "feedback" not in response.json()["submissions"][0]
    assert "tests" not in response.content.decode()


def test_it_lists_only_the_callers_own(
    student_a: Persona, student_b: Persona, instructor: Persona, make_submission
) -> None:
    mine = make_submission(student_a)
    make_submission(student_b)
    assert [s["id"] for s in student_a.api.get(URL).json()["submissions"]] == [mine.pk]
    assert instructor.api.get(URL).json() == {"submissions": []}


def test_it_lists_only_that_exercise(student_a: Persona, other_exercise, make_submission) -> None:
    mine = make_submission(student_a)
    make_submission(student_a, exercise=other_exercise)
    assert [s["id"] for s in student_a.api.get(URL).json()["submissions"]] == [mine.pk]


def test_it_lists_nothing_before_the_first_submission(student_a: Persona, exercise) -> None:
    assert student_a.api.get(URL).json() == {"submissions": []}


def test_it_lists_50_by_default(student_a: Persona, make_submission) -> None:
    for _ in range(53):
        make_submission(student_a)
    assert len(student_a.api.get(URL).json()["submissions"]) == 50


@pytest.mark.parametrize(("limit", "count"), [("1", 1), ("3", 3), ("200", 5), ("007", 5)])
def test_it_takes_a_limit(student_a: Persona, make_submission, limit: str, count: int) -> None:
    made = [make_submission(student_a) for _ in range(5)]
    listed = student_a.api.get(URL, {"limit": limit}).json()["submissions"]
    assert [s["id"] for s in listed] == [s.pk for s in reversed(made)][:count]


@pytest.mark.parametrize("limit", ["0", "201", "-1", "abc", "1.5", "", "1e2", "99999999999999999999", "%00"])
def test_it_answers_a_bad_limit_with_400(student_a: Persona, exercise, limit: str) -> None:
    assert_error(student_a.api.get(f"{URL}?limit={limit}"), 400, "invalid_parameter")


def test_it_answers_head(student_a: Persona, exercise) -> None:
    assert student_a.api.head(URL).status_code == 200


def test_it_answers_unknown_exercises_with_404(student_a: Persona, exercise) -> None:
    assert_error(student_a.api.get("/api/exercises/nope/submissions"), 404, "not_found")


def test_it_refuses_anonymous_callers_with_401(anonymous: Persona, exercise) -> None:
    assert_error(anonymous.api.get(URL), 401, "unauthenticated")

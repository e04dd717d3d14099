"""Who gets what from the learning-content API: every operation against every persona.

Students A and B and the instructor belong to the offering cnn-101, which teaches the demo
course; the outsider has an account but no enrolment; staff is site staff; anonymous sends
no credentials. The catalogue and the glossary are open to every signed-in user; lessons,
flashcards and quizzes need an enrolment (or site staff).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.http import HttpResponse

from stride.api.schema import OPENAPI
from stride.courses.models import Course, Lesson, StepProgress
from stride.flashcards.models import Card, ReviewLog
from stride.quizzes.models import Question, Quiz, QuizAttempt
from tests.api.support import Persona, assert_error

PERSONAS = ["anonymous", "student_a", "student_b", "instructor", "outsider", "staff"]
CONTENT_PATHS = ("/api/courses", "/api/lessons", "/api/glossary", "/api/flashcards", "/api/quizzes")
SIGNED_IN = {"anonymous": 401, "student_a": 200, "student_b": 200, "instructor": 200, "outsider": 200, "staff": 200}
ENROLLED = {**SIGNED_IN, "outsider": 403}


def _ids(course: Course) -> dict[str, Any]:
    quiz = Quiz.objects.get(course=course, key="stride-padding-pooling")
    return {
        "lesson": Lesson.objects.get(course=course, key="how-a-cnn-extracts-features").pk,
        "card": Card.objects.filter(course=course).order_by("position").first().pk,
        "quiz": quiz.pk,
        "question": Question.objects.filter(quiz=quiz).order_by("position").first().key,
    }


Call = Callable[[Persona, dict], HttpResponse]

MATRIX: list[tuple[str, str, Call, dict[str, int]]] = [
    ("get", "/api/courses", lambda p, ids: p.api.get("/api/courses"), SIGNED_IN),
    ("get", "/api/courses/{slug}", lambda p, ids: p.api.get("/api/courses/cnn-features"), SIGNED_IN),
    ("get", "/api/lessons/{lesson_id}", lambda p, ids: p.api.get(f"/api/lessons/{ids['lesson']}"), ENROLLED),
    (
        "post",
        "/api/lessons/{lesson_id}/steps/{number}/complete",
        lambda p, ids: p.api.post_json(f"/api/lessons/{ids['lesson']}/steps/1/complete", {}),
        ENROLLED,
    ),
    ("get", "/api/glossary", lambda p, ids: p.api.get("/api/glossary?q=kernel"), SIGNED_IN),
    ("get", "/api/flashcards/due", lambda p, ids: p.api.get("/api/flashcards/due?course=cnn-features"), ENROLLED),
    ("get", "/api/flashcards/decks", lambda p, ids: p.api.get("/api/flashcards/decks"), SIGNED_IN),
    (
        "post",
        "/api/flashcards/{card_id}/review",
        lambda p, ids: p.api.post_json(f"/api/flashcards/{ids['card']}/review", {"rating": "good"}),
        ENROLLED,
    ),
    ("get", "/api/quizzes", lambda p, ids: p.api.get("/api/quizzes"), SIGNED_IN),
    ("get", "/api/quizzes/{quiz_id}", lambda p, ids: p.api.get(f"/api/quizzes/{ids['quiz']}"), ENROLLED),
    (
        "get",
        "/api/quizzes/{quiz_id}/attempts",
        lambda p, ids: p.api.get(f"/api/quizzes/{ids['quiz']}/attempts"),
        ENROLLED,
    ),
    (
        "post",
        "/api/quizzes/{quiz_id}/attempts",
        lambda p, ids: p.api.post_json(
            f"/api/quizzes/{ids['quiz']}/attempts", {"answers": {ids["question"]: "It is the same"}}
        ),
        {**ENROLLED, "student_a": 201, "student_b": 201, "instructor": 201, "staff": 201},
    ),
]


def student_rows() -> int:
    return StepProgress.objects.count() + ReviewLog.objects.count() + QuizAttempt.objects.count()


def test_it_covers_every_content_operation_of_the_schema() -> None:
    documented = {
        (method, path)
        for path, item in OPENAPI["paths"].items()
        for method in item
        if method != "parameters" and path.startswith(CONTENT_PATHS)
    }
    assert {(method, path) for method, path, *_ in MATRIX} == documented


@pytest.mark.parametrize("persona_name", PERSONAS)
@pytest.mark.parametrize(
    ("method", "template", "call", "expected"), MATRIX, ids=[f"{m.upper()} {t}" for m, t, *_ in MATRIX]
)
def test_it_answers_each_persona_as_the_matrix_says(
    request: pytest.FixtureRequest,
    course: Course,
    student_a: Persona,
    student_b: Persona,
    instructor: Persona,
    outsider: Persona,
    staff: Persona,
    anonymous: Persona,
    persona_name: str,
    method: str,
    template: str,
    call: Call,
    expected: dict[str, int],
) -> None:
    persona: Persona = request.getfixturevalue(persona_name)
    before = student_rows()
    response = call(persona, _ids(course))
    status = expected[persona_name]
    if status >= 400:
        assert_error(response, status)
        assert student_rows() == before  # a refused request leaves no trace
    else:
        assert response.status_code == status, response.content[:300]


def test_it_shows_outsiders_no_content_in_the_listings(course: Course, outsider: Persona) -> None:
    assert outsider.api.get("/api/quizzes").json()["quizzes"] == []
    assert outsider.api.get("/api/flashcards/decks").json()["decks"] == []
    assert len(outsider.api.get("/api/glossary").json()["terms"]) == 19

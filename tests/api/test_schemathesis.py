"""Property-based run of schemathesis against the live application (its WSGI entry point).

Schemathesis reads the document from ``GET /api/openapi.json`` through ``stride.wsgi``
and, for every operation, sends the schema's examples, boundary and negative cases
(coverage phase) and random requests (fuzzing, 20 per operation) with student A's bearer
token, checking every response: no 5xx, status documented, JSON body and headers valid
for the schema, 401 without credentials, 405 with Allow for undocumented methods,
schema-valid requests not refused as invalid, invalid ones refused.

The requests run in the test's transaction, so nothing reaches the broker (the grading is
only ever sent after a commit) and everything is rolled back at the end.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator

import hypothesis
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from schemathesis.core.parameters import ParameterLocation

from stride.courses.models import Course, Lesson
from stride.exercises.models import Exercise
from stride.flashcards.models import Card
from stride.quizzes.models import Quiz
from tests.api.support import Persona

schema = schemathesis.pytest.from_fixture("live_schema")


@pytest.fixture
def live_app(settings) -> Iterator[object]:
    """``stride.wsgi.application``, kept on the test's database connection (as Django's test client does)."""
    from stride.wsgi import application

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    # Low enough that the run also meets the rate limit (429 with Retry-After).
    settings.STRIDE_SUBMISSION_RATE_COUNT = 6
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield application
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def existing(student_a: Persona, student_b: Persona, exercise: Exercise, make_submission) -> dict[str, int]:
    """Submissions to steer ids to: student A's own (200) and student B's (404 for A)."""
    return {
        "own": make_submission(student_a, state="graded").pk,
        "others": make_submission(student_b, state="graded").pk,
    }


@pytest.fixture
def content(course: Course) -> dict[str, list[int]]:
    """Ids of the demo course's lessons, cards and quizzes, which student A may use."""
    return {
        "lesson_id": list(Lesson.objects.filter(course=course).values_list("pk", flat=True)),
        "card_id": list(Card.objects.filter(course=course).values_list("pk", flat=True)),
        "quiz_id": list(Quiz.objects.filter(course=course).values_list("pk", flat=True)),
    }


@pytest.fixture
def live_schema(live_app: object, existing: dict[str, int], content: dict[str, list[int]]):
    loaded = schemathesis.openapi.from_wsgi("/api/openapi.json", live_app)
    # The API ignores query parameters, headers and body members it does not know (clients
    # add cache-busters and the like): an extra one does not make a request invalid.
    loaded.config.generation.allow_extra_parameters = False
    # A code over the limit is answered 413: a refusal of invalid data like any other.
    loaded.config.checks.negative_data_rejection.expected_statuses = [
        *loaded.config.checks.negative_data_rejection.expected_statuses,
        "413",
    ]
    return loaded


# An answer's valid shape depends on the question it answers (a number, an option, a grid),
# which no static schema can say: a schema-valid answer may rightly be refused with 400.
ANSWERS_CHECKED_BY_QUESTION = {"attemptQuiz", "completeStep"}


def _coin(value: object) -> bool:
    """A fair coin decided by the generated value itself, so every case replays the same."""
    return zlib.crc32(repr(value).encode("utf-8", "surrogatepass")) % 2 == 0


def _fits(case, location: ParameterLocation) -> bool:
    """Whether this part of the request was generated to fit the schema."""
    component = case.meta.components.get(location) if case.meta is not None else None
    return component is None or component.mode.is_positive


def _steer(case, student_a: Persona, existing: dict[str, int], content: dict[str, list[int]]) -> None:
    """Point half of the generated requests at things that exist, so success paths run too.

    Random slugs and ids almost never name a real exercise or submission, and random
    credentials never log in. Only parts generated to fit the schema are steered (with
    values that fit it too): a negative case stays negative, and an invalid body now also
    reaches a real exercise.
    """
    # A case negative in its query or headers (a missing bearer token, which the call puts
    # back) must not reach a real resource, or it would pass for accepted invalid data.
    others_fit = all(_fits(case, part) for part in (ParameterLocation.QUERY, ParameterLocation.HEADER))
    path = (case.path_parameters or {}) if others_fit and _fits(case, ParameterLocation.PATH) else {}
    if isinstance(path.get("slug"), str) and _coin((path, case.query, case.body)):
        path["slug"] = "cnn-features" if case.operation.path.startswith("/api/courses") else "conv2d"
    for name, ids in content.items():
        if isinstance(path.get(name), int) and _coin((name, path[name], case.headers)):
            path[name] = ids[path[name] % len(ids)]
    if isinstance(path.get("number"), int) and _coin((path, "number")):
        path["number"] = 1 + path["number"] % 8
    query = case.query if _fits(case, ParameterLocation.QUERY) and _fits(case, ParameterLocation.PATH) else None
    if isinstance(query, dict) and isinstance(query.get("course"), str) and _coin(query):
        query["course"] = "cnn-features"
    submission_id = path.get("submission_id")
    if isinstance(submission_id, int) and _coin((submission_id, case.headers)):
        ids = sorted(existing.values())
        path["submission_id"] = ids[submission_id % len(ids)]
    body = case.body
    token_body = case.operation.path == "/api/token" and _fits(case, ParameterLocation.BODY)
    if token_body and isinstance(body, dict) and _coin(body):
        body.update(username=student_a.user.username, password=student_a.password)


@schema.parametrize()
@hypothesis.settings(max_examples=20, deadline=None, suppress_health_check=list(hypothesis.HealthCheck), database=None)
def test_it_conforms_to_its_schema(
    case, student_a: Persona, existing: dict[str, int], content: dict[str, list[int]]
) -> None:
    _steer(case, student_a, existing, content)
    excluded = []
    if case.operation.definition.raw.get("operationId") in ANSWERS_CHECKED_BY_QUESTION:
        excluded.append(schemathesis.checks.positive_data_acceptance)
    case.call_and_validate(headers={"Authorization": f"Bearer {student_a.api.token}"}, excluded_checks=excluded)

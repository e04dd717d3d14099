"""Who gets what: every endpoint of the submissions API against anonymous, student A, student B and the instructor
(and, beyond what the issue asks, an outsider with an account and a site staff member).

Student A owns ``a_sub``, student B owns ``b_sub``; both take the instructor's offering.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.http import HttpResponse

from stride.api.schema import OPENAPI
from stride.submissions.models import Submission
from tests.api.conftest import SOLUTION
from tests.api.support import Persona, assert_error

PERSONAS = ["anonymous", "student_a", "student_b", "instructor", "outsider", "staff"]


def _own_credentials(persona: Persona, data: dict) -> HttpResponse:
    if persona.user is None:  # anonymous knows no password: it tries one
        return persona.api.post_json("/api/token", {"username": "student_a", "password": "guess"})
    return persona.api.post_json("/api/token", {"username": persona.user.username, "password": persona.password})


def _listed(response: HttpResponse, data: dict) -> set[str]:
    ids = {s["id"] for s in response.json()["submissions"]}
    return {name for name in ("a_sub", "b_sub") if data[name].pk in ids}


# (method, path template, request, {persona: expected status}, check of a 2xx body or None)
Call = Callable[[Persona, dict], HttpResponse]
MATRIX: list[tuple[str, str, Call, dict[str, int], Callable[[HttpResponse, dict], Any] | None]] = [
    (
        "get",
        "/api/openapi.json",
        lambda p, d: p.api.get("/api/openapi.json"),
        dict.fromkeys(PERSONAS, 200),
        None,
    ),
    (
        "post",
        "/api/token",
        _own_credentials,
        {**dict.fromkeys(PERSONAS, 200), "anonymous": 401},
        None,
    ),
    (
        "get",
        "/api/exercises",
        lambda p, d: p.api.get("/api/exercises"),
        {**dict.fromkeys(PERSONAS, 200), "anonymous": 401},
        None,
    ),
    (
        "get",
        "/api/exercises/{slug}",
        lambda p, d: p.api.get("/api/exercises/conv2d"),
        {**dict.fromkeys(PERSONAS, 200), "anonymous": 401},
        None,
    ),
    (
        "get",
        "/api/exercises/{slug}/submissions",
        lambda p, d: p.api.get("/api/exercises/conv2d/submissions"),
        {**dict.fromkeys(PERSONAS, 200), "anonymous": 401},
        _listed,
    ),
    (
        "post",
        "/api/exercises/{slug}/submissions",
        lambda p, d: p.api.post_json("/api/exercises/conv2d/submissions", {"code": SOLUTION}),
        {**dict.fromkeys(PERSONAS, 202), "anonymous": 401},
        None,
    ),
    (
        "get",
        "/api/submissions/{submission_id}",  # student A's
        lambda p, d: p.api.get(f"/api/submissions/{d['a_sub'].pk}"),
        {"anonymous": 401, "student_a": 200, "student_b": 404, "instructor": 200, "outsider": 404, "staff": 200},
        None,
    ),
    (
        "get",
        "/api/submissions/{submission_id}",  # student B's
        lambda p, d: p.api.get(f"/api/submissions/{d['b_sub'].pk}"),
        {"anonymous": 401, "student_a": 404, "student_b": 200, "instructor": 200, "outsider": 404, "staff": 200},
        None,
    ),
]

# What the listing shows each persona: only their own submissions.
LISTED = {"student_a": {"a_sub"}, "student_b": {"b_sub"}, "instructor": set(), "outsider": set(), "staff": set()}


@pytest.fixture
def data(student_a: Persona, student_b: Persona, make_submission) -> dict[str, Submission]:
    return {"a_sub": make_submission(student_a, state="graded"), "b_sub": make_submission(student_b)}


# The learning-content endpoints have a matrix of their own (tests/api/test_content_authorization.py).
SUBMISSION_PATHS = ("/api/openapi.json", "/api/token", "/api/exercises", "/api/submissions")


def test_it_covers_every_operation_of_the_schema() -> None:
    documented = {
        (method, path)
        for path, item in OPENAPI["paths"].items()
        for method in item
        if method != "parameters" and path.startswith(SUBMISSION_PATHS)
    }
    assert {(method, path) for method, path, *_ in MATRIX} == documented


@pytest.mark.parametrize("persona_name", PERSONAS)
@pytest.mark.parametrize(
    ("method", "template", "call", "expected", "check"),
    MATRIX,
    ids=[
        f"{m.upper()} {t}" + (" (A's)" if i == 6 else " (B's)" if i == 7 else "") for i, (m, t, *_) in enumerate(MATRIX)
    ],
)
def test_it_answers_each_persona_as_the_matrix_says(
    request: pytest.FixtureRequest,
    data: dict[str, Submission],
    instructor: Persona,
    outsider: Persona,
    staff: Persona,
    anonymous: Persona,
    persona_name: str,
    method: str,
    template: str,
    call: Call,
    expected: dict[str, int],
    check: Callable[[HttpResponse, dict], Any] | None,
) -> None:
    persona: Persona = request.getfixturevalue(persona_name)
    before = Submission.objects.count()
    response = call(persona, data)
    status = expected[persona_name]
    if status >= 400:
        assert_error(response, status)
        assert Submission.objects.count() == before
    else:
        assert response.status_code == status, (persona_name, response.content[:300])
    if check is not None and status < 400:
        assert check(response, data) == LISTED[persona_name]

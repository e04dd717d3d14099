"""GET /api/exercises/{slug}."""

from __future__ import annotations

import pytest

from tests.api.conftest import STARTER
from tests.api.support import Persona, assert_error


def test_it_shows_the_statement_and_the_starter(student_a: Persona, exercise) -> None:
    response = student_a.api.get("/api/exercises/conv2d")
    assert response.status_code == 200
    assert response.json() == {
        "slug": "conv2d",
        "title": "2D convolution",
        "max_points": 22.0,
        "version": "0123456789abcdef",
        "function": "conv2d",
        "statement": "# 2D convolution\n\nSlide the kernel over the image.",
        "starter": STARTER,
    }


@pytest.mark.parametrize(
    "slug",
    ["nope", "CONV2D", "conv2d%00", "%00", "conv%2F2d", "conv2d.json", "x" * 51, "%C3%A9", "%ED%A0%80", "%FF"],
)
def test_it_answers_unknown_exercises_with_404(student_a: Persona, exercise, slug: str) -> None:
    assert_error(student_a.api.get(f"/api/exercises/{slug}"), 404, "not_found")


def test_it_refuses_anonymous_callers_with_401(anonymous: Persona, exercise) -> None:
    assert_error(anonymous.api.get("/api/exercises/conv2d"), 401, "unauthenticated")


def test_it_refuses_anonymous_callers_before_saying_whether_an_exercise_exists(anonymous: Persona) -> None:
    assert_error(anonymous.api.get("/api/exercises/nope"), 401, "unauthenticated")


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_it_answers_other_methods_with_405(student_a: Persona, exercise, method: str) -> None:
    response = getattr(student_a.api, method)("/api/exercises/conv2d")
    assert_error(response, 405, "method_not_allowed")
    assert response["Allow"] == "GET, HEAD"

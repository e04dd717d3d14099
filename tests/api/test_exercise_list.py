"""GET /api/exercises."""

from __future__ import annotations

import pytest

from tests.api.support import Persona, assert_error

URL = "/api/exercises"


def test_it_lists_the_exercises_in_course_order(student_a: Persona, exercise, other_exercise) -> None:
    response = student_a.api.get(URL)
    assert response.status_code == 200
    assert response.json() == {
        "exercises": [
            {"slug": "conv2d", "title": "2D convolution", "max_points": 22.0, "version": "0123456789abcdef"},
            {"slug": "relu", "title": "ReLU", "max_points": 9.0, "version": "fedcba9876543210"},
        ]
    }
    assert "no-cache" in response["Cache-Control"]


def test_it_lists_nothing_when_there_are_no_exercises(student_a: Persona) -> None:
    assert student_a.api.get(URL).json() == {"exercises": []}


def test_it_answers_head(student_a: Persona, exercise) -> None:
    assert student_a.api.head(URL).status_code == 200


def test_it_refuses_anonymous_callers_with_401(anonymous: Persona, exercise) -> None:
    assert_error(anonymous.api.get(URL), 401, "unauthenticated")


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options"])
def test_it_answers_other_methods_with_405(student_a: Persona, method: str) -> None:
    response = getattr(student_a.api, method)(URL)
    assert_error(response, 405, "method_not_allowed")
    assert response["Allow"] == "GET, HEAD"

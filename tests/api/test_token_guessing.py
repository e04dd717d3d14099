"""POST /api/token refuses an account for a while after too many wrong passwords."""

from __future__ import annotations

import pytest

from stride.api import views
from tests.api.conftest import PASSWORD
from tests.api.support import ApiClient, Persona, assert_error

URL = "/api/token"


@pytest.fixture
def api() -> ApiClient:
    return ApiClient()


def guess(api: ApiClient, username: str, times: int) -> None:
    for _ in range(times):
        assert api.post_json(URL, {"username": username, "password": "wrong"}).status_code == 401


def test_it_refuses_an_account_after_too_many_wrong_passwords(api: ApiClient, student_a: Persona) -> None:
    guess(api, "student_a", views.LOGIN_FAILURES_ALLOWED)
    response = api.post_json(URL, {"username": "student_a", "password": PASSWORD})
    assert_error(response, 429, "rate_limited")
    assert int(response["Retry-After"]) == views.LOGIN_FAILURE_WINDOW


def test_it_counts_each_account_on_its_own(api: ApiClient, student_a: Persona, student_b: Persona) -> None:
    guess(api, "student_a", views.LOGIN_FAILURES_ALLOWED)
    assert api.post_json(URL, {"username": "student_b", "password": PASSWORD}).status_code == 200


def test_it_forgets_the_failures_after_a_success(api: ApiClient, student_a: Persona) -> None:
    guess(api, "student_a", views.LOGIN_FAILURES_ALLOWED - 1)
    assert api.post_json(URL, {"username": "student_a", "password": PASSWORD}).status_code == 200
    guess(api, "student_a", views.LOGIN_FAILURES_ALLOWED - 1)
    assert api.post_json(URL, {"username": "student_a", "password": PASSWORD}).status_code == 200

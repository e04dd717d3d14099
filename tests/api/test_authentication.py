"""Bearer tokens and browser sessions on the API's protected endpoints."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from stride.api.models import ApiToken
from stride.submissions.models import Submission
from tests.api.conftest import PASSWORD
from tests.api.support import ApiClient, Persona, assert_error

URL = "/api/exercises"


def test_it_accepts_a_bearer_token(student_a: Persona, exercise) -> None:
    assert student_a.api.get(URL).status_code == 200


def test_it_accepts_the_scheme_in_any_case(student_a: Persona, exercise) -> None:
    response = student_a.api.get(URL, HTTP_AUTHORIZATION=f"bearer {student_a.api.token}")
    assert response.status_code == 200


def test_it_notes_when_a_token_was_last_used(student_a: Persona, exercise) -> None:
    ApiToken.objects.update(last_used_at=None)
    student_a.api.get(URL)
    used = ApiToken.objects.get(user=student_a.user).last_used_at
    assert used is not None and timezone.now() - used < timedelta(minutes=1)


def test_it_refuses_a_missing_token_with_401(anonymous: Persona, exercise) -> None:
    body = assert_error(anonymous.api.get(URL), 401, "unauthenticated")
    assert "Bearer" in body["detail"]


@pytest.mark.parametrize(
    "header",
    [
        "Bearer not-a-token",
        "Bearer ",
        "Bearer",
        "Token abc",
        "Basic c3R1ZGVudF9hOnBhc3N3b3Jk",
        "Bearer " + "x" * 10_000,
        "Bearer tok\u00e9n",
    ],
    ids=["unknown", "empty", "scheme-only", "other-scheme", "basic", "huge", "non-ascii"],
)
def test_it_refuses_an_invalid_token_with_401(student_a: Persona, exercise, header: str) -> None:
    assert_error(student_a.api.get(URL, HTTP_AUTHORIZATION=header), 401, "unauthenticated")


def test_it_refuses_a_revoked_token(student_a: Persona, exercise) -> None:
    ApiToken.objects.filter(user=student_a.user).delete()
    assert_error(student_a.api.get(URL), 401, "unauthenticated")


def test_it_refuses_the_token_of_an_inactive_account(student_a: Persona, exercise) -> None:
    student_a.user.is_active = False
    student_a.user.save()
    assert_error(student_a.api.get(URL), 401, "unauthenticated")


def test_it_accepts_a_browser_session_for_get(student_a: Persona, exercise, make_submission) -> None:
    submission = make_submission(student_a)
    browser = ApiClient(enforce_csrf_checks=True)
    browser.force_login(student_a.user)
    assert browser.get(URL).status_code == 200
    assert browser.get(f"/api/submissions/{submission.pk}").json()["id"] == submission.pk


def test_it_prefers_a_bad_token_over_a_good_session(student_a: Persona, exercise) -> None:
    browser = ApiClient(token="not-a-token")
    browser.force_login(student_a.user)
    assert_error(browser.get(URL), 401, "unauthenticated")


def test_it_refuses_a_post_on_a_browser_session_alone(student_a: Persona, exercise) -> None:
    """A session alone never submits: POST needs the bearer token, so the API needs no CSRF check."""
    browser = ApiClient(enforce_csrf_checks=True)
    browser.login(username="student_a", password=PASSWORD)
    browser.get("/api/exercises")
    csrf = browser.cookies.get("csrftoken")
    extra = {"HTTP_X_CSRFTOKEN": csrf.value} if csrf else {}
    response = browser.post_json(f"/api/exercises/{exercise.slug}/submissions", {"code": "x = 1"}, **extra)
    body = assert_error(response, 401, "unauthenticated")
    assert "bearer token" in body["detail"]
    assert not Submission.objects.exists()


def test_it_needs_no_csrf_token_with_a_bearer_token(student_a: Persona, exercise) -> None:
    api = ApiClient(student_a.api.token, enforce_csrf_checks=True)
    response = api.post_json(f"/api/exercises/{exercise.slug}/submissions", {"code": "x = 1"})
    assert response.status_code == 202

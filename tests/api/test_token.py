"""POST /api/token: a username and password for a bearer token."""

from __future__ import annotations

import hashlib

import pytest

from stride.api.models import ApiToken
from tests.api.conftest import PASSWORD
from tests.api.support import ApiClient, Persona, assert_error

URL = "/api/token"


@pytest.fixture
def api() -> ApiClient:
    return ApiClient()


@pytest.fixture
def tokens_before(student_a: Persona) -> int:
    return ApiToken.objects.count()


def test_it_issues_a_token_that_authenticates(api: ApiClient, student_a: Persona, exercise) -> None:
    response = api.post_json(URL, {"username": "student_a", "password": PASSWORD})
    assert response.status_code == 200
    token = response.json()["token"]
    assert len(token) >= 40
    assert "no-cache" in response["Cache-Control"]
    assert ApiClient(token).get("/api/exercises").status_code == 200


def test_it_stores_only_the_hash(api: ApiClient, student_a: Persona) -> None:
    token = api.post_json(URL, {"username": "student_a", "password": PASSWORD}).json()["token"]
    row = ApiToken.objects.get(key_hash=hashlib.sha256(token.encode()).hexdigest())
    assert row.user == student_a.user
    assert not ApiToken.objects.filter(key_hash=token).exists()


def test_it_gives_each_call_a_new_token_and_all_of_them_work(api: ApiClient, student_a: Persona, exercise) -> None:
    first = api.post_json(URL, {"username": "student_a", "password": PASSWORD}).json()["token"]
    second = api.post_json(URL, {"username": "student_a", "password": PASSWORD}).json()["token"]
    assert first != second
    assert ApiClient(first).get("/api/exercises").status_code == 200
    assert ApiClient(second).get("/api/exercises").status_code == 200


def test_it_ignores_members_it_does_not_know(api: ApiClient, student_a: Persona) -> None:
    response = api.post_json(URL, {"username": "student_a", "password": PASSWORD, "remember": True})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "credentials",
    [
        {"username": "student_a", "password": "wrong"},
        {"username": "nobody", "password": PASSWORD},
        {"username": "student_a", "password": ""},
        {"username": "", "password": ""},
        {"username": "student_a\x00", "password": PASSWORD},
        {"username": "student_a", "password": PASSWORD + "\x00"},
        {"username": "x" * 10_000, "password": PASSWORD},
    ],
    ids=["wrong-password", "unknown-user", "empty-password", "empty", "nul-username", "nul-password", "long"],
)
def test_it_refuses_wrong_credentials_with_401(
    api: ApiClient, student_a: Persona, tokens_before: int, credentials: dict
) -> None:
    assert_error(api.post_json(URL, credentials), 401, "invalid_credentials")
    assert ApiToken.objects.count() == tokens_before


def test_it_refuses_an_inactive_account(api: ApiClient, student_a: Persona, tokens_before: int) -> None:
    student_a.user.is_active = False
    student_a.user.save()
    assert_error(api.post_json(URL, {"username": "student_a", "password": PASSWORD}), 401, "invalid_credentials")
    assert ApiToken.objects.count() == tokens_before


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ('{"username": "student_a", "password": ', "invalid_json"),
        ("[]", "invalid_body"),
        ('"student_a"', "invalid_body"),
        ("null", "invalid_body"),
        ('{"password": "x"}', "invalid_field"),
        ('{"username": "student_a"}', "invalid_field"),
        ('{"username": 1, "password": "x"}', "invalid_field"),
        ('{"username": "student_a", "password": null}', "invalid_field"),
        ('{"username": "student_a", "password": ["x"]}', "invalid_field"),
        ('{"username": "\\ud800", "password": "x"}', "invalid_encoding"),
    ],
    ids=[
        "truncated",
        "array",
        "string",
        "null",
        "no-username",
        "no-password",
        "number",
        "null-password",
        "list-password",
        "lone-surrogate",
    ],
)
def test_it_answers_bad_bodies_with_400(
    api: ApiClient, student_a: Persona, tokens_before: int, body: str, error: str
) -> None:
    assert_error(api.post(URL, body, content_type="application/json"), 400, error)
    assert ApiToken.objects.count() == tokens_before


def test_it_answers_an_empty_body_with_400(api: ApiClient, student_a: Persona, tokens_before: int) -> None:
    # The test client drops the Content-Type of an empty body unless told explicitly.
    response = api.post(URL, "", content_type="application/json", CONTENT_TYPE="application/json")
    assert_error(response, 400, "invalid_json")
    assert ApiToken.objects.count() == tokens_before


def test_it_answers_a_body_that_is_not_utf8_with_400(api: ApiClient, student_a: Persona, tokens_before: int) -> None:
    body = b'{"username": "student_a", "password": "caf\xe9"}'
    assert_error(api.post(URL, body, content_type="application/json"), 400, "invalid_encoding")
    assert ApiToken.objects.count() == tokens_before


@pytest.mark.parametrize("content_type", ["application/x-www-form-urlencoded", "text/plain", "multipart/form-data"])
def test_it_answers_other_content_types_with_415(
    api: ApiClient, student_a: Persona, tokens_before: int, content_type: str
) -> None:
    body = f'{{"username": "student_a", "password": "{PASSWORD}"}}'
    if content_type == "multipart/form-data":
        response = api.post(URL, {"username": "student_a", "password": PASSWORD})
    else:
        response = api.post(URL, body, content_type=content_type)
    assert_error(response, 415, "unsupported_media_type")
    assert ApiToken.objects.count() == tokens_before


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_it_answers_other_methods_with_405(api: ApiClient, student_a: Persona, method: str) -> None:
    response = getattr(api, method)(URL)
    assert_error(response, 405, "method_not_allowed")
    assert response["Allow"] == "POST"


def test_it_needs_no_csrf_token(student_a: Persona) -> None:
    api = ApiClient(enforce_csrf_checks=True)
    assert api.post_json(URL, {"username": "student_a", "password": PASSWORD}).status_code == 200

"""POST /api/exercises/{slug}/submissions: store the code and queue its grading."""

from __future__ import annotations

import json

import pytest

from grader.grade import MAX_CODE_BYTES
from stride.submissions.models import Submission
from tests.api.conftest import SOLUTION, GradingQueue
from tests.api.support import ApiClient, Persona, assert_error

URL = "/api/exercises/conv2d/submissions"


@pytest.fixture
def api(student_a: Persona, exercise) -> ApiClient:
    return student_a.api


def post_raw(api: ApiClient, body: bytes | str, content_type: str = "application/json"):
    return api.post(URL, body, content_type=content_type)


def test_it_stores_the_submission_and_answers_202(api: ApiClient, student_a: Persona, exercise) -> None:
    response = api.post_json(URL, {"code": SOLUTION})
    assert response.status_code == 202
    body = response.json()
    submission = Submission.objects.get()
    assert body == {"id": submission.pk, "status": "queued"}
    assert response["Location"] == f"/api/submissions/{submission.pk}"
    assert submission.user == student_a.user
    assert submission.exercise == exercise
    assert submission.exercise_version == exercise.version
    assert submission.code == SOLUTION
    assert submission.status == "queued"


def test_it_queues_the_grading_after_the_commit(
    api: ApiClient, django_capture_on_commit_callbacks, grading_queue: GradingQueue
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = api.post_json(URL, {"code": SOLUTION})
    assert response.status_code == 202
    assert grading_queue.drain() == [], "sent before the transaction committed"
    for callback in callbacks:
        callback()
    submission = Submission.objects.get()
    assert grading_queue.drain() == [
        {"task": "stride.grade", "args": [submission.pk, "conv2d", SOLUTION, str(submission.grading_token)]}
    ]
    assert submission.deliveries == 1


def test_it_answers_the_location_with_the_submission(api: ApiClient) -> None:
    location = api.post_json(URL, {"code": SOLUTION})["Location"]
    response = api.get(location)
    assert response.status_code == 200
    assert response.json()["status"] == "queued"
    assert response.json()["feedback"] is None


def test_it_accepts_empty_code_which_the_grader_marks_empty(api: ApiClient) -> None:
    assert api.post_json(URL, {"code": ""}).status_code == 202
    assert api.post_json(URL, {"code": "  \n"}).status_code == 202
    assert Submission.objects.count() == 2


def test_it_accepts_code_of_exactly_the_limit(api: ApiClient) -> None:
    code = "#" * (MAX_CODE_BYTES - 1) + "\n"
    assert api.post_json(URL, {"code": code}).status_code == 202
    assert Submission.objects.get().code == code


def test_it_accepts_any_unicode(api: ApiClient) -> None:
    code = "# 𝔠𝔬𝔫𝔳 — ünïcödé ✓ 🙂\r\nx = '\\u0000'\t\n"
    assert api.post_json(URL, {"code": code}).status_code == 202
    assert Submission.objects.get().code == code


def test_it_accepts_a_utf8_byte_order_mark(api: ApiClient) -> None:
    body = "\ufeff" + json.dumps({"code": SOLUTION})
    assert post_raw(api, body.encode("utf-8")).status_code == 202


def test_it_accepts_a_charset_parameter(api: ApiClient) -> None:
    body = json.dumps({"code": SOLUTION})
    assert post_raw(api, body, "application/json; charset=UTF-8").status_code == 202


def test_it_ignores_members_it_does_not_know(api: ApiClient) -> None:
    assert api.post_json(URL, {"code": SOLUTION, "language": "python"}).status_code == 202


def test_it_lets_instructors_and_outsiders_submit_too(instructor: Persona, outsider: Persona, exercise) -> None:
    assert instructor.api.post_json(URL, {"code": SOLUTION}).status_code == 202
    assert outsider.api.post_json(URL, {"code": SOLUTION}).status_code == 202


# -- denied ------------------------------------------------------------------------------


def test_it_refuses_anonymous_callers_with_401(anonymous: Persona, exercise) -> None:
    assert_error(anonymous.api.post_json(URL, {"code": SOLUTION}), 401, "unauthenticated")
    assert not Submission.objects.exists()


def test_it_refuses_an_invalid_token_with_401(api: ApiClient) -> None:
    response = api.post_json(URL, {"code": SOLUTION}, HTTP_AUTHORIZATION="Bearer forged")
    assert_error(response, 401, "unauthenticated")
    assert not Submission.objects.exists()


@pytest.mark.parametrize("slug", ["nope", "conv2d%00", "conv%2E2d", "%FF", "x" * 300])
def test_it_answers_unknown_exercises_with_404(student_a: Persona, exercise, slug: str) -> None:
    response = student_a.api.post_json(f"/api/exercises/{slug}/submissions", {"code": SOLUTION})
    assert_error(response, 404, "not_found")
    assert not Submission.objects.exists()


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_it_answers_other_methods_with_405(api: ApiClient, method: str) -> None:
    response = getattr(api, method)(URL, json.dumps({"code": SOLUTION}), content_type="application/json")
    assert_error(response, 405, "method_not_allowed")
    assert response["Allow"] == "GET, POST, HEAD"
    assert not Submission.objects.exists()


# -- bad input ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ('{"code": ', "invalid_json"),
        ("{'code': 'x'}", "invalid_json"),
        ('{"code": "x"} trailing', "invalid_json"),
        ('{"code": 1' + "0" * 5000 + "}", "invalid_json"),
        ("[" * 100_000 + "]" * 100_000, "invalid_json"),
        ("[]", "invalid_body"),
        ('["x = 1"]', "invalid_body"),
        ('"x = 1"', "invalid_body"),
        ("42", "invalid_body"),
        ("null", "invalid_body"),
        ("true", "invalid_body"),
        ("{}", "invalid_field"),
        ('{"Code": "x = 1"}', "invalid_field"),
        ('{"code": null}', "invalid_field"),
        ('{"code": 1}', "invalid_field"),
        ('{"code": true}', "invalid_field"),
        ('{"code": ["x = 1"]}', "invalid_field"),
        ('{"code": {"text": "x = 1"}}', "invalid_field"),
        ('{"code": "x = 1\\u0000"}', "invalid_field"),
        ('{"code": "x = \'\\ud800\'"}', "invalid_encoding"),
        ('{"code": "\\udfff"}', "invalid_encoding"),
    ],
    ids=[
        "truncated",
        "single-quotes",
        "trailing-garbage",
        "huge-integer",
        "deep-nesting",
        "empty-array",
        "array",
        "string",
        "number",
        "null",
        "boolean",
        "empty-object",
        "wrong-name",
        "null-code",
        "number-code",
        "boolean-code",
        "list-code",
        "object-code",
        "nul-character",
        "lone-high-surrogate",
        "lone-low-surrogate",
    ],
)
def test_it_answers_bad_bodies_with_400(api: ApiClient, body: str, error: str) -> None:
    assert_error(post_raw(api, body), 400, error)
    assert not Submission.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        b'{"code": "caf\xe9"}',
        b'{"code": "\xff\xfe"}',
        b'{"code": "\xed\xa0\x80"}',  # a surrogate encoded in UTF-8 (CESU-8), not valid UTF-8
        b'{"code": "\xc0\xaf"}',  # an overlong encoding
        '{"code": "x"}'.encode("utf-16"),
    ],
    ids=["latin-1", "bytes", "encoded-surrogate", "overlong", "utf-16"],
)
def test_it_answers_a_body_that_is_not_utf8_with_400(api: ApiClient, body: bytes) -> None:
    assert_error(post_raw(api, body), 400, "invalid_encoding")
    assert not Submission.objects.exists()


def test_it_answers_an_empty_body_with_400(api: ApiClient) -> None:
    response = api.post(URL, "", content_type="application/json", CONTENT_TYPE="application/json")
    assert_error(response, 400, "invalid_json")
    assert not Submission.objects.exists()


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",
        "application/x-www-form-urlencoded",
        "application/xml",
        "application/json-patch+json",
        "application/json; charset=latin-1",
        "application/json; charset=utf-16",
        "",
    ],
)
def test_it_answers_other_content_types_with_415(api: ApiClient, content_type: str) -> None:
    response = api.post(URL, json.dumps({"code": SOLUTION}), content_type="x", CONTENT_TYPE=content_type)
    assert_error(response, 415, "unsupported_media_type")
    assert not Submission.objects.exists()


def test_it_answers_a_form_post_with_415(api: ApiClient) -> None:
    assert_error(api.post(URL, {"code": SOLUTION}), 415, "unsupported_media_type")
    assert not Submission.objects.exists()


def test_it_answers_code_over_64_kib_with_413(api: ApiClient) -> None:
    body = assert_error(api.post_json(URL, {"code": "#" * (MAX_CODE_BYTES + 1)}), 413, "too_large")
    assert str(MAX_CODE_BYTES) in body["detail"]
    assert not Submission.objects.exists()


def test_it_counts_the_limit_in_utf8_bytes_not_characters(api: ApiClient) -> None:
    code = "€" * (MAX_CODE_BYTES // 3 + 1)  # fewer characters than the limit, more bytes
    assert len(code) < MAX_CODE_BYTES
    assert_error(api.post_json(URL, {"code": code}), 413, "too_large")
    assert not Submission.objects.exists()


def test_it_answers_a_huge_body_with_413_without_reading_it(api: ApiClient) -> None:
    body = json.dumps({"code": "#" * (8 * MAX_CODE_BYTES)})
    assert_error(post_raw(api, body), 413, "too_large")
    assert not Submission.objects.exists()


def test_it_accepts_code_near_the_limit_however_it_is_escaped(api: ApiClient) -> None:
    code = "\x01" * (MAX_CODE_BYTES - 1)  # every character escaped as \\u0001: six bytes each
    assert api.post_json(URL, {"code": code}).status_code == 202
    assert Submission.objects.get().code == code


def test_it_answers_a_bad_content_length_with_400(api: ApiClient) -> None:
    response = api.post(URL, json.dumps({"code": SOLUTION}), content_type="application/json", CONTENT_LENGTH="abc")
    assert_error(response, 400, "invalid_body")
    assert not Submission.objects.exists()

"""The exercise page: statement, editor, submitting by form or fetch, results with heatmaps, history."""

from __future__ import annotations

import pytest
from django.test import Client

from stride.exercises.models import Exercise
from stride.submissions.models import Submission
from tests.web.conftest import Visitor

RESULT = {
    "exercise": "conv2d",
    "version": "v1",
    "seed": 123456,
    "verdict": "failed",
    "message": "1 of 2 tests failed",
    "score": 0.5,
    "points": 1.0,
    "max_points": 2.0,
    "tests": [
        {"name": "example: 3x3 image", "visible": True, "passed": False, "verdict": "wrong_values", "points": 0.0,
         "max_points": 1.0, "message": "2 of 4 values differ", "hint": "is the kernel flipped?",
         "call": "(array(shape=(3, 3)), array(shape=(2, 2)))",
         "expected": [[1.0, 2.0], [3.0, 4.0]], "actual": [[1.0, 9.0], [3.0, 5.0]]},
        {"name": "hidden: stride 2", "visible": False, "passed": True, "verdict": "passed", "points": 1.0,
         "max_points": 1.0},
    ],
    "stdout": "debug <b>print</b>",
    "duration_ms": 20.0,
}  # fmt: skip


@pytest.fixture
def conv2d(course) -> Exercise:
    return Exercise.objects.get(slug="conv2d")


def graded(student: Visitor, exercise: Exercise, result: dict = RESULT) -> Submission:
    submission = Submission.objects.create(user=student.user, exercise=exercise, exercise_version="v1", code="x = 1")
    token = str(submission.grading_token)
    assert Submission.mark_started(submission.pk, token) and Submission.record_result(submission.pk, token, result)
    return submission


def test_it_shows_the_statement_the_starter_and_the_editor_hooks(conv2d: Exercise, student: Visitor) -> None:
    html = student.client.get("/exercises/conv2d/").content.decode()
    assert conv2d.title in html and "data-code-form" in html
    assert f'data-storage-key="stride:code:{student.user.pk}:conv2d"' in html
    assert "def conv2d(" in html and "No submissions yet." in html
    # Resetting is the editor script's job: without it the button would do nothing, so it starts hidden.
    assert 'data-action="reset-code" hidden>Reset to starter</button>' in html


def test_it_submits_by_fetch_and_answers_where_to_poll(conv2d: Exercise, student: Visitor) -> None:
    response = student.client.post(
        "/exercises/conv2d/submit", {"code": "def conv2d(i, k):\n    return i\n"}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 202
    body = response.json()
    submission = Submission.objects.get(pk=body["id"])
    assert submission.user == student.user and submission.status == "queued"
    assert body["status_url"] == f"/api/submissions/{submission.pk}"
    assert body["result_url"] == f"/exercises/conv2d/submissions/{submission.pk}/result"
    polled = student.client.get(body["status_url"])  # the session may read the API
    assert polled.status_code == 200 and polled.json()["status"] == "queued"


def test_it_submits_without_javascript_and_redirects_to_the_submission(conv2d: Exercise, student: Visitor) -> None:
    response = student.client.post("/exercises/conv2d/submit", {"code": "x = 1"})
    submission = Submission.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/exercises/conv2d/submissions/{submission.pk}/"
    page = student.client.get(response["Location"])
    assert b"Waiting for the grader" in page.content and b'http-equiv="refresh"' in page.content


def test_it_shows_per_test_results_with_heatmaps_for_visible_tests(conv2d: Exercise, student: Visitor) -> None:
    submission = graded(student, conv2d)
    html = student.client.get(f"/exercises/conv2d/submissions/{submission.pk}/result").content.decode()
    assert "50%" in html and "1 / 2 points" in html
    assert 'class="test-result failed" data-test-name="example: 3x3 image"' in html
    assert "is the kernel flipped?" in html and "2 of 4 values differ" in html
    assert html.count('<figure class="heatmap-pair">') == 1 and html.count('<figure class="heatmap ') == 2
    assert html.count('class="cell diff"') == 2 * 2 and html.count('class="diff-outline"') == 2 * 2
    assert "2 differing cells are outlined." in html
    assert "debug &lt;b&gt;print&lt;/b&gt;" in html and "123456" not in html  # escaped; no seed
    assert 'class="test-result passed" data-test-name="hidden: stride 2"' in html


def test_it_lists_the_history_newest_first(conv2d: Exercise, student: Visitor) -> None:
    first, second = graded(student, conv2d), graded(student, conv2d, {**RESULT, "score": 1.0, "verdict": "passed"})
    html = student.client.get("/exercises/conv2d/history").content.decode()
    assert html.index(f">{second.pk}<") < html.index(f">{first.pk}<") and "100%" in html and "50%" in html


def test_it_keeps_each_students_submissions_private(conv2d: Exercise, student: Visitor, other_student: Visitor) -> None:
    submission = graded(student, conv2d)
    assert other_student.client.get(f"/exercises/conv2d/submissions/{submission.pk}/").status_code == 404
    assert other_student.client.get(f"/exercises/conv2d/submissions/{submission.pk}/result").status_code == 404
    assert b"No submissions yet." in other_student.client.get("/exercises/conv2d/history").content


def test_it_refuses_oversized_and_nul_code_without_storing_it(conv2d: Exercise, student: Visitor) -> None:
    big = student.client.post("/exercises/conv2d/submit", {"code": "#" * 70_000}, HTTP_ACCEPT="application/json")
    assert big.status_code == 413 and "the limit is" in big.json()["detail"]
    nul = student.client.post("/exercises/conv2d/submit", {"code": "a\0b"}, HTTP_ACCEPT="application/json")
    assert nul.status_code == 400
    missing = student.client.post("/exercises/conv2d/submit", {}, follow=True)
    assert b"the form has no code field" in missing.content
    assert not Submission.objects.exists()


def test_it_applies_the_rate_limit(conv2d: Exercise, student: Visitor, settings) -> None:
    settings.STRIDE_SUBMISSION_RATE_COUNT = 1
    assert (
        student.client.post("/exercises/conv2d/submit", {"code": "a = 1"}, HTTP_ACCEPT="application/json").status_code
        == 202
    )
    refused = student.client.post("/exercises/conv2d/submit", {"code": "a = 2"}, HTTP_ACCEPT="application/json")
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
    assert Submission.objects.count() == 1


def test_it_needs_login_a_csrf_token_and_post(conv2d: Exercise, student: Visitor, anonymous: Visitor) -> None:
    assert anonymous.client.get("/exercises/conv2d/").status_code == 302
    assert anonymous.client.post("/exercises/conv2d/submit", {"code": "x"}).status_code == 302
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(student.user)
    assert strict.post("/exercises/conv2d/submit", {"code": "x"}).status_code == 403
    assert student.client.get("/exercises/conv2d/submit").status_code == 405
    assert student.client.get("/exercises/nope/").status_code == 404
    assert not Submission.objects.exists()


def test_it_keeps_refused_code_in_the_editor_without_javascript(conv2d: Exercise, student: Visitor, settings) -> None:
    settings.STRIDE_SUBMISSION_RATE_COUNT = 1
    assert student.client.post("/exercises/conv2d/submit", {"code": "a = 1"}).status_code == 302
    mine = "def conv2d(image, kernel):\n    return image < kernel  # mine\n"
    refused = student.client.post("/exercises/conv2d/submit", {"code": mine})
    # The page comes back with the student's code in the textarea, not the starter, and says why.
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
    html = refused.content.decode()
    assert "return image &lt; kernel  # mine\n</textarea>" in html and "at most 1 submissions" in html
    assert Submission.objects.count() == 1
    big = student.client.post("/exercises/conv2d/submit", {"code": "# mine\n" + "#" * 70_000})
    assert big.status_code == 413 and "# mine\n####" in big.content.decode()
    nul = student.client.post("/exercises/conv2d/submit", {"code": "x = 1\0  # mine\n"})
    assert nul.status_code == 400 and "x = 1  # mine\n</textarea>" in nul.content.decode()
    assert "your code contains a NUL character" in nul.content.decode()
    assert Submission.objects.count() == 1

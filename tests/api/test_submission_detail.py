"""GET /api/submissions/{id}: status, score and what the student may see of the grading."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from stride.submissions.models import Submission
from tests.api.support import Persona, assert_error, sample_result


def url(submission: Submission | int | str) -> str:
    return f"/api/submissions/{submission.pk if isinstance(submission, Submission) else submission}"


def test_it_shows_a_queued_submission_without_feedback(student_a: Persona, make_submission) -> None:
    submission = make_submission(student_a)
    response = student_a.api.get(url(submission))
    assert response.status_code == 200
    body = response.json()
    assert body == {
        "id": submission.pk,
        "exercise": "conv2d",
        "status": "queued",
        "verdict": None,
        "score": None,
        "points": None,
        "max_points": None,
        "created_at": body["created_at"],
        "started_at": None,
        "finished_at": None,
        "feedback": None,
    }
    assert datetime.fromisoformat(body["created_at"]) == submission.created_at.replace(
        microsecond=submission.created_at.microsecond // 1000 * 1000
    )
    assert "no-cache" in response["Cache-Control"]


def test_it_shows_a_running_submission(student_a: Persona, make_submission) -> None:
    body = student_a.api.get(url(make_submission(student_a, state="running"))).json()
    assert body["status"] == "running"
    assert body["started_at"] is not None
    assert body["finished_at"] is None
    assert body["feedback"] is None


def test_it_shows_a_graded_submission_with_its_feedback(student_a: Persona, make_submission) -> None:
    submission = make_submission(student_a, state="graded")
    body = student_a.api.get(url(submission)).json()
    assert body["status"] == "graded"
    assert (body["verdict"], body["score"], body["points"], body["max_points"]) == ("failed", 0.5, 1.0, 2.0)
    assert body["started_at"] is not None and body["finished_at"] is not None
    expected = sample_result()
    del expected["seed"]
    assert body["feedback"] == expected


def test_it_never_shows_the_seed(student_a: Persona, make_submission) -> None:
    seed = 987654321987654
    response = student_a.api.get(url(make_submission(student_a, state="graded", result=sample_result(seed=seed))))
    assert "seed" not in response.json()["feedback"]
    assert str(seed) not in response.content.decode()


def test_it_shows_hidden_tests_only_as_the_grader_reported_them(student_a: Persona, make_submission) -> None:
    feedback = student_a.api.get(url(make_submission(student_a, state="graded"))).json()["feedback"]
    hidden = [test for test in feedback["tests"] if not test["visible"]]
    assert hidden and all("expected" not in t and "actual" not in t and "call" not in t for t in hidden)


def test_it_shows_a_whole_submission_verdict(student_a: Persona, make_submission) -> None:
    result = {
        "exercise": "conv2d",
        "version": "0123456789abcdef",
        "seed": 1,
        "verdict": "empty",
        "message": "the submission is empty",
        "score": 0.0,
        "points": 0.0,
        "max_points": 22.0,
        "tests": [],
        "stdout": "",
        "duration_ms": 0.1,
    }
    body = student_a.api.get(url(make_submission(student_a, code="", state="graded", result=result))).json()
    assert (body["status"], body["verdict"], body["score"]) == ("graded", "empty", 0.0)
    assert body["feedback"]["message"] == "the submission is empty"


def test_it_shows_a_grader_error(student_a: Persona, make_submission) -> None:
    result = {"verdict": "grader_error", "message": "the grader did not answer", "tests": []}
    body = student_a.api.get(url(make_submission(student_a, state="graded", result=result))).json()
    assert (body["status"], body["verdict"], body["score"]) == ("error", "grader_error", None)
    assert body["feedback"] == result


def test_it_answers_head(student_a: Persona, make_submission) -> None:
    assert student_a.api.head(url(make_submission(student_a))).status_code == 200


# -- who may see it ----------------------------------------------------------------------


def test_it_shows_a_student_their_own_submission(student_a: Persona, make_submission) -> None:
    assert student_a.api.get(url(make_submission(student_a))).status_code == 200


def test_it_hides_another_students_submission_with_404(student_a: Persona, student_b: Persona, make_submission) -> None:
    submission = make_submission(student_a, state="graded")
    response = student_b.api.get(url(submission))
    body = assert_error(response, 404, "not_found")
    unknown = assert_error(student_b.api.get(url(submission.pk + 1000)), 404, "not_found")
    assert body == unknown, "a hidden submission must look exactly like a missing one"
    assert "tests" not in response.content.decode()


@pytest.mark.parametrize("persona", ["instructor", "teaching_assistant"])
def test_it_shows_the_submission_to_whoever_teaches_the_student(
    request: pytest.FixtureRequest, student_a: Persona, make_submission, persona: str
) -> None:
    submission = make_submission(student_a, state="graded")
    response = request.getfixturevalue(persona).api.get(url(submission))
    assert response.status_code == 200
    assert response.json()["feedback"]["verdict"] == "failed"


def test_it_hides_the_submission_from_an_instructor_of_another_offering(
    student_a: Persona, outsider: Persona, make_submission
) -> None:
    from stride.offerings.models import Enrollment, Offering

    other = Offering.objects.create(slug="other", title="Another course")
    Enrollment.objects.create(offering=other, user=outsider.user, role=Enrollment.Role.INSTRUCTOR)
    assert_error(outsider.api.get(url(make_submission(student_a))), 404, "not_found")


def test_it_hides_an_instructors_own_submission_from_students(
    student_a: Persona, instructor: Persona, make_submission
) -> None:
    assert_error(student_a.api.get(url(make_submission(instructor))), 404, "not_found")


def test_it_hides_the_submission_from_an_outsider(student_a: Persona, outsider: Persona, make_submission) -> None:
    assert_error(outsider.api.get(url(make_submission(student_a))), 404, "not_found")


def test_it_shows_every_submission_to_site_staff(
    student_a: Persona, outsider: Persona, staff: Persona, make_submission
) -> None:
    assert staff.api.get(url(make_submission(student_a))).status_code == 200
    assert staff.api.get(url(make_submission(outsider))).status_code == 200


def test_it_refuses_anonymous_callers_with_401(student_a: Persona, anonymous: Persona, make_submission) -> None:
    assert_error(anonymous.api.get(url(make_submission(student_a))), 401, "unauthenticated")


def test_it_refuses_anonymous_callers_before_saying_whether_a_submission_exists(anonymous: Persona) -> None:
    assert_error(anonymous.api.get(url(123456)), 401, "unauthenticated")


# -- bad ids and methods -----------------------------------------------------------------


@pytest.mark.parametrize(
    "submission_id",
    ["999999", "0", "-1", "abc", "1.5", "1e3", "0x10", "%201", "1%00", "%EF%BC%91", "9" * 19, "9" * 40, " 1"],
)
def test_it_answers_unknown_or_malformed_ids_with_404(student_a: Persona, make_submission, submission_id) -> None:
    make_submission(student_a)
    assert_error(student_a.api.get(url(submission_id)), 404, "not_found")


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_it_answers_other_methods_with_405(student_a: Persona, make_submission, method: str) -> None:
    submission = make_submission(student_a)
    response = getattr(student_a.api, method)(url(submission), json.dumps({}), content_type="application/json")
    assert_error(response, 405, "method_not_allowed")
    assert response["Allow"] == "GET, HEAD"
    assert Submission.objects.filter(pk=submission.pk).exists()

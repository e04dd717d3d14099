"""GET /api/offerings/{slug}/grades: the gradebook as JSON, for the offering's teaching staff only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from stride.gradebook.grades import compute_gradebook
from stride.gradebook.models import ExportLog
from stride.offerings.limits import record_attempt
from stride.offerings.models import Enrollment, GradedItem, Offering
from stride.submissions.models import Submission
from tests.api.support import Persona, assert_error, sample_result

URL = "/api/offerings/cnn-101/grades"


@pytest.fixture
def graded(offering, exercise, student_a, student_b) -> GradedItem:
    item = GradedItem.objects.create(
        offering=offering, exercise=exercise, due_at=timezone.now() - timedelta(days=1), late_policy="penalty",
        penalty_per_day=25,
    )  # fmt: skip
    at = timezone.now() - timedelta(hours=12)  # 12 hours after the due time
    submission = Submission.objects.create(
        user=student_a.user, exercise=exercise, exercise_version=exercise.version, code="", created_at=at
    )
    record_attempt(item, student_a.user, submission)
    token = str(submission.grading_token)
    Submission.mark_started(submission.pk, token)
    Submission.record_result(submission.pk, token, sample_result())
    return item


@pytest.mark.parametrize("who", ["instructor", "staff"])
def test_instructors_get_the_gradebook(request, graded: GradedItem, who: str) -> None:
    caller: Persona = request.getfixturevalue(who)
    response = caller.api.get(URL)
    assert response.status_code == 200
    data = response.json()
    book = compute_gradebook(graded.offering)
    assert [s["username"] for s in data["students"]] == [r.username for r in book.rows] == ["student_a", "student_b"]
    a = data["students"][0]
    assert a["grades"][0]["points"] == 11.0 * 0.75 == a["total"]  # half of 22 points, 25 % off for day 1
    assert a["grades"][0]["attempts"][0]["days_late"] == 1
    assert data["students"][1]["grades"][0]["points"] is None
    assert data["items"][0]["key"] == "exercise:conv2d" and data["offering"]["time_zone"] == "UTC"
    log = ExportLog.objects.get()
    assert (log.format, log.via, log.username, log.rows) == ("json", "api", caller.name, 2)


@pytest.mark.parametrize("who", ["student_a", "student_b", "outsider", "teaching_assistant"])
def test_students_outsiders_and_tas_are_refused(request, graded: GradedItem, who: str) -> None:
    caller: Persona = request.getfixturevalue(who)
    assert_error(caller.api.get(URL), 403, "forbidden")
    assert not ExportLog.objects.exists()


def test_anonymous_callers_must_authenticate(anonymous: Persona, graded: GradedItem) -> None:
    assert_error(anonymous.api.get(URL), 401, "unauthenticated")


def test_teaching_another_offering_is_not_enough(instructor: Persona, graded: GradedItem) -> None:
    other = Offering.objects.create(slug="other-term", title="Other term")
    Enrollment.objects.filter(user=instructor.user).update(offering=other)
    assert_error(instructor.api.get(URL), 403, "forbidden")
    assert instructor.api.get("/api/offerings/other-term/grades").status_code == 200


def test_an_unknown_offering_is_not_found(instructor: Persona) -> None:
    assert_error(instructor.api.get("/api/offerings/no-such-term/grades"), 404, "not_found")


def test_only_get_is_allowed(instructor: Persona, graded: GradedItem) -> None:
    response = instructor.api.post_json(URL, {})
    assert_error(response, 405, "method_not_allowed")
    assert "GET" in response["Allow"]

# ruff: noqa: F811 - the fixtures come from tests/web/teach_support.py, imported by name
"""Regrading from the instructor's pages: choose, watch the progress, compare, confirm or cancel, history."""

from __future__ import annotations

import pytest

from stride.core.models import WorkerHeartbeat
from stride.exercises.models import Exercise
from stride.gradebook.grades import compute_gradebook
from stride.gradebook.models import GradingRecord, Regrade, RegradeBatch
from stride.submissions.models import Submission
from tests.api.conftest import grading_queue  # noqa: F401 - the broker's grading queue, read directly
from tests.web.conftest import Visitor
from tests.web.teach_support import (  # noqa: F401 - fixtures
    _no_rate_limit,
    assert_login_redirect,
    conv2d,
    conv2d_item,
    graded,
    instructor,
    result,
    row,
    strict_client,
    ta,
    text,
    visitor,
)

INDEX = "/teach/spring/regrade/"
START = "/teach/spring/regrade/start"


@pytest.fixture
def work(offering, conv2d_item, student: Visitor, other_student: Visitor, graded):
    """Ada's submission graded at 50 % by version v1, Grace's at 100 % by the current version; then v1 is old."""
    conv2d = conv2d_item.exercise
    old = graded(student.user, conv2d_item, 0.5, version="v1")
    current = graded(other_student.user, conv2d_item, 1.0, version=conv2d.version)
    return old, current


def start(visitor: Visitor, capture, **data):
    with capture(execute=True):
        return visitor.client.post(START, {"exercise": "conv2d", **data})


def deliver(batch: RegradeBatch, scores: dict[int, float]) -> None:
    """The grading worker's answers for the batch's regrades, as the results worker records them."""
    for regrade in Regrade.objects.filter(batch=batch):
        token = str(regrade.grading_token)
        assert Submission.mark_started(regrade.submission_id, token)
        assert Submission.record_result(regrade.submission_id, token, result(scores[regrade.submission_id], "v2"))


def test_it_lists_the_exercises_with_what_could_be_regraded(work, instructor: Visitor) -> None:
    html = instructor.client.get(INDEX).content
    cells = row(html, "data-exercise", "conv2d")
    assert " 2 1 " in f" {cells} "  # two finished submissions, one graded by an older version
    chosen = instructor.client.get(INDEX + "?exercise=conv2d").content
    old, current = work
    assert "outdated" in row(chosen, "data-submission", str(old.pk))
    assert "outdated" not in row(chosen, "data-submission", str(current.pk))
    assert "50%" in row(chosen, "data-submission", str(old.pk))
    assert instructor.client.get(INDEX + "?exercise=relu").status_code == 404


def test_regrading_all_goes_through_the_queue_and_changes_nothing_until_confirmed(
    offering, work, instructor: Visitor, grading_queue, django_capture_on_commit_callbacks
) -> None:
    old, current = work
    response = start(instructor, django_capture_on_commit_callbacks, scope="all")
    batch = RegradeBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/teach/spring/regrade/{batch.pk}/"
    sent = grading_queue.drain()
    assert sorted(m["args"][0] for m in sent) == sorted([old.pk, current.pk])
    assert all(m["task"] == "stride.grade" for m in sent)

    waiting = instructor.client.get(response["Location"]).content.decode()
    assert 'http-equiv="refresh"' in waiting and "0 / 2 graded again" in waiting
    assert 'data-regrade-finished="false"' in waiting and "disabled" in waiting

    deliver(batch, {old.pk: 0.75, current.pk: 1.0})
    page = instructor.client.get(response["Location"]).content.decode()
    assert 'http-equiv="refresh"' not in page and "2 / 2 graded again" in page
    assert "1 of 2 scores would change." in text(page)
    diff = row(page, "data-submission", str(old.pk))
    assert "50%" in diff and "75%" in diff and "+25 points of 100" in diff
    assert "same" in row(page, "data-submission", str(current.pk))
    points = conv2d_item_points(offering)
    assert [r.total for r in compute_gradebook(offering).rows] == [0.5 * points, points]  # not yet

    confirmed = instructor.client.post(f"/teach/spring/regrade/{batch.pk}/confirm", follow=True)
    assert "Confirmed: 2 result(s) replaced, 1 with a new score" in text(confirmed.content)
    assert [r.total for r in compute_gradebook(offering).rows] == [0.75 * points, points]
    after = instructor.client.get(f"/teach/spring/regrade/{batch.pk}/").content.decode()
    assert "Confirmed" in after and "50%" in row(after, "data-submission", str(old.pk))  # the old score stays shown
    assert GradingRecord.objects.get(submission=old).score == 0.5
    listed = row(instructor.client.get(INDEX).content, "data-batch", str(batch.pk))
    assert listed.endswith("confirmed 2 / 2 1")  # done, and one score changed: as the batch's own page says


def test_a_regrade_waiting_for_a_grader_that_is_not_running_says_so(
    work, instructor: Visitor, django_capture_on_commit_callbacks
) -> None:
    start(instructor, django_capture_on_commit_callbacks, scope="all")
    url = f"/teach/spring/regrade/{RegradeBatch.objects.get().pk}/"
    WorkerHeartbeat.beat("results@host", "results")  # only the grading worker is missing
    page = instructor.client.get(url).content.decode()
    assert 'data-workers-down="grader"' in page and "nothing is grading these submissions now" in text(page)
    WorkerHeartbeat.beat("grader@host", "grader")
    page = instructor.client.get(url).content.decode()
    assert "data-workers-down" not in page and "Waiting for the grader" in page


def conv2d_item_points(offering) -> float:
    return offering.items.get().possible_points()


def test_the_history_of_a_submission_keeps_every_result(work, instructor: Visitor, django_capture_on_commit_callbacks):
    old, _ = work
    start(instructor, django_capture_on_commit_callbacks, scope="all")
    batch = RegradeBatch.objects.get()
    deliver(batch, {old.pk: 0.75, work[1].pk: 1.0})
    instructor.client.post(f"/teach/spring/regrade/{batch.pk}/confirm")
    html = instructor.client.get(f"/teach/spring/submissions/{old.pk}/history").content.decode()
    earlier = html.index(">earlier<")
    current = html.index(">current<")
    assert earlier < current
    assert "50%" in html[earlier:current] and "75%" in html[current:]
    assert f"Regrade #{batch.pk}" in html


def test_regrading_only_the_outdated_or_the_selected_ones(
    work, instructor: Visitor, django_capture_on_commit_callbacks
):
    old, current = work
    start(instructor, django_capture_on_commit_callbacks, scope="outdated")
    assert list(Regrade.objects.values_list("submission", flat=True)) == [old.pk]
    RegradeBatch.objects.update(state="cancelled")
    start(instructor, django_capture_on_commit_callbacks, scope="selected", submission=[str(current.pk)])
    newest = RegradeBatch.objects.filter(state="open").get()
    assert list(Regrade.objects.filter(batch=newest).values_list("submission", flat=True)) == [current.pk]


def test_a_selection_must_name_submissions_of_this_exercise(work, instructor: Visitor, student: Visitor, graded):
    relu = Exercise.objects.get(slug="relu")
    elsewhere = Submission.objects.create(user=student.user, exercise=relu, exercise_version="v", code="x")
    nothing = instructor.client.post(START, {"exercise": "conv2d", "scope": "selected"}, follow=True)
    assert "Select the submissions to regrade first." in text(nothing.content)
    stray = instructor.client.post(
        START, {"exercise": "conv2d", "scope": "selected", "submission": [str(elsewhere.pk)]}, follow=True
    )
    assert f"Not finished submissions to conv2d in spring: {elsewhere.pk}." in text(stray.content)
    assert (
        instructor.client.post(START, {"exercise": "conv2d", "scope": "selected", "submission": "1x"}).status_code
        == 400
    )
    superscript = {"exercise": "conv2d", "scope": "selected", "submission": "²"}  # a digit to isdigit(), not to int()
    assert instructor.client.post(START, superscript).status_code == 400
    assert instructor.client.post(START, {"exercise": "conv2d", "scope": "some"}).status_code == 400
    assert instructor.client.post(START, {"exercise": "relu", "scope": "all"}).status_code == 400
    assert not RegradeBatch.objects.exists()


def test_confirming_early_is_refused_and_cancelling_keeps_every_result(
    offering, work, instructor: Visitor, django_capture_on_commit_callbacks
) -> None:
    old, current = work
    start(instructor, django_capture_on_commit_callbacks, scope="all")
    batch = RegradeBatch.objects.get()
    early = instructor.client.post(f"/teach/spring/regrade/{batch.pk}/confirm", follow=True)
    assert "2 regrade(s) are still being graded" in text(early.content)
    assert RegradeBatch.objects.get().state == "open"
    cancelled = instructor.client.post(f"/teach/spring/regrade/{batch.pk}/cancel", follow=True)
    assert "Cancelled: every submission keeps the result it had." in text(cancelled.content)
    deliver_late = Regrade.objects.filter(batch=batch).first()
    assert not Submission.record_result(deliver_late.submission_id, str(deliver_late.grading_token), result(0.0))
    again = instructor.client.post(f"/teach/spring/regrade/{batch.pk}/confirm", follow=True)
    assert "This regrade was cancelled." in text(again.content)
    assert Submission.objects.get(pk=old.pk).score == 0.5 and not GradingRecord.objects.exists()


def test_tas_watch_regrades_but_only_instructors_start_confirm_or_cancel(
    work, instructor: Visitor, ta: Visitor, django_capture_on_commit_callbacks
) -> None:
    assert ta.client.get(INDEX + "?exercise=conv2d").status_code == 200
    assert b"Regrade all" not in ta.client.get(INDEX + "?exercise=conv2d").content
    assert start(ta, django_capture_on_commit_callbacks, scope="all").status_code == 403
    start(instructor, django_capture_on_commit_callbacks, scope="all")
    batch = RegradeBatch.objects.get()
    assert ta.client.get(f"/teach/spring/regrade/{batch.pk}/").status_code == 200
    assert ta.client.post(f"/teach/spring/regrade/{batch.pk}/confirm").status_code == 403
    assert ta.client.post(f"/teach/spring/regrade/{batch.pk}/cancel").status_code == 403
    assert ta.client.get(f"/teach/spring/submissions/{work[0].pk}/history").status_code == 200
    assert RegradeBatch.objects.get().state == "open"


def test_students_and_anonymous_visitors_are_kept_out(work, student: Visitor, anonymous: Visitor) -> None:
    old, _ = work
    for url in (INDEX, f"/teach/spring/submissions/{old.pk}/history"):
        assert student.client.get(url).status_code == 403
        assert_login_redirect(anonymous.client.get(url), url)
    assert student.client.post(START, {"exercise": "conv2d", "scope": "all"}).status_code == 403
    assert_login_redirect(anonymous.client.post(START, {"exercise": "conv2d", "scope": "all"}), START)
    assert not RegradeBatch.objects.exists()


def test_regrade_actions_need_post_and_the_csrf_token(work, instructor: Visitor, django_capture_on_commit_callbacks):
    assert instructor.client.get(START).status_code == 405
    assert strict_client(instructor.user).post(START, {"exercise": "conv2d", "scope": "all"}).status_code == 403
    start(instructor, django_capture_on_commit_callbacks, scope="all")
    batch = RegradeBatch.objects.get()
    assert instructor.client.get(f"/teach/spring/regrade/{batch.pk}/confirm").status_code == 405
    assert strict_client(instructor.user).post(f"/teach/spring/regrade/{batch.pk}/cancel").status_code == 403
    assert RegradeBatch.objects.get().state == "open"
    assert instructor.client.get("/teach/spring/regrade/999999/").status_code == 404


def test_a_submission_of_another_offering_has_no_history_here(work, instructor: Visitor) -> None:
    stranger = visitor("stranger")
    loose = Submission.objects.create(
        user=stranger.user, exercise=work[0].exercise, exercise_version="v", code="x", status="graded", score=1.0
    )
    assert instructor.client.get(f"/teach/spring/submissions/{loose.pk}/history").status_code == 404

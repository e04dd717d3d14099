"""Regrading: through the normal queue, results held until confirmed, history kept, never done twice."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from stride.api.views import ApiError
from stride.exercises.models import Exercise
from stride.gradebook import regrade
from stride.gradebook.grades import compute_gradebook
from stride.gradebook.models import GradingRecord, Regrade, RegradeBatch
from stride.offerings.models import Enrollment, Offering
from stride.submissions import tasks
from stride.submissions.models import GRADE_TASK, Submission
from tests.gradebook.conftest import result

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(make_item):
    return make_item()


@pytest.fixture
def teacher(make_user, offering):
    return make_user("teacher", offering, Enrollment.Role.INSTRUCTOR)


@pytest.fixture
def work(offering, item, make_user, submit):
    """Two students' graded submissions (scores 0.5 and 1.0), then the package changes."""
    ada, alan = make_user("ada", offering), make_user("alan", offering)
    at = timezone.now() - timedelta(hours=2)
    done = [submit(ada, item, at, 0.5), submit(alan, item, at, 1.0)]
    Exercise.objects.filter(pk=item.exercise_id).update(version="new-version-0001")
    item.exercise.refresh_from_db()
    return done


def start(offering, exercise, capture, **options) -> RegradeBatch:
    with capture(execute=True):
        return regrade.start(offering, exercise, **options)


def deliver(regrade_row: Regrade, score: float) -> bool:
    """The grading worker's answers, as the results worker records them."""
    token = str(regrade_row.grading_token)
    tasks.grading_started(regrade_row.submission_id, token)
    before = Submission.objects.filter(pk=regrade_row.submission_id).values_list("score", flat=True).get()
    recorded = Submission.record_result(regrade_row.submission_id, token, {**result(score), "version": "new-version"})
    assert Submission.objects.get(pk=regrade_row.submission_id).score == before  # nothing visible changes
    return recorded


def test_it_sends_each_submission_through_the_grading_queue_with_a_token_of_its_own(
    offering, item, work, teacher, grading_queue, django_capture_on_commit_callbacks
) -> None:
    batch = start(offering, item.exercise, django_capture_on_commit_callbacks, by=teacher)
    sent = grading_queue.drain()
    rows = {r.submission_id: r for r in Regrade.objects.filter(batch=batch)}
    assert sorted(m["args"][0] for m in sent) == sorted(s.pk for s in work)
    for message in sent:
        pk, slug, code, token = message["args"]
        assert message["task"] == GRADE_TASK and slug == "conv2d" and code == "def conv2d(): ..."
        assert token == str(rows[pk].grading_token) != str(Submission.objects.get(pk=pk).grading_token)
    assert (batch.version, batch.created_by, batch.state) == ("new-version-0001", teacher, "open")


def test_starting_it_again_does_no_work_twice(offering, item, work, grading_queue, django_capture_on_commit_callbacks):
    first = start(offering, item.exercise, django_capture_on_commit_callbacks)
    again = start(offering, item.exercise, django_capture_on_commit_callbacks)
    assert again == first and Regrade.objects.count() == 2
    assert len(grading_queue.drain()) == 2


def test_results_wait_until_confirmed_and_the_old_ones_are_kept(
    offering, item, work, teacher, django_capture_on_commit_callbacks
) -> None:
    batch = start(offering, item.exercise, django_capture_on_commit_callbacks)
    first, second = Regrade.objects.filter(batch=batch).order_by("submission_id")
    assert deliver(first, 0.75) and deliver(second, 1.0)
    assert not deliver(first, 0.25)  # a redelivered grading is recorded once
    assert Regrade.objects.get(pk=first.pk).score == 0.75
    assert regrade.progress(batch) == regrade.Progress(total=2, queued=0, running=0, graded=2, error=0, changed=1)
    before = compute_gradebook(offering)
    assert [r.total for r in before.rows] == [10.0, 20.0]

    outcome = regrade.confirm(batch, by=teacher)
    assert outcome == regrade.Outcome(applied=2, changed=1, kept=0)
    ada_submission = Submission.objects.get(pk=first.submission_id)
    assert (ada_submission.score, ada_submission.graded_version) == (0.75, "new-version")
    assert str(ada_submission.grading_token) == str(first.grading_token)
    assert [r.total for r in compute_gradebook(offering).rows] == [15.0, 20.0]
    old = GradingRecord.objects.get(submission=ada_submission)
    assert (old.score, old.graded_version, old.replaced_by) == (0.5, "0123456789abcdef", batch)
    history = regrade.history(ada_submission)
    assert [(h["score"], h["current"]) for h in history] == [(0.5, False), (0.75, True)]
    # Once confirmed, what changed is still told against the scores the confirmation replaced.
    assert regrade.progress(batch) == regrade.Progress(total=2, queued=0, running=0, graded=2, error=0, changed=1)
    assert regrade.confirm(batch, by=teacher) == regrade.Outcome(0, 0, 0)  # confirming twice changes nothing
    assert GradingRecord.objects.count() == 2
    assert RegradeBatch.objects.get().decided_by == teacher


def test_it_cannot_be_confirmed_while_gradings_are_in_flight(offering, item, work, django_capture_on_commit_callbacks):
    batch = start(offering, item.exercise, django_capture_on_commit_callbacks)
    first = Regrade.objects.filter(batch=batch).first()
    deliver(first, 1.0)
    with pytest.raises(ApiError) as caught:
        regrade.confirm(batch)
    assert (caught.value.status, "1 regrade(s) are still being graded") == (409, caught.value.detail.split(";")[0])
    assert regrade.progress(batch).percent == 50


def test_a_failed_regrade_or_a_submission_changed_meanwhile_keeps_its_result(
    offering, item, work, django_capture_on_commit_callbacks
) -> None:
    batch = start(offering, item.exercise, django_capture_on_commit_callbacks)
    first, second = Regrade.objects.filter(batch=batch).order_by("submission_id")
    Submission.record_result(first.submission_id, str(first.grading_token), {"verdict": "package_error", "tests": []})
    deliver(second, 0.0)
    Submission.objects.filter(pk=second.submission_id).update(grading_token=first.previous_token)  # regraded elsewhere
    assert regrade.confirm(batch) == regrade.Outcome(applied=0, changed=0, kept=2)
    assert sorted(Submission.objects.values_list("score", flat=True)) == [0.5, 1.0]
    assert not GradingRecord.objects.exists()


def test_a_cancelled_regrade_ignores_late_results_and_cannot_be_confirmed(
    offering, item, work, django_capture_on_commit_callbacks
) -> None:
    batch = start(offering, item.exercise, django_capture_on_commit_callbacks)
    assert regrade.cancel(batch) and not regrade.cancel(batch)
    first = Regrade.objects.filter(batch=batch).first()
    assert not Submission.record_result(first.submission_id, str(first.grading_token), result(0.0))
    assert Regrade.objects.get(pk=first.pk).status == "queued"
    with pytest.raises(ApiError):
        regrade.confirm(batch)
    fresh = start(offering, item.exercise, django_capture_on_commit_callbacks)  # a new one may start
    assert fresh != batch and fresh.state == "open"


def test_selected_submissions_only_and_unknown_ones_refused(
    offering, item, work, make_user, submit, django_capture_on_commit_callbacks
) -> None:
    batch = start(offering, item.exercise, django_capture_on_commit_callbacks, submission_ids=[work[0].pk])
    assert list(Regrade.objects.filter(batch=batch).values_list("submission", flat=True)) == [work[0].pk]
    start(offering, item.exercise, django_capture_on_commit_callbacks, submission_ids=[work[1].pk])  # added
    assert Regrade.objects.filter(batch=batch).count() == 2
    outsider = Submission.objects.create(user=make_user("x"), exercise=item.exercise, code="", exercise_version="v")
    queued = submit(make_user("late", offering), item, timezone.now(), None, status="queued")
    for wrong in (outsider.pk, queued.pk, 10**12):
        with pytest.raises(ApiError) as caught:
            start(offering, item.exercise, django_capture_on_commit_callbacks, submission_ids=[wrong])
        assert caught.value.status == 400 and str(wrong) in caught.value.detail


def test_only_outdated_results_are_regraded_when_asked(offering, item, work, django_capture_on_commit_callbacks):
    Submission.objects.filter(pk=work[1].pk).update(graded_version="new-version-0001")
    batch = start(offering, item.exercise, django_capture_on_commit_callbacks, outdated_only=True)
    assert list(Regrade.objects.filter(batch=batch).values_list("submission", flat=True)) == [work[0].pk]


def test_an_open_regrade_against_an_older_version_must_be_finished_first(
    offering, item, work, django_capture_on_commit_callbacks
) -> None:
    start(offering, item.exercise, django_capture_on_commit_callbacks)
    Exercise.objects.filter(pk=item.exercise_id).update(version="newer-still")
    item.exercise.refresh_from_db()
    with pytest.raises(ApiError) as caught:
        start(offering, item.exercise, django_capture_on_commit_callbacks)
    assert caught.value.status == 409 and "new-version-0001" in caught.value.detail


def test_nothing_to_regrade_is_said_so(offering, item, exercise, django_capture_on_commit_callbacks) -> None:
    with pytest.raises(ApiError) as caught:
        start(offering, exercise, django_capture_on_commit_callbacks)
    assert caught.value.status == 409 and not RegradeBatch.objects.exists()
    other = Offering.objects.create(slug="other", title="Other")
    with pytest.raises(ApiError) as caught:
        start(other, exercise, django_capture_on_commit_callbacks)
    assert caught.value.status == 404


def test_the_sweeper_resends_stuck_regrades_and_gives_up_after_the_last_delivery(
    offering, item, work, grading_queue, django_capture_on_commit_callbacks
) -> None:
    batch = start(offering, item.exercise, django_capture_on_commit_callbacks)
    grading_queue.drain()
    first, second = Regrade.objects.filter(batch=batch).order_by("submission_id")
    Regrade.objects.filter(pk=first.pk).update(queued_at=timezone.now() - timedelta(hours=1))
    Regrade.objects.filter(pk=second.pk).update(queued_at=timezone.now() - timedelta(hours=1), deliveries=5)
    report = regrade.requeue_stuck(older_than=timedelta(minutes=5), max_deliveries=5)
    assert report == {"regrades_requeued": 1, "regrades_abandoned": 1}
    assert [m["args"][3] for m in grading_queue.drain()] == [str(first.grading_token)]
    assert Regrade.objects.get(pk=second.pk).verdict == "grader_error"
    assert regrade.requeue_stuck(older_than=timedelta(minutes=5), max_deliveries=5) == {
        "regrades_requeued": 0, "regrades_abandoned": 0
    }  # fmt: skip


def test_the_sweep_task_resends_stuck_submissions_and_regrades_alike(
    offering, item, work, make_user, submit, settings, grading_queue, django_capture_on_commit_callbacks
) -> None:
    batch = start(offering, item.exercise, django_capture_on_commit_callbacks)
    grading_queue.drain()
    hour_ago = timezone.now() - timedelta(hours=1)
    stuck = submit(make_user("grace", offering), item, hour_ago, status="queued")
    given_up = submit(make_user("linus", offering), item, hour_ago, status="running")
    Submission.objects.filter(pk=given_up.pk).update(deliveries=settings.STRIDE_MAX_DELIVERIES)
    Regrade.objects.filter(batch=batch).update(queued_at=hour_ago)
    assert tasks.sweep() == {"requeued": 1, "abandoned": 1}
    regrade_tokens = [str(t) for t in Regrade.objects.filter(batch=batch).values_list("grading_token", flat=True)]
    assert sorted(m["args"][3] for m in grading_queue.drain()) == sorted([str(stuck.grading_token), *regrade_tokens])
    stuck.refresh_from_db()
    assert (stuck.status, stuck.deliveries) == ("queued", 1) and stuck.queued_at > hour_ago
    given_up.refresh_from_db()
    assert (given_up.status, given_up.verdict, given_up.result["message"]) == (
        "error", "grader_error", "the grader did not answer"
    )  # fmt: skip
    assert tasks.sweep() == {"requeued": 0, "abandoned": 0} and not grading_queue.drain()

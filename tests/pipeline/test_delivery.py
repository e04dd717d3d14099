"""Delivery: results recorded once whatever reaches the results worker, gradings sent only after commit.

The results worker is real and receives its tasks through the (private) Redis; this test
process plays the grading worker by sending the messages a grading worker sends.
"""

from __future__ import annotations

import uuid

import pytest
from django.db import transaction
from django.forms.models import model_to_dict

from stride.submissions.models import Submission, create_submission
from tests.pipeline.conftest import GRADING_QUEUE, RESULTS_QUEUE, solution

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def a_result(exercise, score: float, seed: int) -> dict:
    """A grading result as the grader shapes it (only what recording reads matters here)."""
    points = round(score * exercise.max_points, 6)
    return {
        "exercise": exercise.slug,
        "version": exercise.version,
        "seed": seed,
        "verdict": "passed" if score == 1.0 else "failed",
        "score": score,
        "points": points,
        "max_points": exercise.max_points,
        "tests": [],
        "stdout": "",
        "duration_ms": 12,
    }


def snapshot(pk: int) -> dict:
    row = Submission.objects.get(pk=pk)
    return {**model_to_dict(row), "started_at": row.started_at, "finished_at": row.finished_at}


def test_it_records_a_result_once_however_often_and_late_it_arrives(stack, conv2d, student) -> None:
    from stride.celery import app

    results = stack.results()
    stack.wait_ready()
    graded = create_submission(student, conv2d, solution("good_vectorized.py"))
    queued = create_submission(student, conv2d, solution("bad_flipped_kernel.py"))
    token = str(graded.grading_token)

    def send(task: str, *args) -> str:
        return app.send_task(task, args=list(args)).id  # routed to the results queue by the settings

    def wait_done(task_ids: list[str]) -> None:
        for task_id in task_ids:
            results.wait_log(f"[{task_id}] succeeded", timeout=20)

    first = a_result(conv2d, 1.0, seed=11)
    wait_done([send("stride.grading_started", graded.pk, token), send("stride.record_result", graded.pk, token, first)])
    before = snapshot(graded.pk)
    assert (before["status"], before["score"], before["result"]) == ("graded", 1.0, first)
    assert before["finished_at"] is not None and before["started_at"] is not None
    queued_before = snapshot(queued.pk)

    late = a_result(conv2d, 0.25, seed=22)
    ignored = [
        send("stride.record_result", graded.pk, token, first),  # the same result delivered again
        send("stride.record_result", graded.pk, token, late),  # another grading's result, same token
        send("stride.record_result", graded.pk, str(uuid.uuid4()), late),  # a superseded grading's token
        send("stride.record_result", queued.pk, str(uuid.uuid4()), late),  # stale token, submission in flight
    ]
    wait_done([*ignored, send("stride.grading_started", graded.pk, token)])  # and a late "started"

    assert snapshot(graded.pk) == before
    assert snapshot(queued.pk) == queued_before
    assert len(stack.audit.recordings(graded.pk)) == 1, stack.audit.describe(graded.pk)
    assert stack.audit.changes_after_recording(graded.pk) == [], stack.audit.describe(graded.pk)
    assert stack.audit.recordings(queued.pk) == [], stack.audit.describe(queued.pk)
    assert results.log().count("ignored a duplicate or stale result") == len(ignored)
    assert stack.redis.queued(RESULTS_QUEUE) == []


class Rollback(Exception):
    pass


def test_it_sends_a_grading_only_after_the_transaction_commits(broker, conv2d, student) -> None:
    code = solution("good_vectorized.py")

    with pytest.raises(Rollback), transaction.atomic():
        create_submission(student, conv2d, code)
        assert broker.queued(GRADING_QUEUE) == []
        raise Rollback
    assert broker.queued(GRADING_QUEUE) == []
    assert not Submission.objects.exists()

    with transaction.atomic():
        submission = create_submission(student, conv2d, code)
        assert broker.queued(GRADING_QUEUE) == []  # stored but not committed: nothing sent yet
    (message,) = broker.queued(GRADING_QUEUE)
    assert message.task == "stride.grade"
    assert message.args == [submission.pk, "conv2d", code, str(submission.grading_token)]
    assert Submission.objects.get(pk=submission.pk).deliveries == 1

    # Outside any transaction the submission's own transaction is the one that commits.
    second = create_submission(student, conv2d, code)
    assert [m.args[0] for m in broker.queued(GRADING_QUEUE)] == [second.pk, submission.pk]  # LPUSH: newest first
    with broker.client() as client:
        assert client.llen(GRADING_QUEUE) == 2

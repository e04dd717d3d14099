"""Faults: a grading worker killed mid-grading, a Redis restart that loses the queue.

Each test says which mechanism brought the submission back, and checks that it was that
one: Redis re-delivering an unacknowledged message (``deliveries`` stays 1, and the same
Celery task id shows up in two workers' logs), or the sweeper sending the grading again
(``deliveries`` grows, and the results worker logs what the sweeper requeued). Either
way the result is recorded exactly once: a database trigger (the ``audit`` fixture)
writes down every update of the submission's row, whichever process made it.
"""

from __future__ import annotations

import re
import textwrap
import time

import pytest

from stride.submissions.models import Submission, create_submission
from tests.pipeline.conftest import GRADING_QUEUE, is_alive, slot_cgroups, solution, wait_for

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

# Seconds before Redis hands an unacknowledged message to another consumer. The grading
# worker reads STRIDE_BROKER_VISIBILITY_TIMEOUT itself, with no lower bound (Django's
# settings insist on 60 or more, but the grading worker never reads them).
VISIBILITY_TIMEOUT = 5
# The sweeper: a submission queued or running longer than this is sent again.
SWEEP_AFTER = 3

# A correct conv2d that takes its time: one second to import, 1.2 more in its first call,
# each under conv2d's 2-second limit, so a SIGKILL a moment after "running" lands inside it.
SLOW_CODE = solution("good_vectorized.py").replace("def conv2d(", "def _conv2d(") + textwrap.dedent(
    """

    import time as _time

    _time.sleep(1.0)
    _first_call = [True]


    def conv2d(*args, **kwargs):
        if _first_call:
            _first_call.clear()
            _time.sleep(1.2)
        return _conv2d(*args, **kwargs)
    """
)


def refreshed(submission: Submission) -> Submission:
    return Submission.objects.get(pk=submission.pk)


def test_it_grades_exactly_once_when_the_grading_worker_is_killed_mid_grading(stack, conv2d, student) -> None:
    first = stack.grader("grader-1", visibility_timeout=VISIBILITY_TIMEOUT)
    results = stack.results()
    stack.wait_ready()

    submission = create_submission(student, conv2d, SLOW_CODE)
    wait_for("the grading to start", lambda: refreshed(submission).status == "running", timeout=20, stack=stack)
    killed = first.kill()  # SIGKILL to the worker's process group: main process and pool process

    row = refreshed(submission)
    assert (row.status, row.result, row.finished_at) == ("running", None, None), "killed too late: already graded"
    # The sandbox (bubblewrap runs it in a session of its own) dies with the worker.
    wait_for("every process of the killed worker to be gone", lambda: not any(map(is_alive, killed)), timeout=10)

    # The grading is not lost: Redis holds it as delivered and not acknowledged (acks_late).
    unacked = [(task, at) for task, at in stack.redis.unacked() if task.task == "stride.grade"]
    assert [task.args[0] for task, _ in unacked] == [submission.pk], unacked
    (task, delivered_at), *_ = unacked
    assert f"stride.grade[{task.id}] received" in first.log()

    # A consumer restores messages older than the visibility timeout when it starts (and
    # every 100 s after): start the replacement once the timeout has passed, as a process
    # manager restarting a crashed worker would.
    time.sleep(max(0.0, delivered_at + VISIBILITY_TIMEOUT + 0.5 - time.time()))
    second = stack.grader("grader-2", visibility_timeout=VISIBILITY_TIMEOUT)
    stack.wait_ready(second)
    wait_for("the submission to be graded", lambda: refreshed(submission).finished_at, timeout=30, stack=stack)

    row = refreshed(submission)
    assert row.status == "graded" and row.verdict == "passed" and row.score == 1.0, row.result
    assert row.started_at is not None and row.started_at <= row.finished_at
    # Saved by Redis re-delivery of the very same message, not by the sweeper (none runs here).
    assert f"stride.grade[{task.id}] received" in second.log()
    assert row.deliveries == 1
    wait_for(
        "the re-delivered grading to be acknowledged",
        lambda: not [t for t, _ in stack.redis.unacked() if t.task == "stride.grade"],
        timeout=10,
    )
    # Recorded exactly once, and never touched again.
    assert len(stack.audit.recordings(row.pk)) == 1, stack.audit.describe(row.pk)
    time.sleep(1.0)
    assert stack.audit.changes_after_recording(row.pk) == [], stack.audit.describe(row.pk)
    assert refreshed(submission).finished_at == row.finished_at
    assert results.running()


SWEEP_REPORT = re.compile(r"sweeper: \{'requeued': (\d+), 'abandoned': (\d+)\}")


def test_it_grades_every_queued_submission_once_after_redis_restarts_empty(stack, conv2d, student) -> None:
    # The results worker runs throughout, as in production: it must reconnect by itself.
    results = stack.results(sweep_after=SWEEP_AFTER)
    stack.wait_ready()

    submissions = [create_submission(student, conv2d, solution("good_vectorized.py")) for _ in range(5)]
    assert sorted(task.args[0] for task in stack.redis.queued(GRADING_QUEUE)) == [s.pk for s in submissions]

    # Redis dies and comes back without persistence: the queued gradings are gone.
    stack.redis.kill()
    stack.redis.start()
    assert stack.redis.queued(GRADING_QUEUE) == []
    # The web tier's pooled broker connection died with Redis: the next submission reconnects.
    after = create_submission(student, conv2d, solution("good_vectorized.py"))
    assert [task.args[0] for task in stack.redis.queued(GRADING_QUEUE)] == [after.pk]

    grader = stack.grader()
    stack.wait_ready(grader)
    stack.beat(sweep_after=SWEEP_AFTER, sweep_interval=1)

    everything = [*submissions, after]

    def all_finished() -> bool:
        return not Submission.objects.filter(pk__in=[s.pk for s in everything], finished_at__isnull=True).exists()

    wait_for("all 6 submissions to be finished", all_finished, timeout=45, stack=stack)

    for submission in everything:
        row = refreshed(submission)
        assert row.status == "graded" and row.verdict == "passed" and row.score == 1.0, (row.pk, row.result)
        assert len(stack.audit.recordings(row.pk)) == 1, stack.audit.describe(row.pk)
    # The 5 lost ones were saved by the sweeper: it sent each grading again.
    assert all(refreshed(submission).deliveries >= 2 for submission in submissions)
    requeued = sum(int(n) for n, _ in SWEEP_REPORT.findall(results.log()))
    assert requeued >= len(submissions)
    time.sleep(1.0)
    for submission in everything:
        assert stack.audit.changes_after_recording(submission.pk) == [], stack.audit.describe(submission.pk)
    assert results.running()


def test_it_leaves_no_sandbox_cgroup_behind_a_killed_grading_worker(stack) -> None:
    first = stack.grader("grader-1")
    stack.wait_ready(first)
    wait_for("the first worker's sandbox", lambda: slot_cgroups(first.family()), timeout=20, stack=stack)
    killed = first.kill()
    wait_for("every process of the killed worker to be gone", lambda: not any(map(is_alive, killed)), timeout=10)

    # Its replacement takes a slot (the lowest free one: most likely the one just freed).
    second = stack.grader("grader-2")
    stack.wait_ready(second)
    wait_for("the second worker's sandbox", lambda: slot_cgroups(second.family()), timeout=20, stack=stack)
    assert slot_cgroups(killed) == []

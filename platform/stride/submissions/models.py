"""Submissions: who submitted what, and the lifecycle of its grading.

``status`` is the lifecycle (queued -> running -> graded | error) and ``verdict`` the
outcome. Every state move is a conditional update on the expected current state and
the current ``grading_token``, and proceeds only if exactly one row changed: a grading
delivered twice, or a late result of a superseded grading, changes nothing.
"""

from __future__ import annotations

import logging
import math
import uuid
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone

from stride.exercises.models import Exercise

logger = logging.getLogger(__name__)

GRADE_TASK = "stride.grade"
GRADING_QUEUE = "grading"


class Submission(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        GRADED = "graded"
        ERROR = "error"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="submissions")
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="submissions")
    exercise_version = models.CharField(max_length=32, help_text="package version when submitted")
    code = models.TextField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED, db_index=True)
    verdict = models.CharField(max_length=32, blank=True)
    score = models.FloatField(null=True, blank=True)
    points = models.FloatField(null=True, blank=True)
    max_points = models.FloatField(null=True, blank=True)
    result = models.JSONField(null=True, blank=True)
    graded_version = models.CharField(max_length=32, blank=True, help_text="package version that graded it")
    grading_token = models.UUIDField(default=uuid.uuid4, help_text="identifies the grading in flight")
    deliveries = models.PositiveIntegerField(default=0, help_text="times the grading was sent to the queue")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    queued_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "exercise", "-created_at"]),
            models.Index(fields=["user", "-created_at"], name="submission_rate_window"),
            models.Index(fields=["status", "queued_at"], condition=Q(status__in=["queued", "running"]),
                         name="submission_in_flight"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"submission {self.pk} by {self.user_id} for {self.exercise_id} ({self.status})"

    # -- lifecycle ---------------------------------------------------------------------

    def enqueue(self) -> None:
        """Send the grading to the queue once the surrounding transaction has committed."""
        pk, slug, code, token = self.pk, self.exercise.slug, self.code, str(self.grading_token)
        Submission.objects.filter(pk=pk).update(deliveries=F("deliveries") + 1)
        transaction.on_commit(lambda: send_after_commit(pk, slug, code, token))

    @classmethod
    def mark_started(cls, pk: int, token: str) -> bool:
        started = mark_running(cls.objects.filter(pk=pk, grading_token=token))
        return started or _regrade().record_started(pk, token)

    @classmethod
    def record_result(cls, pk: int, token: str, result: dict) -> bool:
        """Store a grading's result exactly once; False for a duplicate or stale delivery."""
        if store_result(cls.objects.filter(pk=pk, grading_token=token), result):
            return True
        # Not a grading of the submission itself in flight: perhaps a regrade's (its own token).
        return _regrade().record_result(pk, token, result)

    @classmethod
    def requeue_stuck(cls, older_than: timedelta, max_deliveries: int) -> dict[str, int]:
        """The sweeper: re-send gradings that have been in flight too long.

        A message can be lost (an embedded broker claims it before the worker dies, or a
        Redis without persistence restarts); the database still says queued or running,
        so the grading is sent again. Duplicates are harmless: results are recorded once.
        """
        stuck = cls.objects.filter(status__in=IN_FLIGHT, queued_at__lt=timezone.now() - older_than)
        requeued, abandoned = resend_stuck(
            stuck.select_related("exercise").only(
                "pk", "code", "grading_token", "deliveries", "status", "queued_at", "exercise__slug"
            ),
            max_deliveries,
            lambda submission: (submission.pk, submission.exercise.slug, submission.code),
        )
        return {"requeued": requeued, "abandoned": abandoned}

    # -- what a student may see -----------------------------------------------------------

    def feedback(self) -> dict:
        """The result without anything a student may not see (the seed of hidden tests)."""
        result = dict(self.result or {})
        result.pop("seed", None)
        return result


def _regrade():
    """The regrades' recorder: a regrade's grading comes back through these same messages.

    Imported when needed, as the gradebook app builds on this one.
    """
    from stride.gradebook import regrade

    return regrade


def result_fields(result: dict, now) -> dict:
    """The columns a grading's result sets, on a submission or on a regrade of one."""
    verdict = str(result.get("verdict", ""))[:32]
    failed = verdict in ("package_error", "grader_error")
    return {
        "status": Submission.Status.ERROR if failed else Submission.Status.GRADED,
        "verdict": verdict,
        "score": _number(result.get("score")),
        "points": _number(result.get("points")),
        "max_points": _number(result.get("max_points")),
        "result": result,
        "graded_version": str(result.get("version", ""))[:32],
        "finished_at": now,
    }


IN_FLIGHT = (Submission.Status.QUEUED, Submission.Status.RUNNING)


# The state moves below serve a submission's own grading and a regrade's (stride.gradebook.regrade)
# alike: both rows carry status, grading_token, deliveries and the timestamps, with the same values.
# ``grading`` is a queryset that picks the one row of a grading (by its token); each move is a
# conditional update on the expected state, so a repeated or stale message changes nothing.


def mark_running(grading: models.QuerySet) -> bool:
    """The grading worker started: queued -> running (False: not queued, or no such grading)."""
    return bool(
        grading.filter(status=Submission.Status.QUEUED).update(
            status=Submission.Status.RUNNING, started_at=timezone.now()
        )
    )


def store_result(grading: models.QuerySet, result: dict) -> bool:
    """Store the result of a grading in flight, once (False: a duplicate, stale or unknown delivery)."""
    now = timezone.now()
    if not grading.filter(status__in=IN_FLIGHT).update(**result_fields(result, now)):
        return False
    # A result can overtake its own "started" message; keep the timeline sane.
    grading.filter(started_at__isnull=True).update(started_at=now)
    return True


def resend_stuck(
    stuck: Iterable[models.Model], max_deliveries: int, message: Callable[[Any], tuple[int, str, str]]
) -> tuple[int, int]:
    """Re-send each stuck grading, or give it up once ``max_deliveries`` were sent: (requeued, abandoned).

    ``stuck`` holds the rows in flight too long; ``message(row)`` gives the (submission id, exercise
    slug, code) to grade, sent with the row's own token. Each move is conditional on the row being
    as it was read, so two sweepers never send one grading twice.
    """
    requeued = abandoned = 0
    for row in stuck:
        same = type(row).objects.filter(pk=row.pk, status=row.status, queued_at=row.queued_at)
        if row.deliveries >= max_deliveries:
            abandoned += same.update(
                status=Submission.Status.ERROR,
                verdict="grader_error",
                result={"verdict": "grader_error", "message": "the grader did not answer", "tests": []},
                finished_at=timezone.now(),
            )
        elif same.update(status=Submission.Status.QUEUED, queued_at=timezone.now(), deliveries=F("deliveries") + 1):
            send_grading(*message(row), str(row.grading_token))
            requeued += 1
    return requeued, abandoned


def _number(value) -> float | None:
    """A finite number from the result, else None (NaN would make the API's JSON invalid)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return float(value)


def send_grading(pk: int, slug: str, code: str, token: str) -> None:
    from stride.celery import app

    app.send_task(GRADE_TASK, args=[pk, slug, code, token], queue=GRADING_QUEUE)


def send_after_commit(pk: int, slug: str, code: str, token: str) -> None:
    """Send a grading; a broker that is down must not fail the caller after its commit.

    The row says queued, so the sweeper sends the grading again later.
    """
    try:
        send_grading(pk, slug, code, token)
    except Exception:
        logger.exception("submission %s stored but not sent to the broker; the sweeper will send it", pk)


def create_submission(user, exercise: Exercise, code: str) -> Submission:
    """Store a submission and queue its grading after the transaction commits."""
    with transaction.atomic():
        submission = Submission.objects.create(
            user=user, exercise=exercise, exercise_version=exercise.version, code=code, deliveries=0
        )
        submission.enqueue()
    return submission

"""Regrading: grade finished submissions again after an exercise package changed.

The work goes through the normal pipeline. Each submission in a batch gets a
:class:`~stride.gradebook.models.Regrade` with a grading token of its own, and the grading
is sent like any other (``stride.grade`` with the submission's id, code and that token,
from ``transaction.on_commit``). The grading worker answers with the token; when
:meth:`Submission.mark_started` and :meth:`Submission.record_result` find no grading of the
submission itself with that token, they hand the message to :func:`record_started` and
:func:`record_result` here, which store it in the regrade row with the same conditional
update the submissions use: a redelivered grading is recorded once, a grading of a
cancelled batch not at all.

Nothing a student or the gradebook sees changes until an instructor calls :func:`confirm`:
then each regraded result replaces its submission's, whose old result is kept as a
:class:`~stride.gradebook.models.GradingRecord`.

Starting a regrade while one is open for the same offering and exercise adds only the
submissions not yet in it (one open batch per offering and exercise, by a unique
constraint and a lock), so starting it twice never doubles the work.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone

from stride.api.views import ApiError
from stride.exercises.models import Exercise
from stride.gradebook.models import GradingRecord, Regrade, RegradeBatch
from stride.offerings.models import ExerciseAttempt, GradedItem, Offering
from stride.submissions.models import Submission, mark_running, resend_stuck, send_after_commit, store_result

logger = logging.getLogger(__name__)

FINISHED = (Submission.Status.GRADED, Submission.Status.ERROR)
IN_FLIGHT = (Regrade.Status.QUEUED, Regrade.Status.RUNNING)
MAX_SELECTED = 10_000


@dataclass(frozen=True)
class Progress:
    total: int
    queued: int
    running: int
    graded: int
    error: int
    changed: int  # graded with another score than the submission has now

    @property
    def done(self) -> int:
        return self.graded + self.error

    @property
    def finished(self) -> bool:
        return self.done == self.total

    @property
    def percent(self) -> int:
        return 100 if not self.total else int(100 * self.done / self.total)


@dataclass(frozen=True)
class Outcome:
    applied: int  # results that replaced the submission's
    changed: int  # of those, with another score
    kept: int  # regrades not applied: the grader failed, or the submission changed meanwhile


def scope(offering: Offering, exercise: Exercise):
    """Submissions a regrade of ``exercise`` in ``offering`` may take: finished attempts at its item."""
    attempts = ExerciseAttempt.objects.filter(item__offering=offering, item__exercise=exercise)
    return Submission.objects.filter(pk__in=attempts.values("submission"), status__in=FINISHED)


def start(
    offering: Offering,
    exercise: Exercise,
    *,
    by=None,
    submission_ids: list[int] | None = None,
    outdated_only: bool = False,
) -> RegradeBatch:
    """Regrade the offering's finished submissions to ``exercise`` (all, or ``submission_ids``).

    ``outdated_only`` leaves out submissions already graded by the current package version.
    Returns the open batch (new, or the one already open, with only the missing submissions
    added). Raises ApiError: 404 when the offering does not grade the exercise, 400 for ids
    that are not such submissions, 409 when an open batch grades against another version.
    """
    if not GradedItem.objects.filter(offering=offering, exercise=exercise).exists():
        raise ApiError(404, "not_found", f"{offering.slug} does not grade the exercise {exercise.slug}")
    with transaction.atomic():
        # One starter at a time per exercise: the check for an open batch and its creation cannot interleave.
        exercise = Exercise.objects.select_for_update().get(pk=exercise.pk)
        chosen = scope(offering, exercise)
        if submission_ids is not None:
            wanted = {int(i) for i in submission_ids[: MAX_SELECTED + 1]}
            if len(wanted) > MAX_SELECTED:
                raise ApiError(400, "invalid_field", f"at most {MAX_SELECTED} submissions at once")
            chosen = chosen.filter(pk__in=wanted)
            unknown = sorted(wanted - set(chosen.values_list("pk", flat=True)))
            if unknown:
                listed = ", ".join(map(str, unknown[:10])) + (" ..." if len(unknown) > 10 else "")
                raise ApiError(
                    400, "invalid_field", f"not finished submissions to {exercise.slug} in {offering.slug}: {listed}"
                )
        if outdated_only:
            chosen = chosen.exclude(graded_version=exercise.version)
        batch = RegradeBatch.objects.filter(offering=offering, exercise=exercise, state=RegradeBatch.State.OPEN).first()
        if batch is not None and batch.version != exercise.version:
            raise ApiError(
                409,
                "conflict",
                f"a regrade against version {batch.version} is still open: confirm or cancel it first",
            )
        if batch is not None:
            chosen = chosen.exclude(pk__in=Regrade.objects.filter(batch=batch).values("submission"))
        todo = list(chosen.only("pk", "code", "grading_token").order_by("pk"))
        if batch is None:
            if not todo:
                raise ApiError(409, "conflict", f"no finished submissions to {exercise.slug} to regrade")
            batch = RegradeBatch.objects.create(
                offering=offering, exercise=exercise, version=exercise.version, created_by=by
            )
        for submission in todo:
            _send(batch, submission, exercise.slug)
    return batch


def _send(batch: RegradeBatch, submission: Submission, slug: str) -> None:
    try:
        with transaction.atomic():
            regrade = Regrade.objects.create(
                batch=batch, submission=submission, previous_token=submission.grading_token, deliveries=1
            )
    except IntegrityError:  # already in the batch
        return
    pk, code, token = submission.pk, submission.code, str(regrade.grading_token)
    transaction.on_commit(lambda: send_after_commit(pk, slug, code, token))


def progress(batch: RegradeBatch) -> Progress:
    """How far the batch got (one query).

    ``changed`` compares a regrade with the score its submission has, or, once confirmed, with the
    score the confirmation replaced (by then the submission has the regrade's own score).
    """
    replaced_alike = GradingRecord.objects.filter(
        submission=OuterRef("submission"), replaced_by=OuterRef("batch"), score=OuterRef("score")
    )
    counts = Regrade.objects.filter(batch=batch).aggregate(
        total=Count("pk"),
        queued=Count("pk", filter=Q(status=Regrade.Status.QUEUED)),
        running=Count("pk", filter=Q(status=Regrade.Status.RUNNING)),
        graded=Count("pk", filter=Q(status=Regrade.Status.GRADED)),
        error=Count("pk", filter=Q(status=Regrade.Status.ERROR)),
        changed=Count(
            "pk",
            filter=Q(status=Regrade.Status.GRADED)
            & (
                Q(applied_at__isnull=True) & (~Q(score=F("submission__score")) | Q(submission__score__isnull=True))
                | Q(applied_at__isnull=False) & ~Exists(replaced_alike)
            ),
        ),
    )
    return Progress(**counts)


def open_batches(offering: Offering):
    return RegradeBatch.objects.filter(offering=offering, state=RegradeBatch.State.OPEN).select_related("exercise")


# -- results, from the results worker -------------------------------------------------------------


def _grading(submission_id: int, token: str):
    """The regrade a grading worker's message is about, while its batch is open."""
    return Regrade.objects.filter(
        submission_id=submission_id, grading_token=token, batch__state=RegradeBatch.State.OPEN
    )


def record_started(submission_id: int, token: str) -> bool:
    """A grading worker started a regrade (False: not a regrade in flight, or a duplicate)."""
    return mark_running(_grading(submission_id, token))


def record_result(submission_id: int, token: str, result: dict) -> bool:
    """Store a regrade's result exactly once (False: unknown token, duplicate, or cancelled batch)."""
    return store_result(_grading(submission_id, token), result)


def requeue_stuck(older_than: timedelta, max_deliveries: int) -> dict[str, int]:
    """The sweeper's part for regrades: re-send those in flight too long, give up after ``max_deliveries``."""
    stuck = Regrade.objects.filter(
        status__in=IN_FLIGHT, queued_at__lt=timezone.now() - older_than, batch__state=RegradeBatch.State.OPEN
    )
    requeued, abandoned = resend_stuck(
        stuck.select_related("submission__exercise").only(
            "pk", "grading_token", "deliveries", "status", "queued_at", "submission__code", "submission__exercise__slug"
        ),
        max_deliveries,
        lambda regrade: (regrade.submission_id, regrade.submission.exercise.slug, regrade.submission.code),
    )
    return {"regrades_requeued": requeued, "regrades_abandoned": abandoned}


# -- the instructor's decision --------------------------------------------------------------------


def _lock_open(batch: RegradeBatch) -> RegradeBatch | None:
    locked = RegradeBatch.objects.select_for_update().get(pk=batch.pk)
    if locked.state == RegradeBatch.State.CANCELLED:
        raise ApiError(409, "conflict", "this regrade was cancelled")
    return locked if locked.state == RegradeBatch.State.OPEN else None


def confirm(batch: RegradeBatch, *, by=None) -> Outcome:
    """Let the batch's new results replace the submissions' ones, keeping the old ones as history.

    Only once every regrade has finished (409 otherwise). A regrade the grader could not
    finish (error) is not applied, nor one whose submission was graded again meanwhile.
    Confirming again changes nothing (and returns zeros).
    """
    applied = changed = kept = 0
    with transaction.atomic():
        locked = _lock_open(batch)
        if locked is None:
            return Outcome(0, 0, 0)
        waiting = Regrade.objects.filter(batch=locked, status__in=IN_FLIGHT).count()
        if waiting:
            raise ApiError(409, "conflict", f"{waiting} regrade(s) are still being graded; confirm when they are done")
        now = timezone.now()
        for regrade in Regrade.objects.filter(batch=locked, applied_at__isnull=True).order_by("pk"):
            if regrade.status != Regrade.Status.GRADED:
                kept += 1
                continue
            submission = (
                Submission.objects.select_for_update()
                .filter(pk=regrade.submission_id, grading_token=regrade.previous_token, status__in=FINISHED)
                .first()
            )
            if submission is None:
                kept += 1
                continue
            GradingRecord.objects.create(
                submission=submission,
                status=submission.status,
                verdict=submission.verdict,
                score=submission.score,
                points=submission.points,
                max_points=submission.max_points,
                result=submission.result,
                graded_version=submission.graded_version,
                grading_token=submission.grading_token,
                graded_at=submission.finished_at,
                replaced_at=now,
                replaced_by=locked,
            )
            Submission.objects.filter(pk=submission.pk, grading_token=regrade.previous_token).update(
                status=Submission.Status.GRADED,
                verdict=regrade.verdict,
                score=regrade.score,
                points=regrade.points,
                max_points=regrade.max_points,
                result=regrade.result,
                graded_version=regrade.graded_version,
                grading_token=regrade.grading_token,
                finished_at=regrade.finished_at,
            )
            Regrade.objects.filter(pk=regrade.pk).update(applied_at=now)
            applied += 1
            changed += submission.score != regrade.score
        RegradeBatch.objects.filter(pk=locked.pk).update(
            state=RegradeBatch.State.CONFIRMED, decided_by=by, decided_at=now
        )
    _forget_cached_answers()
    return Outcome(applied=applied, changed=changed, kept=kept)


def cancel(batch: RegradeBatch, *, by=None) -> bool:
    """Drop the batch's results (the submissions keep theirs); later results are ignored.

    False when it was already cancelled; 409 when it was confirmed.
    """
    with transaction.atomic():
        locked = RegradeBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.state == RegradeBatch.State.CONFIRMED:
            raise ApiError(409, "conflict", "this regrade was confirmed already")
        if locked.state == RegradeBatch.State.CANCELLED:
            return False
        RegradeBatch.objects.filter(pk=locked.pk).update(
            state=RegradeBatch.State.CANCELLED, decided_by=by, decided_at=timezone.now()
        )
    return True


def history(submission: Submission) -> list[dict]:
    """Every result the submission had, oldest first, the current one last (for instructors)."""
    earlier = [
        {
            "status": record.status,
            "verdict": record.verdict,
            "score": record.score,
            "points": record.points,
            "max_points": record.max_points,
            "graded_version": record.graded_version,
            "graded_at": record.graded_at,
            "replaced_at": record.replaced_at,
            "current": False,
        }
        for record in GradingRecord.objects.filter(submission=submission)
    ]
    current = {
        "status": submission.status,
        "verdict": submission.verdict,
        "score": submission.score,
        "points": submission.points,
        "max_points": submission.max_points,
        "graded_version": submission.graded_version,
        "graded_at": submission.finished_at,
        "replaced_at": None,
        "current": True,
    }
    return [*earlier, current]


def _forget_cached_answers() -> None:
    """This process remembers finished submissions' answers for a few seconds; a regrade changed them."""
    from stride.api import views

    views._finished_cache.clear()

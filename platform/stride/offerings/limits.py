"""When a student may submit to a code exercise that an offering grades, and how often.

The rules come from the student's offering: the GradedItem for the exercise in the newest
offering in which the user is a student. Without one nothing changes (any signed-in user may
submit, as before), and teaching staff, site staff and anyone not enrolled as a student are
never held to an item's rules. With one, a submission is refused with a 403 before
``opens_at`` (``not_open``), once the student's deadlines close (``closed``; see
:mod:`stride.offerings.policy`), and when ``max_attempts`` are used (``attempt_limit``).

A grading the grader itself could not finish (status ``error``: ``grader_error`` or
``package_error``) does not use up an attempt: it is not the student's doing.

Call :func:`check_submission` and :func:`record_attempt` in the transaction that stores the
submission, holding the lock on the user's row (``submit`` does), so two submissions at once
cannot both take the last attempt.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Max
from django.utils import timezone

from stride.api.views import ApiError
from stride.offerings import policy
from stride.offerings.models import Enrollment, ExerciseAttempt, Extension, GradedItem
from stride.offerings.roles import is_site_staff

OPEN, NOT_OPEN, CLOSED = "open", "not_open", "closed"


@dataclass(frozen=True)
class Standing:
    """Where a student stands with an exercise item right now."""

    item: GradedItem
    dates: policy.Deadlines
    used: int  # attempts that count against the limit
    state: str  # open | not_open | closed

    @property
    def max_attempts(self) -> int | None:
        return self.item.max_attempts

    @property
    def remaining(self) -> int | None:
        return None if self.max_attempts is None else max(self.max_attempts - self.used, 0)

    def refusal(self) -> ApiError | None:
        """The 403 a new submission would get now, or None."""
        if self.state == NOT_OPEN:
            return ApiError(403, "not_open", f"this exercise opens at {self.dates.opens_at.isoformat()}")
        if self.state == CLOSED:
            last = self.dates.last_moment
            return ApiError(403, "closed", f"this exercise closed at {last.isoformat()}" if last else "closed")
        if self.remaining == 0:
            plural = "attempt" if self.max_attempts == 1 else "attempts"
            return ApiError(403, "attempt_limit", f"all {self.max_attempts} {plural} at this exercise are used")
        return None


def exercise_item(user, exercise) -> GradedItem | None:
    """The item through which ``user`` takes ``exercise`` as a student (the newest offering), or None."""
    if is_site_staff(user):
        return None
    return (
        GradedItem.objects.filter(
            exercise=exercise, offering__enrollments__user=user, offering__enrollments__role=Enrollment.Role.STUDENT
        )
        .select_related("offering")
        .order_by("-offering__created_at", "-offering_id")
        .first()
    )


def counted_attempts(item: GradedItem, user) -> int:
    return ExerciseAttempt.objects.filter(item=item, user=user).exclude(submission__status="error").count()


def standing(user, exercise, *, now: datetime | None = None) -> Standing | None:
    """The user's standing with the exercise's item, or None when no item's rules apply to them."""
    item = exercise_item(user, exercise)
    if item is None:
        return None
    now = now or timezone.now()
    extension = Extension.objects.filter(item=item, user=user).values_list("due_at", flat=True).first()
    dates = policy.deadlines(item.rules(), extension)
    state = NOT_OPEN if not dates.is_open_yet(now) else CLOSED if dates.is_closed(now) else OPEN
    return Standing(item=item, dates=dates, used=counted_attempts(item, user), state=state)


def check_submission(user, exercise, *, now: datetime | None = None) -> GradedItem | None:
    """The item the new submission will count for (None: no rules apply); raises the 403 if refused.

    Call it with the user's row locked, in the transaction that stores the submission.
    """
    found = standing(user, exercise, now=now)
    if found is None:
        return None
    refusal = found.refusal()
    if refusal is not None:
        raise refusal
    return found.item


def record_attempt(item: GradedItem, user, submission) -> ExerciseAttempt:
    """Count ``submission`` as the user's next attempt at ``item`` (same transaction, same lock)."""
    last = ExerciseAttempt.objects.filter(item=item, user=user).aggregate(last=Max("number"))["last"]
    return ExerciseAttempt.objects.create(item=item, user=user, submission=submission, number=(last or 0) + 1)

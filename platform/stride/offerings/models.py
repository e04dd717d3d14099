"""Course offerings and who takes part in them, in which role; how an offering grades.

An offering runs a course for one group in one term. Its :class:`GradedItem` rows say
which quizzes and code exercises count, with their dates, attempt limit, late policy and
points; :class:`Extension` gives one student a later due time for one item. The rules
themselves (what is late, by how much) are pure functions in :mod:`stride.offerings.policy`.
"""

from __future__ import annotations

import secrets
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from stride.offerings import policy

PERCENT = [MinValueValidator(0.0), MaxValueValidator(100.0)]


def validate_time_zone(name: str) -> None:
    try:
        policy.zone(name)
    except ValueError as error:
        raise ValidationError(str(error)) from None


class Offering(models.Model):
    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=200)
    course = models.ForeignKey(
        "courses.Course", on_delete=models.PROTECT, null=True, blank=True, related_name="offerings"
    )
    time_zone = models.CharField(
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
        help_text="IANA name, e.g. Europe/Berlin: dates are shown in it and dates typed in are read in it",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.slug

    @property
    def tzinfo(self) -> ZoneInfo:
        return policy.zone(self.time_zone)


class Enrollment(models.Model):
    class Role(models.TextChoices):
        STUDENT = "student"
        TA = "ta"
        INSTRUCTOR = "instructor"

    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="enrollments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.STUDENT)
    student_id = models.CharField(
        max_length=64, blank=True, help_text="the institution's id of the student (a roster's student id column)"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["offering", "user"], name="one_enrollment_per_offering")]

    def __str__(self) -> str:
        return f"{self.user} in {self.offering} as {self.role}"


#: Roles ranked, so that joining through an invite link never lowers a role.
ROLE_RANK = {Enrollment.Role.STUDENT.value: 0, Enrollment.Role.TA.value: 1, Enrollment.Role.INSTRUCTOR.value: 2}


class GradedItem(models.Model):
    """A quiz or code exercise as an offering grades it: its dates, attempts, late policy and points.

    ``opens_at`` and ``closes_at`` bound when attempts are accepted at all (closes_at is the hard
    cutoff); ``due_at`` is when work stops being on time. What late work gets is ``late_policy``:

    - ``no_late``: nothing is accepted from the due time on;
    - ``penalty``: accepted until closes_at, losing ``penalty_per_day`` percent of the points per
      started day (24 hours) after the due time, at most ``penalty_cap`` percent;
    - ``cutoff``: accepted without penalty until closes_at.
    """

    class LatePolicy(models.TextChoices):
        NO_LATE = policy.NO_LATE, "no late work: nothing is accepted from the due time on"
        PENALTY = policy.PENALTY, "a penalty per day late, up to a cap, until the hard cutoff"
        CUTOFF = policy.CUTOFF, "late work accepted without penalty until the hard cutoff"

    class Counts(models.TextChoices):
        BEST = policy.BEST, "the best attempt"
        LAST = policy.LAST, "the last attempt"

    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="items")
    quiz = models.ForeignKey("quizzes.Quiz", on_delete=models.CASCADE, null=True, blank=True, related_name="items")
    exercise = models.ForeignKey(
        "exercises.Exercise", on_delete=models.CASCADE, null=True, blank=True, related_name="items"
    )
    position = models.PositiveIntegerField(default=0, help_text="order of the gradebook's columns")
    opens_at = models.DateTimeField(null=True, blank=True, help_text="empty: open from the start")
    due_at = models.DateTimeField(null=True, blank=True, help_text="empty: nothing is ever late")
    closes_at = models.DateTimeField(null=True, blank=True, help_text="hard cutoff; empty: never closes")
    max_attempts = models.PositiveIntegerField(null=True, blank=True, help_text="empty: unlimited")
    late_policy = models.CharField(max_length=16, choices=LatePolicy.choices, default=LatePolicy.NO_LATE)
    penalty_per_day = models.FloatField(default=0.0, validators=PERCENT, help_text="percent of the points per day")
    penalty_cap = models.FloatField(default=100.0, validators=PERCENT, help_text="the most a penalty takes, percent")
    points = models.FloatField(
        null=True, blank=True, validators=[MinValueValidator(0.0)], help_text="empty: the exercise's or quiz's maximum"
    )
    counts = models.CharField(max_length=8, choices=Counts.choices, default=Counts.BEST)

    class Meta:
        ordering = ["offering_id", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quiz__isnull=False, exercise__isnull=True)
                | models.Q(quiz__isnull=True, exercise__isnull=False),
                name="graded_item_is_one_thing",
            ),
            models.UniqueConstraint(fields=["offering", "quiz"], name="one_item_per_quiz"),
            models.UniqueConstraint(fields=["offering", "exercise"], name="one_item_per_exercise"),
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True) | Q(due_at__isnull=True) | Q(opens_at__lt=F("due_at")),
                name="graded_item_opens_before_due",
            ),
            models.CheckConstraint(
                condition=Q(due_at__isnull=True) | Q(closes_at__isnull=True) | Q(due_at__lte=F("closes_at")),
                name="graded_item_due_by_close",
            ),
            models.CheckConstraint(
                condition=Q(penalty_per_day__gte=0, penalty_per_day__lte=100, penalty_cap__gte=0, penalty_cap__lte=100),
                name="graded_item_penalty_percent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.offering}: {self.quiz or self.exercise}"

    def clean(self) -> None:
        if self.opens_at and self.due_at and self.opens_at >= self.due_at:
            raise ValidationError({"due_at": "the due time must come after the opening time"})
        if self.due_at and self.closes_at and self.due_at > self.closes_at:
            raise ValidationError({"closes_at": "the hard cutoff cannot come before the due time"})
        if self.opens_at and self.closes_at and self.opens_at >= self.closes_at:
            raise ValidationError({"closes_at": "the hard cutoff must come after the opening time"})

    @property
    def kind(self) -> str:
        return "quiz" if self.quiz_id else "exercise"

    @property
    def title(self) -> str:
        return (self.quiz or self.exercise).title

    @property
    def key(self) -> str:
        """Stable within the offering: ``exercise:<slug>`` or ``quiz:<key>``."""
        return f"quiz:{self.quiz.key}" if self.quiz_id else f"exercise:{self.exercise.slug}"

    def possible_points(self) -> float:
        """What the item is worth: ``points``, else the exercise's or quiz's own maximum."""
        if self.points is not None:
            return self.points
        if self.exercise_id:
            return float(self.exercise.max_points)
        return float(sum(self.quiz.questions.filter(retired=False).values_list("points", flat=True)))

    def rules(self) -> policy.ItemRules:
        return policy.ItemRules.of(self)

    def deadlines_for(self, user) -> policy.Deadlines:
        """This item's dates for ``user``, with their extension applied."""
        extension_due_at = Extension.objects.filter(item=self, user=user).values_list("due_at", flat=True).first()
        return policy.deadlines(self.rules(), extension_due_at)


class Extension(models.Model):
    """A later due time for one student and one item; the hard cutoff moves along with it."""

    item = models.ForeignKey(GradedItem, on_delete=models.CASCADE, related_name="extensions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="extensions")
    due_at = models.DateTimeField()
    reason = models.CharField(max_length=200, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "user"], name="one_extension_per_item")]

    def __str__(self) -> str:
        return f"{self.user} until {self.due_at:%Y-%m-%d %H:%M} for {self.item}"


class ExerciseAttempt(models.Model):
    """A submission to a code exercise made as a student of an offering that grades it.

    Stored with the submission, in the same transaction, while the student's row is locked:
    ``number`` counts the student's attempts at the item, and the unique number is a backstop
    should two submissions ever race past the lock.
    """

    item = models.ForeignKey(GradedItem, on_delete=models.CASCADE, related_name="exercise_attempts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exercise_attempts")
    submission = models.OneToOneField("submissions.Submission", on_delete=models.CASCADE, related_name="attempt")
    number = models.PositiveIntegerField()

    class Meta:
        ordering = ["item_id", "user_id", "number"]
        constraints = [models.UniqueConstraint(fields=["item", "user", "number"], name="one_exercise_attempt_number")]

    def __str__(self) -> str:
        return f"{self.user} attempt {self.number} at {self.item}"


def new_invitation_token() -> str:
    return secrets.token_urlsafe(24)


class Invitation(models.Model):
    """An invite link: whoever follows it while signed in joins the offering in ``role``.

    One live link per offering and role; replacing it (revoking) makes the old link useless.
    """

    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(max_length=16, choices=Enrollment.Role.choices, default=Enrollment.Role.STUDENT)
    token = models.CharField(max_length=64, unique=True, default=new_invitation_token)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True, help_text="empty: until replaced")
    revoked_at = models.DateTimeField(null=True, blank=True)
    uses = models.PositiveIntegerField(default=0, help_text="enrolments made through the link")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["offering", "role"], condition=Q(revoked_at__isnull=True), name="one_live_invitation_per_role"
            )
        ]

    def __str__(self) -> str:
        return f"invitation to {self.offering} as {self.role}"


def staff_offerings(user) -> models.QuerySet:
    """Offerings in which ``user`` teaches (instructor or TA)."""
    return Offering.objects.filter(
        enrollments__user=user, enrollments__role__in=[Enrollment.Role.INSTRUCTOR, Enrollment.Role.TA]
    )


def teaches(staff, student) -> bool:
    """Whether ``staff`` is an instructor or TA of an offering ``student`` takes."""
    return Enrollment.objects.filter(
        user=student, role=Enrollment.Role.STUDENT, offering__in=staff_offerings(staff)
    ).exists()

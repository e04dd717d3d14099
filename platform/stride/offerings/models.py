"""Course offerings and who takes part in them, in which role."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Offering(models.Model):
    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=200)
    course = models.ForeignKey(
        "courses.Course", on_delete=models.PROTECT, null=True, blank=True, related_name="offerings"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.slug


class Enrollment(models.Model):
    class Role(models.TextChoices):
        STUDENT = "student"
        TA = "ta"
        INSTRUCTOR = "instructor"

    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="enrollments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.STUDENT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["offering", "user"], name="one_enrollment_per_offering")]

    def __str__(self) -> str:
        return f"{self.user} in {self.offering} as {self.role}"


class GradedItem(models.Model):
    """A quiz (or code exercise) as an offering grades it: when it is open and how often."""

    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="items")
    quiz = models.ForeignKey("quizzes.Quiz", on_delete=models.CASCADE, null=True, blank=True, related_name="items")
    exercise = models.ForeignKey(
        "exercises.Exercise", on_delete=models.CASCADE, null=True, blank=True, related_name="items"
    )
    opens_at = models.DateTimeField(null=True, blank=True, help_text="empty: open from the start")
    closes_at = models.DateTimeField(null=True, blank=True, help_text="empty: never closes")
    max_attempts = models.PositiveIntegerField(null=True, blank=True, help_text="empty: unlimited")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quiz__isnull=False, exercise__isnull=True)
                | models.Q(quiz__isnull=True, exercise__isnull=False),
                name="graded_item_is_one_thing",
            ),
            models.UniqueConstraint(fields=["offering", "quiz"], name="one_item_per_quiz"),
            models.UniqueConstraint(fields=["offering", "exercise"], name="one_item_per_exercise"),
        ]

    def __str__(self) -> str:
        return f"{self.offering}: {self.quiz or self.exercise}"


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

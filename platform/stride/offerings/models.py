"""Course offerings and who takes part in them, in which role."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Offering(models.Model):
    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=200)
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

"""Who may see and do what in a course: enrolment in one of its offerings decides."""

from __future__ import annotations

from stride.api.views import ApiError
from stride.courses.models import Course
from stride.offerings.models import Enrollment, Offering


def is_site_staff(user) -> bool:
    return bool(user.is_staff or user.is_superuser)


def enrollment(user, course: Course) -> Enrollment | None:
    """The user's enrolment in an offering of ``course`` (the newest one), or None."""
    return (
        Enrollment.objects.filter(user=user, offering__course=course)
        .select_related("offering")
        .order_by("-offering__created_at", "-id")
        .first()
    )


def is_enrolled(user, course: Course) -> bool:
    return is_site_staff(user) or Enrollment.objects.filter(user=user, offering__course=course).exists()


def teaches_course(user, course: Course) -> bool:
    """Site staff, or an instructor or TA of an offering of ``course``."""
    return (
        is_site_staff(user)
        or Enrollment.objects.filter(
            user=user, offering__course=course, role__in=[Enrollment.Role.INSTRUCTOR, Enrollment.Role.TA]
        ).exists()
    )


def require_enrolled(user, course: Course) -> Offering | None:
    """The offering through which ``user`` takes ``course`` (None for site staff), else a 403."""
    found = enrollment(user, course)
    if found is not None:
        return found.offering
    if is_site_staff(user):
        return None
    raise ApiError(403, "forbidden", f"enrol in an offering of {course.slug} first")


def enrolled_course_ids(user) -> set[int]:
    return set(
        Enrollment.objects.filter(user=user, offering__course__isnull=False).values_list("offering__course", flat=True)
    )

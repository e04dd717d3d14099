"""Who may do what in an offering: instructors run it, TAs help, students take it.

Site staff (``is_staff`` or superuser) count as instructors of every offering. Views, the
API and the admin ask these functions; the ``require_*`` ones raise the API's 403/404
errors, which web views can catch as well (``error.detail`` is written for people).
"""

from __future__ import annotations

from stride.api.views import SLUG, ApiError
from stride.offerings.models import Enrollment, Offering

TEACHING_ROLES = (Enrollment.Role.INSTRUCTOR, Enrollment.Role.TA)


def is_site_staff(user) -> bool:
    return bool(getattr(user, "is_staff", False) or getattr(user, "is_superuser", False))


def role_in(user, offering: Offering) -> str | None:
    """The user's role in the offering (student, ta, instructor), or None."""
    if user is None or not user.is_authenticated:
        return None
    return Enrollment.objects.filter(offering=offering, user=user).values_list("role", flat=True).first()


def teaches_offering(user, offering: Offering) -> bool:
    """Instructors, TAs and site staff: they see the gradebook, analytics and exports."""
    if user is None or not user.is_authenticated:
        return False
    return is_site_staff(user) or role_in(user, offering) in TEACHING_ROLES


def instructs_offering(user, offering: Offering) -> bool:
    """Instructors and site staff: they change the offering (items, roster, invites, regrades)."""
    if user is None or not user.is_authenticated:
        return False
    return is_site_staff(user) or role_in(user, offering) == Enrollment.Role.INSTRUCTOR


def find_offering(slug: str) -> Offering:
    """The offering with this slug, or a 404 ApiError."""
    found = Offering.objects.filter(slug=slug).first() if SLUG.fullmatch(slug or "") else None
    if found is None:
        raise ApiError(404, "not_found", "no such offering")
    return found


def require_teaching(user, offering: Offering) -> None:
    if not teaches_offering(user, offering):
        raise ApiError(403, "forbidden", f"only the instructors and TAs of {offering.slug} may do this")


def require_instructing(user, offering: Offering) -> None:
    if not instructs_offering(user, offering):
        raise ApiError(403, "forbidden", f"only the instructors of {offering.slug} may do this")


def students(offering: Offering):
    """The offering's student enrolments, with their users, in roster order (last name, first name, username)."""
    return (
        Enrollment.objects.filter(offering=offering, role=Enrollment.Role.STUDENT)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__username", "user_id")
    )

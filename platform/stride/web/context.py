"""Template context for every page: what the navigation needs to know about the visitor."""

from __future__ import annotations

from django.http import HttpRequest

from stride.offerings.models import Enrollment


def navigation(request: HttpRequest) -> dict[str, bool]:
    """``teaches``: the visitor may open the teaching pages (staff, or an instructor or TA somewhere)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"teaches": False}
    if user.is_staff or user.is_superuser:
        return {"teaches": True}
    roles = [Enrollment.Role.INSTRUCTOR, Enrollment.Role.TA]
    return {"teaches": Enrollment.objects.filter(user=user, role__in=roles).exists()}

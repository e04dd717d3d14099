"""Who may open a teaching page, and what every teaching page's template gets.

The rules are :mod:`stride.offerings.roles`': instructors, TAs and site staff see an
offering's pages (gradebook, analytics, the authoring list); only instructors and site staff
change it (items, extensions, roster, invitations, regrades, validations) or export its grades. Each
view module has a private helper that calls :func:`offering_for`; anonymous visitors never
get this far (``login_required`` sends them to log in).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from stride.api.views import ApiError
from stride.core import health
from stride.exercises.models import Exercise
from stride.offerings import policy
from stride.offerings.models import Offering
from stride.offerings.roles import find_offering, instructs_offering, teaches_offering

#: The sections of an offering's pages, for the sub-navigation.
SECTIONS = (
    ("overview", "Overview", "web:teach-offering"),
    ("people", "People", "web:teach-people"),
    ("extensions", "Extensions", "web:teach-extensions"),
    ("authoring", "Exercises", "web:teach-exercises"),
    ("regrade", "Regrade", "web:teach-regrade"),
    ("analytics", "Analytics", "web:teach-analytics"),
    ("grades", "Grades", "web:teach-grades"),
)


def offering_for(request: HttpRequest, slug: str, *, instruct: bool = False) -> Offering:
    """The offering ``slug`` if the caller may see it (``instruct``: change it); else 404 or 403."""
    try:
        offering = find_offering(slug)
    except ApiError:
        raise Http404("no such offering") from None
    if instruct and not instructs_offering(request.user, offering):
        raise PermissionDenied(f"Only the instructors of {offering.title} may do this.")
    if not teaches_offering(request.user, offering):
        raise PermissionDenied(f"Only the instructors and TAs of {offering.title} may open this page.")
    return offering


def page(request: HttpRequest, offering: Offering, section: str, **context: Any) -> dict[str, Any]:
    """The context every page of an offering shares: the offering, the caller's powers, the sub-navigation."""
    return {
        "offering": offering,
        "section": section,
        "sections": SECTIONS,
        "can_instruct": instructs_offering(request.user, offering),
        "nav": "teach",
        **context,
    }


def local(moment, offering: Offering) -> str:
    """A moment as the offering's people read it: ``2025-03-30 23:59 CEST``, or empty."""
    return policy.format_local(moment, offering.time_zone)


def offering_exercises(offering: Offering) -> QuerySet[Exercise]:
    """The exercises the offering grades or its course's lessons use, in course order."""
    found = Q(items__offering=offering)
    if offering.course_id is not None:
        found |= Q(
            lesson_steps__lesson__course=offering.course_id,
            lesson_steps__retired=False,
            lesson_steps__lesson__retired=False,
        )
    return Exercise.objects.filter(found).distinct().order_by("order", "slug")


def workers_down() -> list[str]:
    """The kinds of worker (grader, results) without a recent heartbeat: work sent now waits for them.

    Pages that wait for the grader (a validation, a regrade) say so rather than promise an answer.
    """
    return [kind for kind, state in health.worker_states().items() if state == health.DOWN]

"""Invite links: a token per offering and role; following it while signed in enrols the user.

The web view (``/join/<token>``, written elsewhere) calls :func:`join_offering`; an
instructor's page shows :func:`invitation` (the live link, made on first use) and can
:func:`replace_invitation` (the old link stops working) or :func:`revoke_invitation`.
Joining never lowers a role: an instructor following the student link stays instructor.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from stride.api.views import ApiError
from stride.offerings.models import ROLE_RANK, Enrollment, Invitation, Offering

TOKEN_MAX = 64


@dataclass(frozen=True)
class JoinResult:
    offering: Offering
    enrollment: Enrollment
    created: bool  # a new enrolment
    role_changed: bool  # an existing enrolment got the invitation's (higher) role


def _check_role(role: str) -> None:
    if role not in Enrollment.Role.values:
        raise ApiError(400, "invalid_field", f"role must be one of {', '.join(Enrollment.Role.values)}")


def invitation(offering: Offering, role: str = Enrollment.Role.STUDENT, *, by=None) -> Invitation:
    """The live invite link for ``role``, created if there is none."""
    _check_role(role)
    live = Invitation.objects.filter(offering=offering, role=role, revoked_at__isnull=True).first()
    if live is not None:
        return live
    try:
        with transaction.atomic():
            return Invitation.objects.create(offering=offering, role=role, created_by=by)
    except IntegrityError:  # made at the same moment by another request
        return Invitation.objects.get(offering=offering, role=role, revoked_at__isnull=True)


def revoke_invitation(offering: Offering, role: str) -> int:
    """Make the live link for ``role`` useless; returns how many were revoked (0 or 1)."""
    _check_role(role)
    return Invitation.objects.filter(offering=offering, role=role, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def replace_invitation(
    offering: Offering, role: str = Enrollment.Role.STUDENT, *, by=None, expires_at: datetime | None = None
) -> Invitation:
    """A new link for ``role``; the old one stops working."""
    _check_role(role)
    with transaction.atomic():
        revoke_invitation(offering, role)
        return Invitation.objects.create(offering=offering, role=role, created_by=by, expires_at=expires_at)


def join_offering(user, token: str, *, now: datetime | None = None) -> JoinResult:
    """Enrol ``user`` through the invite link ``token``.

    Raises ApiError: 401 for an anonymous user, 404 ``not_found`` for a token that does not
    exist or was replaced, 403 ``closed`` for an expired link.
    """
    if user is None or not user.is_authenticated:
        raise ApiError(401, "unauthenticated", "sign in first, then follow the invite link again")
    now = now or timezone.now()
    if not isinstance(token, str) or not 0 < len(token) <= TOKEN_MAX:
        raise ApiError(404, "not_found", "this invite link is not valid")
    with transaction.atomic():
        found = Invitation.objects.select_for_update().select_related("offering").filter(token=token).first()
        if found is None or found.revoked_at is not None:
            raise ApiError(404, "not_found", "this invite link is not valid (it may have been replaced)")
        if found.expires_at is not None and now >= found.expires_at:
            raise ApiError(403, "closed", f"this invite link expired at {found.expires_at.isoformat()}")
        enrolment = Enrollment.objects.select_for_update().filter(offering=found.offering, user=user).first()
        created = changed = False
        if enrolment is None:
            enrolment = Enrollment.objects.create(offering=found.offering, user=user, role=found.role)
            created = True
        elif ROLE_RANK[found.role] > ROLE_RANK[enrolment.role]:
            enrolment.role = found.role
            enrolment.save(update_fields=["role"])
            changed = True
        if created or changed:
            Invitation.objects.filter(pk=found.pk).update(uses=F("uses") + 1)
    return JoinResult(offering=found.offering, enrollment=enrolment, created=created, role_changed=changed)

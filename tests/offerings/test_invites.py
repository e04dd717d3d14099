"""Invite links: one live token per offering and role; joining enrols, never lowers a role."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from stride.api.views import ApiError
from stride.offerings.invites import invitation, join_offering, replace_invitation, revoke_invitation
from stride.offerings.models import Enrollment, Invitation
from tests.offerings.conftest import ago, ahead

pytestmark = pytest.mark.django_db


def refused(user, token: str) -> tuple[int, str]:
    with pytest.raises(ApiError) as caught:
        join_offering(user, token)
    return caught.value.status, caught.value.error


def test_the_live_link_is_made_once_per_offering_and_role(offering) -> None:
    student_link = invitation(offering)
    assert invitation(offering) == student_link
    ta_link = invitation(offering, Enrollment.Role.TA)
    assert ta_link.token != student_link.token and len(student_link.token) >= 32


def test_joining_enrols_the_user_in_the_links_role_once(offering, make_user) -> None:
    user = make_user("newcomer")
    link = invitation(offering, Enrollment.Role.TA)
    joined = join_offering(user, link.token)
    assert (joined.offering, joined.enrollment.role, joined.created) == (offering, "ta", True)
    again = join_offering(user, link.token)
    assert (again.created, again.role_changed) == (False, False)
    assert Enrollment.objects.filter(user=user).count() == 1
    link.refresh_from_db()
    assert link.uses == 1


def test_joining_raises_a_role_but_never_lowers_one(offering, make_user) -> None:
    teacher = make_user("teacher", offering, Enrollment.Role.INSTRUCTOR)
    student = make_user("student", offering)
    assert join_offering(teacher, invitation(offering).token).enrollment.role == "instructor"
    promoted = join_offering(student, invitation(offering, Enrollment.Role.TA).token)
    assert promoted.role_changed and Enrollment.objects.get(user=student).role == "ta"


def test_a_replaced_or_revoked_link_stops_working(offering, make_user) -> None:
    user = make_user("late")
    old = invitation(offering)
    new = replace_invitation(offering)
    assert refused(user, old.token) == (404, "not_found")
    assert join_offering(user, new.token).created
    assert revoke_invitation(offering, "student") == 1
    assert refused(make_user("later"), new.token) == (404, "not_found")
    assert Invitation.objects.filter(offering=offering, revoked_at__isnull=True).count() == 0


def test_an_expired_link_is_refused(offering, make_user) -> None:
    link = replace_invitation(offering, expires_at=ago(minutes=1))
    assert refused(make_user("slow"), link.token) == (403, "closed")
    fresh = replace_invitation(offering, expires_at=ahead(days=1))
    assert join_offering(make_user("quick"), fresh.token).created


@pytest.mark.parametrize("token", ["", "x" * 65, "no-such-token"])
def test_unknown_tokens_are_refused(offering, make_user, token: str) -> None:
    invitation(offering)
    assert refused(make_user("guess"), token) == (404, "not_found")


def test_anonymous_users_must_sign_in_first(offering) -> None:
    assert refused(AnonymousUser(), invitation(offering).token) == (401, "unauthenticated")


def test_an_unknown_role_is_refused(offering) -> None:
    with pytest.raises(ApiError):
        invitation(offering, "owner")

"""Extensions: one student, one item, a later due time (the hard cutoff moves along with it)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from stride.api.views import ApiError
from stride.offerings.models import Enrollment, Extension, GradedItem

MAX_REASON = 200


def grant_extension(item: GradedItem, student, due_at: datetime, *, by=None, reason: str = "") -> Extension:
    """Give ``student`` the due time ``due_at`` for ``item`` (replacing an earlier extension).

    400 ``invalid_field`` when the user is not a student of the item's offering or the date
    is not timezone-aware. What it means for deadlines: :func:`stride.offerings.policy.deadlines`.
    """
    if due_at.tzinfo is None or due_at.utcoffset() is None:
        raise ApiError(400, "invalid_field", "the new due time needs a time zone")
    if not Enrollment.objects.filter(offering=item.offering_id, user=student, role=Enrollment.Role.STUDENT).exists():
        raise ApiError(400, "invalid_field", f"{student} is not a student of {item.offering}")
    with transaction.atomic():
        extension, _ = Extension.objects.update_or_create(
            item=item, user=student, defaults={"due_at": due_at, "granted_by": by, "reason": reason[:MAX_REASON]}
        )
    return extension


def revoke_extension(item: GradedItem, student) -> bool:
    """Take the extension back; False when there was none."""
    deleted, _ = Extension.objects.filter(item=item, user=student).delete()
    return bool(deleted)


def extensions(offering) -> list[Extension]:
    """The offering's extensions, by item and student."""
    return list(
        Extension.objects.filter(item__offering=offering)
        .select_related("item__exercise", "item__quiz", "user", "granted_by")
        .order_by("item__position", "item_id", "user__username")
    )

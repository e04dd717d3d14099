"""The offerings in the admin. Staff who are not superusers see only the offerings they teach,
and change only those they instruct (TAs look); what they add inline belongs to those.
Extensions are granted on the instructor's pages (stride.offerings.extensions)."""

from django.contrib import admin

from stride.offerings.models import Enrollment, GradedItem, Invitation, Offering, staff_offerings
from stride.offerings.roles import role_in


def _instructs(request, offering) -> bool:
    return request.user.is_superuser or role_in(request.user, offering) == Enrollment.Role.INSTRUCTOR


class EnrollmentInline(admin.TabularInline):
    model = Enrollment
    extra = 0
    raw_id_fields = ["user"]
    fields = ["user", "role", "student_id"]


class GradedItemInline(admin.StackedInline):
    model = GradedItem
    extra = 0
    fieldsets = [
        (None, {"fields": [("quiz", "exercise"), "position", ("points", "counts", "max_attempts")]}),
        ("Dates", {"fields": [("opens_at", "due_at", "closes_at")]}),
        ("Late work", {"fields": [("late_policy", "penalty_per_day", "penalty_cap")]}),
    ]


class InvitationInline(admin.TabularInline):
    model = Invitation
    extra = 0
    fields = ["role", "token", "expires_at", "revoked_at", "uses", "created_at"]
    readonly_fields = ["token", "uses", "created_at"]


@admin.register(Offering)
class OfferingAdmin(admin.ModelAdmin):
    list_display = ["slug", "title", "course", "time_zone", "created_at"]
    list_filter = ["course"]
    inlines = [GradedItemInline, EnrollmentInline, InvitationInline]

    def get_queryset(self, request):
        found = super().get_queryset(request)
        return found if request.user.is_superuser else found.filter(pk__in=staff_offerings(request.user))

    def has_change_permission(self, request, obj=None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or _instructs(request, obj))

    def has_delete_permission(self, request, obj=None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or _instructs(request, obj))

"""Regrades, grading history and the export log in the admin: read-only records.

Regrades are started and confirmed from the instructor's pages (stride.gradebook.regrade),
never edited here; the export log is evidence and cannot be changed or deleted.
"""

from django.contrib import admin

from stride.gradebook.models import ExportLog, GradingRecord, Regrade, RegradeBatch
from stride.offerings.models import staff_offerings


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(RegradeBatch)
class RegradeBatchAdmin(ReadOnly):
    list_display = ["exercise", "offering", "version", "state", "created_by", "created_at", "decided_at"]
    list_filter = ["state", "offering"]

    def get_queryset(self, request):
        found = super().get_queryset(request)
        return found if request.user.is_superuser else found.filter(offering__in=staff_offerings(request.user))


@admin.register(Regrade)
class RegradeAdmin(ReadOnly):
    list_display = ["submission", "batch", "status", "verdict", "score", "finished_at", "applied_at"]
    list_filter = ["status"]

    def get_queryset(self, request):
        found = super().get_queryset(request)
        return found if request.user.is_superuser else found.filter(batch__offering__in=staff_offerings(request.user))


@admin.register(GradingRecord)
class GradingRecordAdmin(ReadOnly):
    list_display = ["submission", "verdict", "score", "graded_version", "graded_at", "replaced_at"]

    def get_queryset(self, request):
        found = super().get_queryset(request)
        if request.user.is_superuser:
            return found
        return found.filter(replaced_by__offering__in=staff_offerings(request.user))


@admin.register(ExportLog)
class ExportLogAdmin(ReadOnly):
    list_display = ["created_at", "offering_slug", "format", "via", "username", "rows"]
    list_filter = ["format", "via"]

    def get_queryset(self, request):
        found = super().get_queryset(request)
        return found if request.user.is_superuser else found.filter(offering__in=staff_offerings(request.user))

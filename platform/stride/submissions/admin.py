from django.contrib import admin

from stride.submissions.models import Submission


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ["id", "user", "exercise", "status", "verdict", "score", "created_at"]
    list_filter = ["status", "verdict", "exercise"]
    readonly_fields = ["grading_token", "deliveries", "created_at", "queued_at", "started_at", "finished_at"]

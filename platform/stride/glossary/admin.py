"""Glossary terms in the Django admin.

The course package is the source of truth: an edit made here lasts until the next
``sync_course`` of that course brings the package's text back. Saving keeps the search
text in step and touches the course, so cached auto-link lists are refreshed
(:func:`stride.glossary.linking.glossary_terms`).
"""

from __future__ import annotations

from django.contrib import admin
from django.utils import timezone

from stride.courses.models import Course
from stride.glossary.models import Term


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ["term", "key", "course", "keras", "position", "retired"]
    list_filter = ["course", "retired"]
    # search_text holds the term, aliases and definition (casefolded), so it finds aliases too.
    search_fields = ["term", "key", "keras", "search_text"]
    list_select_related = ["course"]
    ordering = ["course__slug", "position"]
    readonly_fields = ["search_text"]
    fields = ["course", "key", "term", "aliases", "keras", "definition", "see_also", "position", "retired",
              "search_text"]  # fmt: skip

    def save_model(self, request, obj: Term, form, change: bool) -> None:
        obj.refresh_search_text()
        super().save_model(request, obj, form, change)
        _touch(obj.course_id)

    def delete_model(self, request, obj: Term) -> None:
        super().delete_model(request, obj)
        _touch(obj.course_id)

    def delete_queryset(self, request, queryset) -> None:
        course_ids = set(queryset.values_list("course_id", flat=True))
        super().delete_queryset(request, queryset)
        for course_id in course_ids:
            _touch(course_id)


def _touch(course_id: int) -> None:
    Course.objects.filter(pk=course_id).update(updated_at=timezone.now())

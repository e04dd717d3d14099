"""Flashcards in the Django admin.

Cards come from the course packages (``manage.py sync_course``), so an edit here lasts only
until the next sync; students' states and review logs are what FSRS and the students made
of them and are shown read-only (deleting a state resets that card to new for the student).
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from stride.flashcards.models import Card, CardState, ReviewLog


@admin.register(Card)
class CardAdmin(admin.ModelAdmin):
    list_display = ["key", "course", "front", "position", "retired"]
    list_filter = ["course", "retired"]
    search_fields = ["key", "front", "back"]
    list_select_related = ["course"]
    raw_id_fields = ["term"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(CardState)
class CardStateAdmin(ReadOnlyAdmin):
    list_display = ["user", "card", "state", "due", "stability", "difficulty", "reps", "lapses", "last_review"]
    list_filter = ["state", "card__course"]
    search_fields = ["user__username", "card__key"]
    list_select_related = ["user", "card__course"]


@admin.register(ReviewLog)
class ReviewLogAdmin(ReadOnlyAdmin):
    list_display = ["reviewed_at", "user", "card", "rating", "state_before", "due_after", "review_duration_ms"]
    list_filter = ["rating", "card__course"]
    search_fields = ["user__username", "card__key"]
    list_select_related = ["user", "card__course"]
    date_hierarchy = "reviewed_at"

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        # The log is the history FSRS and the statistics rely on.
        return False

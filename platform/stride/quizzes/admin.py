"""Quizzes in the Django admin.

Quizzes and questions come from the course packages (``manage.py sync_course``), so an
edit here lasts only until the next sync. Attempts are what students submitted and how
they were graded: listed and searchable, never added or changed here (deleting one gives
the student that attempt back).
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest

from stride.quizzes.models import Question, Quiz, QuizAttempt


class QuestionInline(admin.StackedInline):
    model = Question
    extra = 0
    fields = ["key", "position", "type", "prompt", "options", "answer", "tolerance", "generator", "points",
              "explanation", "retired"]  # fmt: skip
    show_change_link = True


@admin.register(Quiz)
class QuizAdmin(admin.ModelAdmin):
    list_display = ["key", "title", "course", "section", "question_count", "position", "retired"]
    list_filter = ["course", "retired"]
    search_fields = ["key", "title"]
    list_select_related = ["course", "section"]
    raw_id_fields = ["section"]
    inlines = [QuestionInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(_questions=Count("questions", filter=Q(questions__retired=False)))

    @admin.display(description="questions", ordering="_questions")
    def question_count(self, quiz: Quiz) -> int:
        return quiz._questions


@admin.register(QuizAttempt)
class QuizAttemptAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "quiz", "number", "score", "points", "max_points", "offering"]
    list_filter = ["quiz__course", "quiz", "offering"]
    search_fields = ["user__username", "quiz__key"]
    list_select_related = ["user", "quiz", "offering"]
    date_hierarchy = "created_at"
    readonly_fields = ["user", "quiz", "offering", "number", "answers", "results", "score", "points", "max_points",
                       "created_at"]  # fmt: skip

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

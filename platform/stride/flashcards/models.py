"""Flashcards of a course, each student's FSRS memory state per card, and the review log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Card(models.Model):
    course = models.ForeignKey("courses.Course", on_delete=models.CASCADE, related_name="cards")
    key = models.SlugField(help_text="term-<id> for cards made from glossary terms")
    front = models.TextField(help_text="Markdown")
    back = models.TextField(help_text="Markdown")
    tags = models.JSONField(default=list, blank=True)
    term = models.ForeignKey("glossary.Term", on_delete=models.SET_NULL, null=True, blank=True, related_name="cards")
    position = models.PositiveIntegerField(default=0)
    retired = models.BooleanField(default=False)

    class Meta:
        ordering = ["course", "position"]
        constraints = [models.UniqueConstraint(fields=["course", "key"], name="card_key_per_course")]

    def __str__(self) -> str:
        return f"{self.course.slug}/{self.key}"


class CardState(models.Model):
    """Where a student stands with a card; no row means the card is new (and due now)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="card_states")
    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="states")
    due = models.DateTimeField(db_index=True)
    state = models.PositiveSmallIntegerField(help_text="FSRS: 1 learning, 2 review, 3 relearning")
    step = models.PositiveSmallIntegerField(null=True, blank=True)
    stability = models.FloatField(null=True, blank=True)
    difficulty = models.FloatField(null=True, blank=True)
    last_review = models.DateTimeField(null=True, blank=True)
    reps = models.PositiveIntegerField(default=0)
    lapses = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "card"], name="one_state_per_card")]

    def __str__(self) -> str:
        return f"{self.user} / {self.card} due {self.due:%Y-%m-%d %H:%M}"


class ReviewLog(models.Model):
    class Rating(models.IntegerChoices):
        AGAIN = 1
        HARD = 2
        GOOD = 3
        EASY = 4

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviews")
    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="reviews")
    rating = models.PositiveSmallIntegerField(choices=Rating.choices)
    reviewed_at = models.DateTimeField(default=timezone.now, db_index=True)
    state_before = models.PositiveSmallIntegerField(null=True, blank=True, help_text="null: the card was new")
    due_before = models.DateTimeField(null=True, blank=True)
    due_after = models.DateTimeField()
    review_duration_ms = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-reviewed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user} rated {self.card} {self.get_rating_display()}"

"""Quizzes of a course, their questions, and students' graded attempts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Quiz(models.Model):
    course = models.ForeignKey("courses.Course", on_delete=models.CASCADE, related_name="quizzes")
    section = models.ForeignKey(
        "courses.Section", on_delete=models.SET_NULL, null=True, blank=True, related_name="quizzes"
    )
    key = models.SlugField()
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, help_text="Markdown")
    position = models.PositiveIntegerField(default=0)
    retired = models.BooleanField(default=False)

    class Meta:
        ordering = ["course", "section__module__position", "section__position", "position"]
        verbose_name_plural = "quizzes"
        constraints = [models.UniqueConstraint(fields=["course", "key"], name="quiz_key_per_course")]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    class Type(models.TextChoices):
        SINGLE = "single", "single choice"
        MULTIPLE = "multiple", "multiple choice"
        TRUE_FALSE = "true_false", "true or false"
        NUMERIC = "numeric"
        TEXT = "text", "short text"
        MATRIX = "matrix"

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField()
    position = models.PositiveIntegerField(default=0)
    type = models.CharField(max_length=16, choices=Type.choices)
    prompt = models.TextField(help_text="Markdown; {name} placeholders are filled from the generator")
    options = models.JSONField(default=list, blank=True)
    answer = models.JSONField(null=True, blank=True, help_text="null when a generator computes it")
    tolerance = models.FloatField(default=0.0)
    explanation = models.TextField(blank=True, help_text="Markdown")
    generator = models.CharField(max_length=100, blank=True, help_text="a function in quizzes/generators.py")
    points = models.FloatField(default=1.0)
    retired = models.BooleanField(default=False)

    class Meta:
        ordering = ["quiz", "position"]
        constraints = [models.UniqueConstraint(fields=["quiz", "key"], name="question_key_per_quiz")]

    def __str__(self) -> str:
        return f"{self.quiz.key}/{self.key}"


class QuizAttempt(models.Model):
    """One submitted attempt, graded at once; ``number`` counts a student's attempts at a quiz."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts")
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="attempts")
    offering = models.ForeignKey(
        "offerings.Offering", on_delete=models.SET_NULL, null=True, blank=True, related_name="quiz_attempts"
    )
    number = models.PositiveIntegerField()
    answers = models.JSONField(default=dict, help_text="question key -> the student's answer")
    results = models.JSONField(default=list, help_text="per-question feedback")
    score = models.FloatField(help_text="0..1")
    points = models.FloatField()
    max_points = models.FloatField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "quiz", "number"], name="one_attempt_number")]

    def __str__(self) -> str:
        return f"{self.user} attempt {self.number} at {self.quiz.key}"

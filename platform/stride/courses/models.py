"""Courses as the platform stores them: the outline, lessons and steps, and each student's progress.

The course packages in ``exercises/courses/`` are the source of truth; ``manage.py
sync_course`` (:mod:`stride.courses.sync`) brings these tables up to date. Items carry the
package's stable ``key``; an item removed from the package is marked ``retired`` rather than
deleted, so students' progress, reviews and attempts are never lost.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Course(models.Model):
    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True, help_text="Markdown")
    number = models.CharField(max_length=32, blank=True)
    version = models.CharField(max_length=32, help_text="content hash of the package")
    generators_source = models.TextField(blank=True, help_text="quizzes/generators.py of the package")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["number", "slug"]

    def __str__(self) -> str:
        return self.slug


class Module(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="modules")
    key = models.SlugField()
    number = models.CharField(max_length=32)
    title = models.CharField(max_length=200)
    position = models.PositiveIntegerField(default=0)
    retired = models.BooleanField(default=False)

    class Meta:
        ordering = ["course", "position"]
        constraints = [models.UniqueConstraint(fields=["course", "key"], name="module_key_per_course")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class Section(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="sections")
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="sections")
    key = models.SlugField()
    number = models.CharField(max_length=32)
    title = models.CharField(max_length=200)
    position = models.PositiveIntegerField(default=0)
    retired = models.BooleanField(default=False)

    class Meta:
        ordering = ["module__position", "position"]
        constraints = [models.UniqueConstraint(fields=["course", "key"], name="section_key_per_course")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class Lesson(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="lessons")
    section = models.ForeignKey(Section, on_delete=models.SET_NULL, null=True, blank=True, related_name="lessons")
    key = models.SlugField()
    number = models.CharField(max_length=32)
    title = models.CharField(max_length=200)
    tutor = models.CharField(max_length=100, blank=True)
    position = models.PositiveIntegerField(default=0, help_text="place within its section")
    retired = models.BooleanField(default=False)

    class Meta:
        ordering = ["course", "section__module__position", "section__position", "position"]
        constraints = [models.UniqueConstraint(fields=["course", "key"], name="lesson_key_per_course")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class Step(models.Model):
    class Type(models.TextChoices):
        TUTOR = "tutor"
        ARTICLE = "article"
        DIALOGUE = "dialogue"
        OVERVIEW = "overview"
        EXPLANATION = "explanation"
        FAQ = "faq"
        MEMORY_AID = "memory_aid"
        VISUALIZATION = "visualization"
        CHECK = "check"
        EXERCISE = "exercise"

    class Completion(models.TextChoices):
        READ = "read"
        CHECK = "check", "answering the check question correctly"
        EXERCISE = "exercise", "passing the code exercise"

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="steps")
    key = models.SlugField()
    position = models.PositiveIntegerField(default=0)
    type = models.CharField(max_length=16, choices=Type.choices)
    complete = models.CharField(max_length=16, choices=Completion.choices, default=Completion.READ)
    unlocks = models.CharField(max_length=16, blank=True, help_text="architecture-map layer")
    content = models.JSONField(default=dict, blank=True, help_text="the step type's own fields")
    question = models.JSONField(null=True, blank=True, help_text="check steps: the question, with its answer")
    exercise = models.ForeignKey(
        "exercises.Exercise", on_delete=models.SET_NULL, null=True, blank=True, related_name="lesson_steps"
    )
    retired = models.BooleanField(default=False)

    class Meta:
        ordering = ["lesson", "position"]
        constraints = [models.UniqueConstraint(fields=["lesson", "key"], name="step_key_per_lesson")]

    def __str__(self) -> str:
        return f"{self.lesson.key} step {self.position + 1} ({self.type})"


class StepProgress(models.Model):
    """A student completed a step (once; completing it again changes nothing)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="step_progress")
    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="progress")
    completed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "step progress"
        constraints = [models.UniqueConstraint(fields=["user", "step"], name="one_progress_per_step")]

    def __str__(self) -> str:
        return f"{self.user} completed {self.step}"

"""Regrades, the grading history they keep, and the log of grade exports.

A regrade grades finished submissions again, through the normal queue, without touching
them: each :class:`Regrade` carries a grading token of its own, and the results worker
records a result whose token is a regrade's into that row (see ``stride.gradebook.regrade``).
Only when an instructor confirms the :class:`RegradeBatch` do the new results replace the
submissions' ones; each replaced result is kept as a :class:`GradingRecord`.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class RegradeBatch(models.Model):
    class State(models.TextChoices):
        OPEN = "open", "open: grading, or waiting for confirmation"
        CONFIRMED = "confirmed"
        CANCELLED = "cancelled"

    offering = models.ForeignKey("offerings.Offering", on_delete=models.CASCADE, related_name="regrades")
    exercise = models.ForeignKey("exercises.Exercise", on_delete=models.CASCADE, related_name="regrades")
    version = models.CharField(max_length=32, help_text="the exercise package's version being graded against")
    state = models.CharField(max_length=16, choices=State.choices, default=State.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True, help_text="when it was confirmed or cancelled")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "regrade batches"
        constraints = [
            # Starting a regrade while one is open adds to that one: work is never doubled.
            models.UniqueConstraint(
                fields=["offering", "exercise"], condition=Q(state="open"), name="one_open_regrade_per_exercise"
            )
        ]

    def __str__(self) -> str:
        return f"regrade of {self.exercise} in {self.offering} ({self.state})"


class Regrade(models.Model):
    """One submission graded again; its result waits here until the batch is confirmed."""

    class Status(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        GRADED = "graded"
        ERROR = "error"

    batch = models.ForeignKey(RegradeBatch, on_delete=models.CASCADE, related_name="regrades")
    submission = models.ForeignKey("submissions.Submission", on_delete=models.CASCADE, related_name="regrades")
    grading_token = models.UUIDField(default=uuid.uuid4, unique=True)
    previous_token = models.UUIDField(help_text="the submission's grading token when the regrade started")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    verdict = models.CharField(max_length=32, blank=True)
    score = models.FloatField(null=True, blank=True)
    points = models.FloatField(null=True, blank=True)
    max_points = models.FloatField(null=True, blank=True)
    result = models.JSONField(null=True, blank=True)
    graded_version = models.CharField(max_length=32, blank=True)
    deliveries = models.PositiveIntegerField(default=0)
    queued_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True, help_text="when its result replaced the submission's")

    class Meta:
        ordering = ["batch_id", "submission_id"]
        constraints = [models.UniqueConstraint(fields=["batch", "submission"], name="one_regrade_per_batch")]
        indexes = [
            models.Index(fields=["status", "queued_at"], condition=Q(status__in=["queued", "running"]),
                         name="regrade_in_flight"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"regrade of submission {self.submission_id} ({self.status})"


class GradingRecord(models.Model):
    """A result a submission used to have, kept when a confirmed regrade replaced it."""

    submission = models.ForeignKey("submissions.Submission", on_delete=models.CASCADE, related_name="history")
    status = models.CharField(max_length=16)
    verdict = models.CharField(max_length=32, blank=True)
    score = models.FloatField(null=True, blank=True)
    points = models.FloatField(null=True, blank=True)
    max_points = models.FloatField(null=True, blank=True)
    result = models.JSONField(null=True, blank=True)
    graded_version = models.CharField(max_length=32, blank=True)
    grading_token = models.UUIDField()
    graded_at = models.DateTimeField(null=True, blank=True)
    replaced_at = models.DateTimeField(default=timezone.now)
    replaced_by = models.ForeignKey(
        RegradeBatch, on_delete=models.SET_NULL, null=True, blank=True, related_name="replaced"
    )

    class Meta:
        ordering = ["submission_id", "replaced_at", "id"]

    def __str__(self) -> str:
        return f"earlier result of submission {self.submission_id}: {self.verdict} {self.score}"


class ExportLog(models.Model):
    """Every grade export: who, when, which offering and format, and through what."""

    class Via(models.TextChoices):
        API = "api"
        WEB = "web"
        COMMAND = "command"

    offering = models.ForeignKey(
        "offerings.Offering", on_delete=models.SET_NULL, null=True, blank=True, related_name="exports"
    )
    offering_slug = models.SlugField(help_text="kept when the offering is deleted")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    username = models.CharField(max_length=150, blank=True, help_text="kept when the account is deleted")
    format = models.CharField(max_length=16)
    via = models.CharField(max_length=16, choices=Via.choices)
    rows = models.PositiveIntegerField(default=0, help_text="students exported")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.format} export of {self.offering_slug} by {self.username or 'a command'}"


class ValidationRun(models.Model):
    """One run of the grader's package validation for an exercise (see stride.gradebook.authoring).

    The grading worker does the work in its sandbox (``stride.validate`` on the grading queue)
    and reports back twice through ``stride.record_validation``: once when it starts, once with
    the report. ``token`` ties those messages to this row, so a stale or repeated one changes nothing.
    """

    class Status(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        DONE = "done", "done: the report says whether every check passed"
        ERROR = "error", "error: the grader could not run the checks"

    exercise = models.ForeignKey("exercises.Exercise", on_delete=models.CASCADE, related_name="validation_runs")
    version = models.CharField(max_length=32, help_text="the package version the platform knew when it was asked")
    validated_version = models.CharField(max_length=32, blank=True, help_text="the version the grader checked")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    passed = models.BooleanField(null=True, blank=True, help_text="done: whether every check passed")
    report = models.JSONField(null=True, blank=True, help_text="problems and lines per sample, from the grader")
    token = models.UUIDField(default=uuid.uuid4, unique=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["exercise", "-created_at"], name="validation_latest")]

    def __str__(self) -> str:
        return f"validation of {self.exercise} ({self.status})"

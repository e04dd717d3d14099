"""Data for the gradebook tests: the offering fixtures, and graded work made through the pipeline's moves."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest

from stride.offerings.limits import record_attempt
from stride.offerings.models import GradedItem
from stride.submissions.models import Submission
from tests.api.conftest import grading_queue  # noqa: F401 - the broker's grading queue, read directly
from tests.offerings.conftest import (  # noqa: F401 - fixtures shared with the offering tests
    _fast_password_hashing,
    exercise,
    make_item,
    make_user,
    offering,
    persona,
)


def result(score: float, max_points: float = 20.0, failing: tuple[tuple[str, str], ...] = ()) -> dict[str, Any]:
    """A grading result in the grader's format: a passing test, plus one failing test per (name, verdict)."""
    tests = [{"name": "example", "visible": True, "passed": True, "verdict": "passed", "points": 1.0,
              "max_points": 1.0, "message": ""}]  # fmt: skip
    tests += [
        {"name": name, "visible": False, "passed": False, "verdict": verdict, "points": 0.0, "max_points": 1.0,
         "message": "wrong"}
        for name, verdict in failing
    ]  # fmt: skip
    return {
        "exercise": "conv2d",
        "version": "0123456789abcdef",
        "seed": 7,
        "verdict": "passed" if score >= 1 else "failed",
        "message": "",
        "score": score,
        "points": score * max_points,
        "max_points": max_points,
        "tests": tests,
    }


@pytest.fixture
def submit() -> Callable[..., Submission]:
    """A submission counted as an attempt at ``item``, made at ``at``, graded with ``score`` (None: still queued)."""

    def make(
        user,
        item: GradedItem,
        at: datetime,
        score: float | None = 1.0,
        *,
        status: str = "graded",
        failing: tuple[tuple[str, str], ...] = (),
    ) -> Submission:
        submission = Submission.objects.create(
            user=user, exercise=item.exercise, exercise_version=item.exercise.version, code="def conv2d(): ...",
            created_at=at, queued_at=at,
        )  # fmt: skip
        record_attempt(item, user, submission)
        token = str(submission.grading_token)
        if status != "queued":
            assert Submission.mark_started(submission.pk, token)
        if status == "graded":
            assert Submission.record_result(submission.pk, token, result(score, failing=failing))
        elif status == "error":
            assert Submission.record_result(submission.pk, token, {"verdict": "grader_error", "tests": []})
        submission.refresh_from_db()
        return submission

    return make

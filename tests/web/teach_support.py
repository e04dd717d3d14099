"""Fixtures and helpers of the teaching pages' tests (tests/web/test_teach_*.py).

The offering ``spring`` of tests/web/conftest.py teaches the demo course; here it gets an
instructor, a TA and a site-staff account, each with a logged-in client, and helpers that
make graded work the way the pipeline leaves it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from html import unescape
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from stride.exercises.models import Exercise
from stride.offerings.limits import record_attempt
from stride.offerings.models import Enrollment, GradedItem, Offering
from stride.submissions.models import Submission
from tests.gradebook.conftest import result as gradebook_result
from tests.web.conftest import Visitor


def visitor(username: str, offering: Offering | None = None, role: str = Enrollment.Role.STUDENT, **fields) -> Visitor:
    fields.setdefault("email", f"{username}@example.org")
    user = get_user_model().objects.create_user(username=username, password="pw", **fields)
    if offering is not None:
        Enrollment.objects.create(offering=offering, user=user, role=role)
    client = Client()
    client.force_login(user)
    return Visitor(user, client)


@pytest.fixture(autouse=True)
def _no_rate_limit(settings) -> None:
    settings.STRIDE_SUBMISSION_RATE_COUNT = 0


@pytest.fixture
def instructor(offering: Offering) -> Visitor:
    return visitor("irene", offering, Enrollment.Role.INSTRUCTOR, first_name="Irene", last_name="Instructor")


@pytest.fixture
def ta(offering: Offering) -> Visitor:
    return visitor("tom", offering, Enrollment.Role.TA)


@pytest.fixture
def staff(course) -> Visitor:
    return visitor("sam", is_staff=True)


@pytest.fixture
def conv2d(course) -> Exercise:
    return Exercise.objects.get(slug="conv2d")


@pytest.fixture
def conv2d_item(offering: Offering, conv2d: Exercise) -> GradedItem:
    return GradedItem.objects.create(offering=offering, exercise=conv2d, position=0)


def result(score: float, version: str = "v1", failing: tuple[tuple[str, str], ...] = ()) -> dict[str, Any]:
    """The gradebook tests' grading result (out of 2 points here), graded by exercise version ``version``."""
    return {**gradebook_result(score, max_points=2.0, failing=failing), "version": version}


@pytest.fixture
def graded() -> Callable[..., Submission]:
    """A student's submission counted as an attempt at ``item`` and graded with ``score`` (None: still queued)."""

    def make(user, item: GradedItem, score: float | None = 1.0, *, at: datetime | None = None, **options) -> Submission:
        at = at or timezone.now()
        submission = Submission.objects.create(
            user=user, exercise=item.exercise, exercise_version=item.exercise.version, code="def conv2d(): ...",
            created_at=at, queued_at=at,
        )  # fmt: skip
        record_attempt(item, user, submission)
        if score is not None:
            token = str(submission.grading_token)
            assert Submission.mark_started(submission.pk, token)
            assert Submission.record_result(submission.pk, token, result(score, **options))
        submission.refresh_from_db()
        return submission

    return make


def strict_client(user) -> Client:
    """A client that, like a browser, must send the CSRF token."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def text(html: bytes | str) -> str:
    """The page's text without tags, whitespace squeezed."""
    html = html.decode() if isinstance(html, bytes) else html
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def row(html: bytes | str, attribute: str, value: str) -> str:
    """The text of the table row ``<tr attribute="value">``."""
    html = html.decode() if isinstance(html, bytes) else html
    match = re.search(rf'<tr [^>]*{attribute}="{re.escape(value)}"[^>]*>(.*?)</tr>', html, re.S)
    assert match, f"no row {attribute}={value}"
    return text(match.group(1))


def assert_login_redirect(response, path: str) -> None:
    assert response.status_code == 302, response.status_code
    assert response["Location"].startswith("/accounts/login/?next="), response["Location"]

"""Data for the offering tests: an offering in Berlin, an exercise it grades, people in it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from stride.api.models import ApiToken
from stride.exercises.models import Exercise
from stride.offerings.models import Enrollment, GradedItem, Offering
from tests.api.support import ApiClient, Persona

STARTER = "import numpy as np\n\n\ndef conv2d(image, kernel):\n    ...\n"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_rate_limit(settings) -> None:
    """These tests are about attempt limits, not the per-user rate limit."""
    settings.STRIDE_SUBMISSION_RATE_COUNT = 0


@pytest.fixture
def offering(db) -> Offering:
    return Offering.objects.create(slug="cnn-101", title="How CNNs see", time_zone="Europe/Berlin")


@pytest.fixture
def exercise(db) -> Exercise:
    return Exercise.objects.create(
        slug="conv2d", title="2D convolution", function="conv2d", version="0123456789abcdef",
        statement="# 2D convolution", starter=STARTER, order=1, max_points=20.0,
    )  # fmt: skip


@pytest.fixture
def make_user(db) -> Callable[..., Any]:
    def make(name: str, offering: Offering | None = None, role: str = Enrollment.Role.STUDENT, **fields: Any):
        user = get_user_model().objects.create_user(username=name, password=None, **fields)
        if offering is not None:
            Enrollment.objects.create(offering=offering, user=user, role=role)
        return user

    return make


@pytest.fixture
def persona(make_user) -> Callable[..., Persona]:
    """A user with an API client carrying their bearer token."""

    def make(name: str, offering: Offering | None = None, role: str = Enrollment.Role.STUDENT, **fields: Any):
        user = make_user(name, offering, role, **fields)
        _, token = ApiToken.issue(user)
        return Persona(name=name, user=user, password=None, api=ApiClient(token))

    return make


@pytest.fixture
def make_item(offering: Offering, exercise: Exercise) -> Callable[..., GradedItem]:
    def make(**fields: Any) -> GradedItem:
        fields.setdefault("offering", offering)
        fields.setdefault("exercise", exercise)
        return GradedItem.objects.create(**fields)

    return make


def ago(**delta: float) -> datetime:
    return timezone.now() - timedelta(**delta)


def ahead(**delta: float) -> datetime:
    return timezone.now() + timedelta(**delta)

"""Personas and data for the API tests.

Student A and student B take the offering ``cnn-101``; the instructor teaches it; the
outsider has an account but no enrollment; staff is a site staff member; anonymous sends
no credentials. Each persona has an :class:`~tests.api.support.ApiClient` carrying its
own bearer token (anonymous: none), so ``student_a.api.get(...)`` calls as student A.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from kombu.simple import SimpleQueue

from stride.api.models import ApiToken
from stride.courses.models import Course
from stride.exercises.models import Exercise
from stride.offerings.models import Enrollment, Offering
from stride.submissions.models import GRADING_QUEUE, Submission
from tests.api.support import ApiClient, Persona, sample_result

PASSWORD = "correct horse battery staple"  # noqa: S105 - test accounts only
STARTER = "import numpy as np\n\n\ndef conv2d(image, kernel):\n    ...\n"
SOLUTION = "import numpy as np\n\n\ndef conv2d(image, kernel):\n    return np.zeros((1, 1))\n"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    """PBKDF2 at production strength costs a third of a second per password."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def offering(db) -> Offering:
    return Offering.objects.create(slug="cnn-101", title="How CNNs see")


@pytest.fixture
def exercise(db) -> Exercise:
    return Exercise.objects.create(
        slug="conv2d",
        title="2D convolution",
        function="conv2d",
        version="0123456789abcdef",
        statement="# 2D convolution\n\nSlide the kernel over the image.",
        starter=STARTER,
        order=1,
        max_points=22.0,
    )


@pytest.fixture
def other_exercise(db) -> Exercise:
    return Exercise.objects.create(
        slug="relu",
        title="ReLU",
        function="relu",
        version="fedcba9876543210",
        statement="# ReLU",
        starter="def relu(x):\n    ...\n",
        order=2,
        max_points=9.0,
    )


def _persona(name: str, offering: Offering | None = None, role: str | None = None, **fields: Any) -> Persona:
    user = get_user_model().objects.create_user(username=name, password=PASSWORD, **fields)
    if offering is not None and role is not None:
        Enrollment.objects.create(offering=offering, user=user, role=role)
    _, token = ApiToken.issue(user)
    return Persona(name=name, user=user, password=PASSWORD, api=ApiClient(token))


@pytest.fixture
def student_a(offering: Offering) -> Persona:
    return _persona("student_a", offering, Enrollment.Role.STUDENT)


@pytest.fixture
def student_b(offering: Offering) -> Persona:
    return _persona("student_b", offering, Enrollment.Role.STUDENT)


@pytest.fixture
def instructor(offering: Offering) -> Persona:
    return _persona("instructor", offering, Enrollment.Role.INSTRUCTOR)


@pytest.fixture
def teaching_assistant(offering: Offering) -> Persona:
    return _persona("ta", offering, Enrollment.Role.TA)


@pytest.fixture
def outsider(db) -> Persona:
    return _persona("outsider")


@pytest.fixture
def staff(db) -> Persona:
    return _persona("staff", is_staff=True)


@pytest.fixture
def anonymous(db) -> Persona:
    return Persona(name="anonymous", user=None, password=None, api=ApiClient())


@pytest.fixture
def make_submission(exercise: Exercise) -> Callable[..., Submission]:
    """Store a submission through the pipeline's own state moves (no broker involved).

    ``state`` is queued, running or graded (with ``result``, by default a failed grading
    that has a visible and a hidden test); ``created_at`` backdates it.
    """

    def make(
        persona: Persona,
        *,
        exercise: Exercise = exercise,
        code: str = SOLUTION,
        state: str = "queued",
        result: dict[str, Any] | None = None,
        created_at: datetime | None = None,
    ) -> Submission:
        submission = Submission.objects.create(
            user=persona.user, exercise=exercise, exercise_version=exercise.version, code=code
        )
        token = str(submission.grading_token)
        if state in ("running", "graded"):
            assert Submission.mark_started(submission.pk, token)
        if state == "graded":
            assert Submission.record_result(submission.pk, token, result or sample_result(exercise.slug))
        if created_at is not None:
            Submission.objects.filter(pk=submission.pk).update(created_at=created_at, queued_at=created_at)
        submission.refresh_from_db()
        return submission

    return make


class GradingQueue:
    """The broker's grading queue, read directly (no worker runs in these tests)."""

    def __init__(self, queue: SimpleQueue) -> None:
        self.queue = queue

    def drain(self) -> list[dict[str, Any]]:
        """Take every message off the queue: ``{"task": name, "args": [...]}`` each."""
        taken = []
        while True:
            try:
                message = self.queue.get(block=True, timeout=0.5)
            except self.queue.Empty:
                return taken
            args, _kwargs, _embed = message.payload
            taken.append({"task": message.headers.get("task"), "args": args})
            message.ack()


@pytest.fixture
def grading_queue() -> Iterator[GradingQueue]:
    """The grading queue, emptied before and after the test so no message outlives it.

    Under ``make test`` this is the suite's Redis database (15), otherwise the embedded
    broker in the suite's temporary folder; nothing consumes it while the test runs.
    """
    from stride.celery import app

    with app.connection_for_write() as connection:
        queue = connection.SimpleQueue(GRADING_QUEUE)
        queue.clear()
        try:
            yield GradingQueue(queue)
        finally:
            queue.clear()
            queue.close()


@pytest.fixture(autouse=True)
def _private_cache(settings) -> None:
    """A cache of the test's own: counts of wrong passwords must not leak between tests."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": uuid.uuid4().hex}
    }


@pytest.fixture(autouse=True)
def _forget_remembered_answers() -> Iterator[None]:
    """Each web process remembers tokens and finished submissions for a few seconds; ids
    repeat between tests on SQLite, so every test starts with an empty memory."""
    from stride.api import views
    from stride.api.models import _auth_cache

    _auth_cache.clear()
    views._finished_cache.clear()
    yield
    _auth_cache.clear()
    views._finished_cache.clear()


@pytest.fixture
def course(offering: Offering):
    """The demo course package synced into the database, taught through the offering cnn-101."""
    from stride.courses.package import COURSES_DIR, load_course
    from stride.courses.sync import sync_course

    sync_course(load_course(COURSES_DIR / "cnn-features"))
    synced = Course.objects.get(slug="cnn-features")
    offering.course = synced
    offering.save(update_fields=["course"])
    return synced

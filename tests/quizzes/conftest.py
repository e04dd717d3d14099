"""Data for the quiz tests: the demo course synced, an offering of it, and its students."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.contrib.auth import get_user_model

from stride.courses.models import Course
from stride.courses.package import COURSES_DIR, load_course
from stride.offerings.models import Enrollment, Offering
from stride.quizzes.models import Quiz
from stride.quizzes.variants import forget_generators


@pytest.fixture(autouse=True)
def _fresh_generators() -> Iterator[None]:
    """Course ids repeat between tests: no test may see another's cached generators module."""
    forget_generators()
    yield
    forget_generators()


@pytest.fixture(scope="session")
def demo_package():
    return load_course(COURSES_DIR / "cnn-features")


@pytest.fixture
def course(db, demo_package) -> Course:
    from stride.courses.sync import sync_course

    sync_course(demo_package)
    return Course.objects.get(slug="cnn-features")


@pytest.fixture
def offering(course: Course) -> Offering:
    return Offering.objects.create(slug="cnn-101", title="How CNNs see", course=course)


@pytest.fixture
def make_user(db) -> Callable[..., object]:
    def make(name: str, offering: Offering | None = None, role: str = Enrollment.Role.STUDENT, **fields):
        user = get_user_model().objects.create_user(username=name, password=None, **fields)  # no hashing: fast
        if offering is not None:
            Enrollment.objects.create(offering=offering, user=user, role=role)
        return user

    return make


@pytest.fixture
def student(make_user, offering: Offering):
    return make_user("student", offering)


@pytest.fixture
def other_student(make_user, offering: Offering):
    return make_user("other", offering)


@pytest.fixture
def pooling_quiz(course: Course) -> Quiz:
    return Quiz.objects.select_related("course").get(course=course, key="stride-padding-pooling")


@pytest.fixture
def kernels_quiz(course: Course) -> Quiz:
    return Quiz.objects.select_related("course").get(course=course, key="kernels-and-feature-maps")

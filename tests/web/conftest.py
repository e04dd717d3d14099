"""Personas and data of the page tests: the demo course, taught through an offering.

A student and another student are enrolled; the outsider has an account but no enrolment.
Each persona comes with a logged-in test client.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from stride.courses.models import Course
from stride.courses.package import COURSES_DIR, load_course
from stride.courses.sync import sync_course
from stride.offerings.models import Enrollment, Offering


@dataclass
class Visitor:
    user: object | None
    client: Client


@pytest.fixture(autouse=True)
def _fast_hashing(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def course(db) -> Course:
    sync_course(load_course(COURSES_DIR / "cnn-features"))
    return Course.objects.get(slug="cnn-features")


@pytest.fixture
def offering(course: Course) -> Offering:
    return Offering.objects.create(slug="spring", title="Spring term", course=course)


def _visitor(username: str, offering: Offering | None = None) -> Visitor:
    user = get_user_model().objects.create_user(username=username, password="pw", email=f"{username}@example.org")
    if offering is not None:
        Enrollment.objects.create(offering=offering, user=user)
    client = Client()
    client.force_login(user)
    return Visitor(user, client)


@pytest.fixture
def student(offering: Offering) -> Visitor:
    return _visitor("ada", offering)


@pytest.fixture
def other_student(offering: Offering) -> Visitor:
    return _visitor("grace", offering)


@pytest.fixture
def outsider(course: Course) -> Visitor:
    return _visitor("outsider")


@pytest.fixture
def anonymous(db) -> Visitor:
    return Visitor(None, Client())

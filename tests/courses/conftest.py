"""Fixtures for the course tests: the demo package copied to a folder of the test's own, synced."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from stride.courses.models import Course
from stride.courses.package import COURSES_DIR, load_course
from stride.courses.sync import SyncReport, sync_course


@pytest.fixture
def package_dir(tmp_path: Path) -> Path:
    """A private copy of the demo package, free to edit."""
    target = tmp_path / "cnn-features"
    shutil.copytree(COURSES_DIR / "cnn-features", target)
    return target


@pytest.fixture
def sync(package_dir: Path, db) -> Callable[[], SyncReport]:
    """Load the package copy as it is now and sync it."""

    def run() -> SyncReport:
        return sync_course(load_course(package_dir))

    return run


@pytest.fixture
def course(sync) -> Course:
    sync()
    return Course.objects.get(slug="cnn-features")


@pytest.fixture
def student(db):
    return get_user_model().objects.create_user(username="student", password="x")


@pytest.fixture
def other_student(db):
    return get_user_model().objects.create_user(username="other", password="x")


def rewrite(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")

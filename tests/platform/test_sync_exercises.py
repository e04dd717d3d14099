"""manage.py sync_exercises: the exercise table follows the packages in exercises/."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from stride.exercises.models import Exercise

EXERCISES = Path(__file__).resolve().parents[2] / "exercises"


def sync(root: Path) -> str:
    out = io.StringIO()
    call_command("sync_exercises", "--root", str(root), stdout=out)
    return out.getvalue()


@pytest.fixture
def root(tmp_path: Path) -> Path:
    for slug in ("relu", "conv2d"):
        shutil.copytree(EXERCISES / slug, tmp_path / slug)
    return tmp_path


@pytest.mark.django_db
def test_it_creates_then_leaves_alone_then_updates(root: Path) -> None:
    assert sync(root).strip() == "created: conv2d, relu"
    assert set(Exercise.objects.values_list("slug", flat=True)) == {"conv2d", "relu"}
    assert sync(root).strip() == "unchanged: conv2d, relu"
    statement = root / "relu" / "statement.md"
    statement.write_text(statement.read_text() + "\nOne more sentence.\n")
    assert sync(root).strip().splitlines() == ["updated: relu", "unchanged: conv2d"]
    relu = Exercise.objects.get(slug="relu")
    assert relu.statement.endswith("One more sentence.\n")
    assert relu.max_points > 0


@pytest.mark.django_db
def test_it_refuses_a_broken_package_naming_the_file_and_changes_nothing(root: Path) -> None:
    (root / "relu" / "exercise.toml").write_text('slug = "relu"\ntitle = \n')
    with pytest.raises(CommandError, match=r"relu/exercise\.toml:2"):
        sync(root)
    assert not Exercise.objects.exists()

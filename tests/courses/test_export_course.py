"""export_course writes the stored course in the package format: importing it gives the same course."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from stride.courses.models import Course, Step, StepProgress
from stride.courses.package import COURSES_DIR, load_course
from stride.courses.sync import sync_course


def test_it_round_trips_the_demo_course(course: Course, tmp_path: Path) -> None:
    out = StringIO()
    call_command("export_course", "cnn-features", str(tmp_path / "out"), stdout=out)
    assert "wrote 12 files" in out.getvalue()
    exported = load_course(tmp_path / "out")
    assert exported.content() == load_course(COURSES_DIR / "cnn-features").content()
    # Generated glossary cards are not written out: they are made again from the glossary.
    assert "term-" not in (tmp_path / "out" / "flashcards.toml").read_text(encoding="utf-8")


def test_it_imports_its_own_export_without_changes_and_keeps_progress(course: Course, tmp_path: Path, student) -> None:
    step = Step.objects.filter(lesson__course=course).first()
    StepProgress.objects.create(user=student, step=step)
    call_command("export_course", "cnn-features", str(tmp_path / "out"), stdout=StringIO())
    report = sync_course(load_course(tmp_path / "out"))
    assert not report.created and not report.updated and not report.retired
    assert StepProgress.objects.filter(user=student, step=step).exists()


def test_it_leaves_retired_items_out(course: Course, tmp_path: Path) -> None:
    Step.objects.filter(lesson__key="how-a-cnn-extracts-features", key="tutor-2").update(retired=True)
    call_command("export_course", "cnn-features", str(tmp_path / "out"), stdout=StringIO())
    lesson = load_course(tmp_path / "out").lessons["how-a-cnn-extracts-features"]
    assert "tutor-2" not in [s.id for s in lesson.steps] and len(lesson.steps) == 6


def test_it_refuses_an_unknown_course_and_a_folder_that_is_not_empty(course: Course, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no course 'nope' \\(known: cnn-features\\)"):
        call_command("export_course", "nope", str(tmp_path / "out"))
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "notes.txt").write_text("mine")
    with pytest.raises(CommandError, match="not empty"):
        call_command("export_course", "cnn-features", str(tmp_path / "full"))
    assert sorted(p.name for p in (tmp_path / "full").iterdir()) == ["notes.txt"]
    call_command("export_course", "cnn-features", str(tmp_path / "full"), "--force", stdout=StringIO())
    assert (tmp_path / "full" / "course.toml").is_file() and (tmp_path / "full" / "notes.txt").is_file()

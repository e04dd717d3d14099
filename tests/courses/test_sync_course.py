"""sync_course: imports a package in place, idempotently, and never deletes students' data."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from stride.courses.models import Course, Lesson, Step, StepProgress
from stride.flashcards.models import Card, CardState, ReviewLog
from stride.glossary.models import Term
from stride.quizzes.models import Question, QuizAttempt
from tests.courses.conftest import rewrite

LESSON = "how-a-cnn-extracts-features"


def counts() -> dict[str, int]:
    return {
        "lessons": Lesson.objects.filter(retired=False).count(),
        "steps": Step.objects.filter(retired=False).count(),
        "terms": Term.objects.filter(retired=False).count(),
        "cards": Card.objects.filter(retired=False).count(),
        "questions": Question.objects.filter(retired=False).count(),
    }


def test_it_creates_the_whole_demo_course(sync) -> None:
    report = sync()
    assert report.course_created
    assert counts() == {"lessons": 6, "steps": 36, "terms": 19, "cards": 30 + 19, "questions": 26}
    assert report.created["step"] == 36 and report.created["card"] == 49
    lesson = Lesson.objects.get(key=LESSON)
    assert (lesson.number, lesson.section.number, lesson.section.module.number) == ("6.2.2.2", "6.2.2", "6.2")
    assert [s.key for s in lesson.steps.order_by("position")][:2] == ["tutor", "a-kernel-slides-over"]
    # Every glossary term also becomes a flashcard.
    term_card = Card.objects.get(key="term-stride")
    assert term_card.term.key == "stride" and "stride" in term_card.front
    assert Term.objects.get(key="stride").search_text.islower()


def test_it_changes_nothing_when_synced_again(sync) -> None:
    sync()
    stamps = {s.pk: s.content for s in Step.objects.all()}
    report = sync()
    assert not report.changed() and not report.retired
    assert report.unchanged == {"module": 1, "section": 3, "lesson": 6, "step": 36, "term": 19, "card": 49,
                                "quiz": 2, "question": 26}  # fmt: skip
    assert {s.pk: s.content for s in Step.objects.all()} == stamps


def test_it_updates_an_edited_item_in_place(sync, package_dir: Path) -> None:
    sync()
    step = Step.objects.get(lesson__key=LESSON, key="tutor")
    rewrite(package_dir / "lessons" / f"{LESSON}.toml", "Hi, I'm Ada.", "Hello, I am Ada.")
    report = sync()
    assert report.updated == {"step": 1}
    step.refresh_from_db()
    assert step.content["text"].lstrip().startswith("Hello, I am Ada.")
    assert Course.objects.get().version != "" and report.changed()


def test_it_retires_removed_items_and_keeps_students_data(sync, package_dir: Path, student) -> None:
    sync()
    step = Step.objects.get(lesson__key=LESSON, key="tutor-2")
    card = Card.objects.get(key="stride-halves")
    question = Question.objects.get(key="q1-same-meaning")
    StepProgress.objects.create(user=student, step=step)
    CardState.objects.create(user=student, card=card, due=step.lesson.course.created_at, state=2)
    ReviewLog.objects.create(user=student, card=card, rating=3, due_after=step.lesson.course.created_at)
    QuizAttempt.objects.create(user=student, quiz=question.quiz, number=1, score=1, points=1, max_points=1)

    lesson_file = package_dir / "lessons" / f"{LESSON}.toml"
    text = lesson_file.read_text(encoding="utf-8")
    blocks = text.split("[[steps]]\n")
    lesson_file.write_text("[[steps]]\n".join(b for b in blocks if 'id = "tutor-2"' not in b), encoding="utf-8")
    cards_file = package_dir / "flashcards.toml"
    blocks = cards_file.read_text(encoding="utf-8").split("[[card]]\n")
    cards_file.write_text("[[card]]\n".join(b for b in blocks if 'id = "stride-halves"' not in b), encoding="utf-8")
    quiz_file = package_dir / "quizzes" / "stride-padding-pooling.toml"
    blocks = quiz_file.read_text(encoding="utf-8").split("[[questions]]\n")
    quiz_file.write_text("[[questions]]\n".join(b for b in blocks if '"q1-same-meaning"' not in b), encoding="utf-8")

    report = sync()
    assert report.retired == {"step": 1, "card": 1, "question": 1}
    for row in (step, card, question):
        row.refresh_from_db()
        assert row.retired
    assert StepProgress.objects.filter(user=student, step=step).exists()
    assert CardState.objects.filter(user=student, card=card).exists()
    assert ReviewLog.objects.filter(user=student, card=card).exists()
    assert QuizAttempt.objects.filter(user=student).count() == 1

    # Putting the step back brings back the same row, with the progress still attached.
    lesson_file.write_text(text, encoding="utf-8")
    report = sync()
    step.refresh_from_db()
    assert not step.retired and report.updated["step"] >= 1
    assert StepProgress.objects.filter(user=student, step=step).exists()


def test_it_moves_a_lesson_between_sections_without_losing_progress(sync, package_dir: Path, student) -> None:
    sync()
    lesson = Lesson.objects.get(key="pooling-in-practice")
    StepProgress.objects.create(user=student, step=lesson.steps.first())
    course_file = package_dir / "course.toml"
    rewrite(course_file, ', "pooling-in-practice"', "")
    rewrite(
        course_file,
        'lessons = ["convolution-at-three-depths"]',
        'lessons = ["convolution-at-three-depths", "pooling-in-practice"]',
    )
    sync()
    lesson.refresh_from_db()
    assert lesson.section.key == "images-and-kernels" and lesson.position == 1
    assert StepProgress.objects.filter(user=student, step__lesson=lesson).count() == 1


def test_it_refuses_a_broken_package_without_changing_anything(sync, package_dir: Path) -> None:
    sync()
    before = counts()
    rewrite(package_dir / "lessons" / f"{LESSON}.toml", 'type = "tutor"', 'type = "lecture"')
    rewrite(package_dir / "glossary.toml", 'id = "stride"', 'id = "Stride!"')
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("sync_course", str(package_dir), stdout=StringIO(), stderr=err)
    assert re.search(rf"lessons/{LESSON}\.toml:\d+: unknown step type 'lecture'", err.getvalue())
    assert re.search(r"glossary\.toml:\d+: term id 'Stride!' must be", err.getvalue())
    assert counts() == before


def test_it_prints_what_it_created_updated_and_left_alone(package_dir: Path, db) -> None:
    out = StringIO()
    call_command("sync_course", str(package_dir), stdout=out)
    assert "course cnn-features: created" in out.getvalue()
    assert (
        "created: 1 module, 3 sections, 6 lessons, 36 steps, 19 terms, 49 cards, 2 quizzes, 26 questions"
        in out.getvalue()
    )
    rewrite(package_dir / "glossary.toml", 'term = "stride"', 'term = "stride length"')
    out = StringIO()
    call_command("sync_course", str(package_dir), stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "course cnn-features: synced"
    assert "  updated: 1 term, 1 card" in lines  # the term and the flashcard made from it
    assert any(
        line.startswith("  unchanged: 1 module, 3 sections, 6 lessons, 36 steps, 18 terms, 48 cards") for line in lines
    )


def test_it_syncs_every_package_when_given_no_path(db) -> None:
    out = StringIO()
    call_command("sync_course", stdout=out)
    assert "course cnn-features: created" in out.getvalue()
    assert Course.objects.filter(slug="cnn-features").exists()

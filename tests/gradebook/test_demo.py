"""seed_demo's grading step: the demo offering grades its course, and an export shows real rows."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import call_command

from stride.gradebook.grades import compute_gradebook
from stride.offerings.models import Enrollment, ExerciseAttempt, Extension, GradedItem, Offering
from stride.quizzes.models import QuizAttempt
from stride.submissions.models import Submission

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _demo_password(monkeypatch) -> None:
    monkeypatch.setenv("STRIDE_DEMO_PASSWORD", "demo password")


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def counts() -> tuple[int, ...]:
    models = (GradedItem, Enrollment, Submission, ExerciseAttempt, QuizAttempt, Extension)
    return tuple(model.objects.count() for model in models)


def test_the_demo_offering_has_graded_work_and_running_it_again_adds_nothing() -> None:
    out = run("seed_demo")
    assert "grading:" in out
    demo = Offering.objects.get(slug="demo")
    assert demo.time_zone == "Europe/Berlin"
    assert GradedItem.objects.filter(offering=demo, exercise__isnull=False).exists()
    assert GradedItem.objects.filter(offering=demo, quiz__isnull=False).exists()
    assert Submission.objects.filter(status="graded").count() >= 5
    assert not Submission.objects.exclude(status="graded").exists()  # no grader was needed
    before = counts()
    assert "0 submissions and 0 quiz attempts added" in run("seed_demo")
    assert counts() == before


def test_export_grades_demo_canvas_shows_real_rows() -> None:
    run("seed_demo")
    rows = list(csv.reader(io.StringIO(run("export_grades", "demo", "--format", "canvas"), newline="")))
    assert rows[0][:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    assert rows[1][0] == "Points Possible"
    students = {row[3]: row for row in rows[2:]}
    assert {"ada", "alan", "grace", "katherine", "student"} <= set(students)
    assert students["ada"][0] == "Lovelace, Ada" and students["ada"][2] == "S1001"
    graded = [cell for row in rows[2:] for cell in row[5:] if cell]
    assert len(graded) >= 8 and all(float(cell) >= 0 for cell in graded)
    book = compute_gradebook(Offering.objects.get(slug="demo"))
    assert [number for row in book.rows for number in [row.total]] and max(r.total for r in book.rows) > 0
    late = [a for _, _, a in book.details() if a.days_late and a.accepted and a.penalty_percent]
    assert late, "the demo shows a late penalty"
    assert any(cell.extended for row in book.rows for cell in row.cells)

"""Authoring checks: validating exercise packages through the grader, and checking quizzes.

Validating an exercise runs the student's code path in reverse: the reference must pass its
own tests, every ``good_*`` sample must score 100 % and every ``bad_*`` sample must fail (the
tests ``sample_checks`` names for it among them). That means running code, so it never
happens in a web process: :func:`request_validation` stores a
:class:`~stride.gradebook.models.ValidationRun` and sends ``stride.validate`` to the grading
queue once the transaction commits; the grading worker runs ``grader.validate`` in its
sandbox and answers with ``stride.record_validation`` on the results queue (when it starts,
and with the report), which :func:`record_validation` stores with a conditional update on
the run's token and status, so a repeated or stale message changes nothing.

Quizzes hold no code of the student's; :func:`check_quiz` draws a few variants of each
question with the course's generators (as the quiz pages do for students) and grades each
variant's answer against itself, which catches generators that fail or disagree with the
grading rules.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from celery import shared_task
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone

from stride.exercises.models import Exercise
from stride.gradebook.models import ValidationRun

logger = logging.getLogger(__name__)

VALIDATE_TASK = "stride.validate"
RECORD_TASK = "stride.record_validation"
GRADING_QUEUE = "grading"
#: A run still queued or running after this long most likely lost its message: it may be run again.
STALE_AFTER = timedelta(minutes=15)
#: What is kept of a report: the grader is trusted, but sample output can be long.
MAX_LINES, MAX_LINE = 200, 2000
IN_FLIGHT = (ValidationRun.Status.QUEUED, ValidationRun.Status.RUNNING)

# The states a list of exercises shows.
NEVER, QUEUED, RUNNING, PASSED, FAILED, ERROR, OUTDATED, STALE = (
    "never", "queued", "running", "passed", "failed", "error", "outdated", "stale",
)  # fmt: skip
STATE_LABELS = {
    NEVER: "not validated yet",
    QUEUED: "queued",
    RUNNING: "running",
    PASSED: "passed",
    FAILED: "problems found",
    ERROR: "could not run",
    OUTDATED: "package changed since",
    STALE: "no answer from the grader",
}


def _stale(run: ValidationRun) -> bool:
    return run.status in IN_FLIGHT and run.created_at < timezone.now() - STALE_AFTER


def state(run: ValidationRun | None, exercise: Exercise) -> str:
    """One word for the exercise's validation: the latest run's outcome, or why it no longer holds."""
    if run is None:
        return NEVER
    if _stale(run):
        return STALE
    if run.status in IN_FLIGHT:
        return run.status
    if run.status == ValidationRun.Status.ERROR:
        return ERROR
    if (run.validated_version or run.version) != exercise.version:
        return OUTDATED
    return PASSED if run.passed else FAILED


def latest_runs(exercises: list[Exercise]) -> dict[int, ValidationRun]:
    """Exercise id -> its newest validation run (exercises never validated are left out)."""
    found: dict[int, ValidationRun] = {}
    runs = ValidationRun.objects.filter(exercise__in=[e.pk for e in exercises]).order_by(
        "exercise_id", "-created_at", "-id"
    )
    for run in runs.select_related("requested_by"):
        found.setdefault(run.exercise_id, run)
    return found


def send_validation(run_id: int, slug: str, token: str) -> None:
    """Send the work to the grading queue; a broker that is down ends the run as an error at once.

    Nothing sweeps validation runs, so rather than leave one queued for ever it says what went wrong.
    """
    from stride.celery import app

    try:
        app.send_task(VALIDATE_TASK, args=[run_id, slug, token], queue=GRADING_QUEUE)
    except Exception:
        logger.exception("validation run %s stored but not sent to the broker", run_id)
        ValidationRun.objects.filter(pk=run_id, status=ValidationRun.Status.QUEUED).update(
            status=ValidationRun.Status.ERROR,
            report={"message": "the grading queue could not be reached; try again in a moment"},
            finished_at=timezone.now(),
        )


def request_validation(exercise: Exercise, *, by=None) -> tuple[ValidationRun, bool]:
    """A run validating ``exercise``: the one already on its way for this version, or a new one.

    Returns (run, created). A new run is sent to the grading queue after the transaction commits.
    """
    with transaction.atomic():
        # One requester at a time per exercise: two clicks make one run.
        Exercise.objects.select_for_update().filter(pk=exercise.pk).first()
        waiting = (
            ValidationRun.objects.filter(exercise=exercise, version=exercise.version, status__in=IN_FLIGHT)
            .order_by("-created_at", "-id")
            .first()
        )
        if waiting is not None and not _stale(waiting):
            return waiting, False
        run = ValidationRun.objects.create(
            exercise=exercise, version=exercise.version, requested_by=by if by and by.is_authenticated else None
        )
        pk, slug, token = run.pk, exercise.slug, str(run.token)
        transaction.on_commit(lambda: send_validation(pk, slug, token))
    return run, True


def _text_list(value: Any) -> list[str]:
    if not isinstance(value, list):
        return []
    return [str(item)[:MAX_LINE] for item in value[:MAX_LINES]]


def clean_report(report: dict[str, Any]) -> dict[str, Any]:
    """What is stored of a grader's report: known keys, bounded lists of text."""
    kept: dict[str, Any] = {"problems": _text_list(report.get("problems")), "lines": _text_list(report.get("lines"))}
    if report.get("message"):
        kept["message"] = str(report["message"])[:MAX_LINE]
    duration = report.get("duration_ms")
    if isinstance(duration, int | float) and not isinstance(duration, bool):
        kept["duration_ms"] = int(duration)
    return kept


def record(run_id: int, token: str, report: dict[str, Any]) -> bool:
    """Store one message of the grading worker about run ``run_id``; False when it changes nothing.

    ``{"status": "running"}`` moves a queued run to running; ``"done"`` (with ``passed``,
    ``problems``, ``lines``, ``version``) or ``"error"`` (with ``message``) finishes a run
    that has not finished yet. A token that is not the run's, or a second answer, is ignored.
    """
    if not isinstance(report, dict):
        return False
    status = report.get("status")
    now = timezone.now()
    runs = ValidationRun.objects.filter(pk=run_id, token=token)
    if status == ValidationRun.Status.RUNNING:
        return bool(runs.filter(status=ValidationRun.Status.QUEUED).update(status=status, started_at=now))
    if status not in (ValidationRun.Status.DONE, ValidationRun.Status.ERROR):
        return False
    done = status == ValidationRun.Status.DONE
    changed = runs.filter(status__in=IN_FLIGHT).update(
        status=status,
        passed=bool(report.get("passed")) and not report.get("problems") if done else None,
        validated_version=str(report.get("version") or "")[:32],
        report=clean_report(report),
        finished_at=now,
    )
    if changed:
        # The finished message can overtake the started one.
        runs.filter(started_at__isnull=True).update(started_at=now)
    return bool(changed)


@shared_task(
    name=RECORD_TASK,
    acks_late=True,
    ignore_result=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    max_retries=8,
)
def record_validation(run_id: int, token: str, report: dict) -> None:
    """The results worker's side of ``stride.validate``."""
    if not record(run_id, token, report):
        logger.info("ignored a duplicate or stale validation message for run %s", run_id)


# -- quizzes ----------------------------------------------------------------------------------

#: Variants drawn per generated question: different students get different numbers.
QUIZ_SAMPLES = 5


@dataclass
class QuestionCheck:
    key: str
    type: str
    generated: bool
    problems: list[str] = field(default_factory=list)


@dataclass
class QuizCheck:
    questions: list[QuestionCheck]

    @property
    def problems(self) -> list[str]:
        return [f"{q.key}: {p}" for q in self.questions for p in q.problems]

    @property
    def passed(self) -> bool:
        return not self.problems


def _own_answer(question_type: str, answer: Any) -> Any:
    """The answer as a student would give it (text questions store every accepted spelling)."""
    if question_type == "text" and isinstance(answer, list):
        return answer[0] if answer else ""
    return answer


def check_quiz(quiz) -> QuizCheck:
    """Draw variants of every current question of ``quiz`` and grade each one's answer against itself."""
    from stride.quizzes.grading import grade_answer
    from stride.quizzes.models import Question
    from stride.quizzes.variants import VariantError, make_variant

    checks = []
    questions = Question.objects.filter(quiz=quiz, retired=False).select_related("quiz__course").order_by("position")
    for question in questions:
        check = QuestionCheck(key=question.key, type=question.type, generated=bool(question.generator))
        for sample in range(QUIZ_SAMPLES if question.generator else 1):
            try:
                variant = make_variant(
                    quiz.course,
                    (quiz.key, question.key, f"authoring-check-{sample}"),
                    prompt=question.prompt,
                    answer=question.answer,
                    generator=question.generator,
                )
            except VariantError as error:
                check.problems.append(str(error))
                break
            if variant.answer is None:
                check.problems.append("has no answer")
                break
            if question.type == "single" and variant.answer not in question.options:
                check.problems.append(f"the answer {variant.answer!r} is not one of the options")
                break
            try:
                outcome = grade_answer(
                    question.type,
                    variant.answer,
                    _own_answer(question.type, variant.answer),
                    options=question.options,
                    tolerance=question.tolerance,
                )
            except (ValueError, TypeError) as error:
                check.problems.append(f"cannot be graded: {error}")
                break
            if not outcome.correct:
                check.problems.append(f"its own answer is graded wrong ({outcome.message})")
                break
        checks.append(check)
    return QuizCheck(questions=checks)

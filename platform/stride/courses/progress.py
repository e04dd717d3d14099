"""A student's way through a lesson: which steps are done, which are open, and the architecture map.

Rules: the first step of a lesson is always open; a later step opens once the step before it
is completed (or it was completed earlier, so a step inserted by a re-sync never locks work
already done). What completes a step is in the step itself: ``read`` (the student says so),
``check`` (a correct answer to its question) or ``exercise`` (a passed submission).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Prefetch, Q, Value

from stride.courses.models import Course, Lesson, Section, Step, StepProgress
from stride.courses.package import LAYERS
from stride.quizzes.grading import grade_answer
from stride.quizzes.models import Quiz
from stride.quizzes.variants import make_variant
from stride.submissions.models import Submission

LAYER_LABELS = {
    "input": "Input",
    "conv": "Conv",
    "relu": "ReLU",
    "pool": "Pool",
    "conv2": "Conv",
    "relu2": "ReLU",
    "pool2": "Pool",
    "global-pool": "Global pooling",
    "dense": "Dense",
}
KERAS_NAMES = {
    "input": "Input",
    "conv": "Conv2D",
    "relu": "ReLU",
    "pool": "MaxPooling2D",
    "conv2": "Conv2D",
    "relu2": "ReLU",
    "pool2": "MaxPooling2D",
    "global-pool": "GlobalAveragePooling2D",
    "dense": "Dense",
}


@dataclass
class StepState:
    step: Step
    number: int  # 1-based place in the lesson
    completed: bool
    unlocked: bool


class StepLocked(Exception):
    """The step is not open yet: the one before it is not completed."""


class NotCompleted(Exception):
    """The step's condition is not met (wrong answer, exercise not passed); ``feedback`` says why."""

    def __init__(self, message: str, feedback: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.feedback = feedback or {}


def completed_step_ids(user, steps) -> set[int]:
    return set(StepProgress.objects.filter(user=user, step__in=steps).values_list("step_id", flat=True))


def lesson_states(user, lesson: Lesson) -> list[StepState]:
    steps = list(lesson.steps.filter(retired=False).select_related("exercise").order_by("position"))
    done = completed_step_ids(user, steps)
    states, previous_done = [], True
    for number, step in enumerate(steps, 1):
        completed = step.pk in done
        states.append(StepState(step, number, completed, unlocked=completed or previous_done))
        previous_done = completed
    return states


def exercise_passed(user, step: Step) -> bool:
    """Whether ``user`` has a graded submission with full marks for the step's exercise."""
    if step.exercise_id is None:
        return False
    return Submission.objects.filter(
        user=user, exercise_id=step.exercise_id, status=Submission.Status.GRADED, score__gte=1.0
    ).exists()


def check_variant(user, step: Step):
    """The caller's own variant of a check step's question (prompt and answer)."""
    question = step.question or {}
    return make_variant(
        step.lesson.course,
        (step.lesson.key, step.key, user.pk),
        prompt=question.get("prompt", ""),
        answer=question.get("answer"),
        generator=question.get("generator", ""),
    )


def complete_step(user, lesson: Lesson, number: int, answer: Any = None) -> tuple[StepState, dict[str, Any] | None]:
    """Complete step ``number`` (1-based) of ``lesson`` for ``user``.

    Returns the step's new state and, for a check step, the grading feedback. Raises
    IndexError for a step that does not exist, StepLocked, NotCompleted, or VariantError
    (from stride.quizzes.variants) when a check step's generator fails.
    """
    states = lesson_states(user, lesson)
    if not 1 <= number <= len(states):
        raise IndexError(number)
    state = states[number - 1]
    if not state.unlocked:
        raise StepLocked(f"complete step {number - 1} first")
    step, feedback = state.step, None
    if step.complete == Step.Completion.CHECK:
        question = step.question or {}
        outcome = grade_answer(
            question.get("type", ""),
            check_variant(user, step).answer,
            answer,
            options=question.get("options", []),
            tolerance=question.get("tolerance", 0.0),
        )
        feedback = {"correct": outcome.correct, "message": outcome.message}
        if not outcome.correct:
            raise NotCompleted("the answer is not correct yet", feedback)
        feedback["explanation"] = question.get("explanation", "")
    elif step.complete == Step.Completion.EXERCISE and not exercise_passed(user, step):
        slug = step.exercise.slug if step.exercise else step.content.get("exercise", "?")
        raise NotCompleted(f"pass the exercise {slug} (a submission with full marks) first")
    if not state.completed:
        try:
            with transaction.atomic():
                StepProgress.objects.create(user=user, step=step)
        except IntegrityError:
            pass  # completed at the same moment by another request: the same outcome
    return StepState(step, number, completed=True, unlocked=True), feedback


def architecture_map(user, course: Course) -> list[dict[str, Any]]:
    """The layers Input -> ... -> Dense, each unlocked once a step that unlocks it is completed.

    Only current steps of current lessons count: a lesson removed from the package keeps its
    steps as they were (retiring it does not touch them), and its progress comes back with it.
    """
    unlocked = set(
        StepProgress.objects.filter(
            user=user, step__lesson__course=course, step__retired=False, step__lesson__retired=False
        )
        .exclude(step__unlocks="")
        .values_list("step__unlocks", flat=True)
    )
    return [
        {"layer": layer, "label": LAYER_LABELS[layer], "keras": KERAS_NAMES[layer], "unlocked": layer in unlocked}
        for layer in LAYERS
    ]


def lesson_progress(user, course: Course) -> dict[int, tuple[int, int]]:
    """Lesson id -> (completed steps, steps) for every lesson of the course; ``user`` None: nothing done."""
    done = (
        Count("steps__progress", filter=Q(steps__retired=False, steps__progress__user=user), distinct=True)
        if user is not None
        else Value(0)
    )
    rows = (
        Lesson.objects.filter(course=course, retired=False)
        .annotate(total=Count("steps", filter=Q(steps__retired=False), distinct=True), done=done)
        .values_list("pk", "done", "total")
    )
    return {pk: (done, total) for pk, done, total in rows}


def progress_totals(counts: dict[int, tuple[int, int]]) -> tuple[int, int]:
    """(completed steps, steps) over all the lessons of ``counts``."""
    return sum(d for d, _ in counts.values()), sum(t for _, t in counts.values())


def course_outline(course: Course, counts: dict[int, tuple[int, int]]) -> list[dict[str, Any]]:
    """Modules -> sections -> lessons (with done and total steps from ``counts``, see
    lesson_progress) and quizzes, in a fixed number of queries however many sections there are."""
    current = {"retired": False}
    sections = (
        Section.objects.filter(**current)
        .order_by("position")
        .prefetch_related(
            Prefetch("lessons", queryset=Lesson.objects.filter(**current).order_by("position")),
            Prefetch("quizzes", queryset=Quiz.objects.filter(**current).order_by("position")),
        )
    )
    modules = course.modules.filter(**current).order_by("position").prefetch_related(Prefetch("sections", sections))
    return [
        {
            "module": module,
            "sections": [
                {
                    "section": section,
                    "lessons": [
                        {"lesson": lesson, "done": counts[lesson.pk][0], "total": counts[lesson.pk][1]}
                        for lesson in section.lessons.all()
                    ],
                    "quizzes": list(section.quizzes.all()),
                }
                for section in module.sections.all()
            ],
        }
        for module in modules
    ]

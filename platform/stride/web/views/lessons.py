"""The lesson player: one step at a time, the architecture map beside it."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from stride.courses import access, progress
from stride.courses.api import step_content
from stride.courses.models import Lesson, Step
from stride.glossary.linking import glossary_terms
from stride.quizzes.grading import grid_shape
from stride.quizzes.variants import VariantError
from stride.web.forms import answer_from_form


def _lesson_for(request: HttpRequest, lesson_id: int) -> Lesson:
    lesson = get_object_or_404(Lesson.objects.select_related("course", "section"), pk=lesson_id, retired=False)
    if not access.is_enrolled(request.user, lesson.course):
        raise PermissionDenied("enrol in the course first")
    return lesson


def _step_url(lesson: Lesson, number: int) -> str:
    return f"{reverse('web:lesson', args=[lesson.pk])}?step={number}"


def matrix_shape(user, step: Step) -> tuple[int, int] | None:
    """The grid a matrix check question asks ``user`` for; None for other steps or an answer that is no grid."""
    if not step.question or step.question.get("type") != "matrix":
        return None
    try:
        return grid_shape(progress.check_variant(user, step).answer)
    except (VariantError, TypeError, ValueError):
        return None


@login_required
@require_http_methods(["GET", "POST"])
def lesson_player(request: HttpRequest, lesson_id: int) -> HttpResponse:
    lesson = _lesson_for(request, lesson_id)
    user = request.user
    states = progress.lesson_states(user, lesson)
    if not states:
        raise Http404("this lesson has no steps")
    next_step = next((s.number for s in states if not s.completed), None)
    feedback: dict[str, Any] | None = None
    submitted: Any = None

    if request.method == "POST":
        number = step_number(request.POST.get("step"), len(states))
        state = states[number - 1]
        submitted = answer_from_form(request.POST, state.step.question, matrix_shape(user, state.step))
        try:
            progress.complete_step(user, lesson, number, submitted)
        except progress.StepLocked:
            return redirect(_step_url(lesson, next_step or 1))
        except (progress.NotCompleted, VariantError) as failed:
            feedback = getattr(failed, "feedback", None) or {"correct": False, "message": str(failed)}
            current = number
        else:
            states = progress.lesson_states(user, lesson)
            following = next((s.number for s in states if not s.completed), None)
            return redirect(_step_url(lesson, min(number + 1, len(states)) if following else number))
    else:
        current = step_number(request.GET.get("step"), len(states), default=next_step or len(states))
        if not states[current - 1].unlocked:
            return redirect(_step_url(lesson, next_step or 1))

    state = states[current - 1]
    terms = glossary_terms(lesson.course)
    context = {
        "lesson": lesson,
        "course": lesson.course,
        "state": state,
        "step": state.step,
        "content": step_content(user, state.step, state.completed, terms),
        "number": current,
        "count": len(states),
        "states": states,
        "previous": current - 1 if current > 1 else None,
        "following": current + 1 if current < len(states) and states[current].unlocked else None,
        "layers": progress.architecture_map(user, lesson.course),
        "feedback": feedback,
        "matrix_shape": matrix_shape(user, state.step),
        "passed": state.step.type == "exercise" and progress.exercise_passed(user, state.step),
        "finished": next_step is None,
        "nav": "courses",
    }
    return render(request, "web/lesson.html", context, status=200 if feedback is None else 422)


def step_number(raw: str | None, count: int, default: int = 1) -> int:
    # ASCII only: str.isdigit() also accepts "²" and other digits int() refuses.
    if raw is None or not (raw.isascii() and raw.isdigit()):
        return default
    return min(max(int(raw[:6]), 1), count)

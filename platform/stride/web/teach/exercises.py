"""Authoring checks: exercises and quizzes with their validation state, validating an exercise
through the grader, previews of an exercise and a lesson as a student sees them, and trying a
solution without it ever counting.

Why a trial never counts: the gradebook (stride.gradebook.grades) takes code submissions only
through ``ExerciseAttempt`` rows of students enrolled as students, and only ``submit_code``
makes those, when stride.offerings.limits finds an item for which the submitter is a student.
A trial is stored with ``create_submission`` directly, so it never gets an attempt: it is in no
gradebook, no analytics and no regrade, and no attempt limit or deadline applies (the per-user
rate limit still does: the sandbox is shared). The grading itself is the normal pipeline's.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from grader.grade import MAX_CODE_BYTES
from stride.api.views import ApiError, check_rate
from stride.courses import progress
from stride.courses.api import step_content
from stride.courses.markdown import render_markdown
from stride.courses.models import Lesson
from stride.exercises.models import Exercise
from stride.glossary.linking import glossary_terms
from stride.gradebook import authoring
from stride.gradebook.models import ValidationRun
from stride.offerings.models import GradedItem, Offering
from stride.quizzes.models import Quiz
from stride.quizzes.variants import VariantError, render_param
from stride.submissions.models import Submission, create_submission
from stride.web.teach.access import local, offering_exercises, offering_for, page, workers_down
from stride.web.views.exercises import (
    accepted,
    code_refusal,
    history,
    latest_result,
    result_context,
    wants_json,
    without_title,
)
from stride.web.views.lessons import matrix_shape, step_number


def _teaching(request: HttpRequest, slug: str, *, instruct: bool = False) -> Offering:
    return offering_for(request, slug, instruct=instruct)


def _exercise(offering: Offering, slug: str) -> Exercise:
    found = offering_exercises(offering).filter(slug=slug).first()
    if found is None:
        raise Http404("this offering has no such exercise")
    return found


@login_required
@require_GET
def exercise_list(request: HttpRequest, offering: str) -> HttpResponse:
    """Every exercise and quiz of the offering with its validation state; the lessons to preview."""
    found = _teaching(request, offering)
    exercises = list(offering_exercises(found))
    runs = authoring.latest_runs(exercises)
    graded = dict(GradedItem.objects.filter(offering=found, exercise__isnull=False).values_list("exercise", "pk"))
    exercise_rows = []
    for exercise in exercises:
        run = runs.get(exercise.pk)
        state = authoring.state(run, exercise)
        exercise_rows.append(
            {
                "exercise": exercise,
                "run": run,
                "state": state,
                "label": authoring.STATE_LABELS[state],
                "when": local(run.finished_at or run.created_at, found) if run else "",
                "graded_item": graded.get(exercise.pk),
            }
        )
    quiz_rows = []
    if found.course_id is not None:
        graded_quizzes = set(
            GradedItem.objects.filter(offering=found, quiz__isnull=False).values_list("quiz", flat=True)
        )
        for quiz in Quiz.objects.filter(course=found.course_id, retired=False).select_related("course"):
            check = authoring.check_quiz(quiz)
            quiz_rows.append(
                {"quiz": quiz, "check": check, "count": len(check.questions), "graded": quiz.pk in graded_quizzes}
            )
    lessons = []
    if found.course_id is not None:
        lessons = list(Lesson.objects.filter(course=found.course_id, retired=False).select_related("section"))
    waiting = any(row["state"] in (authoring.QUEUED, authoring.RUNNING) for row in exercise_rows)
    context = page(
        request,
        found,
        "authoring",
        exercise_rows=exercise_rows,
        quiz_rows=quiz_rows,
        lessons=lessons,
        waiting=waiting,
        workers_down=workers_down() if waiting else [],
    )
    return render(request, "teach/exercises.html", context)


@login_required
@require_POST
def validate(request: HttpRequest, offering: str, slug: str) -> HttpResponse:
    """Ask the grader to validate the exercise's package (a run already on its way is reused)."""
    found = _teaching(request, offering, instruct=True)
    exercise = _exercise(found, slug)
    run, created = authoring.request_validation(exercise, by=request.user)
    if created:
        messages.success(request, f"Validation of {exercise.title} is queued for the grader.")
    else:
        messages.info(request, f"A validation of {exercise.title} is on its way already.")
    return redirect("web:teach-validation", offering=found.slug, run_id=run.pk)


@login_required
@require_GET
def validation(request: HttpRequest, offering: str, run_id: int) -> HttpResponse:
    """One validation run: its state (the page refreshes itself while it runs) and the grader's report."""
    found = _teaching(request, offering)
    run = ValidationRun.objects.select_related("exercise", "requested_by").filter(pk=run_id).first()
    if run is None or not offering_exercises(found).filter(pk=run.exercise_id).exists():
        raise Http404("no such validation")
    state = authoring.state(run, run.exercise)
    report = run.report or {}
    waiting = state in (authoring.QUEUED, authoring.RUNNING)
    context = page(
        request,
        found,
        "authoring",
        run=run,
        exercise=run.exercise,
        state=state,
        label=authoring.STATE_LABELS[state],
        report=report,
        waiting=waiting,
        workers_down=workers_down() if waiting else [],
        created=local(run.created_at, found),
        started=local(run.started_at, found),
        finished=local(run.finished_at, found),
        history=list(ValidationRun.objects.filter(exercise=run.exercise).select_related("requested_by")[:10]),
    )
    return render(request, "teach/validation.html", context)


@login_required
@require_GET
def exercise_preview(request: HttpRequest, offering: str, slug: str) -> HttpResponse:
    """The exercise as its students see it, without the submit button."""
    found = _teaching(request, offering)
    exercise = _exercise(found, slug)
    context = page(
        request,
        found,
        "authoring",
        exercise=exercise,
        statement_html=render_markdown(without_title(exercise.statement)),
    )
    return render(request, "teach/exercise_preview.html", context)


# -- trying a solution ------------------------------------------------------------------------


def _trial(request: HttpRequest, exercise: Exercise, submission_id: int) -> Submission:
    found = Submission.objects.filter(
        pk=submission_id, exercise=exercise, user=request.user, attempt__isnull=True
    ).first()
    if found is None:
        raise Http404("no such trial")
    return found


def submit_trial(user, exercise: Exercise, code: str) -> Submission:
    """Store a submission graded by the normal pipeline that no gradebook ever counts (see the module's doc)."""
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        check_rate(user)
        return create_submission(user, exercise, code)


def _trial_context(request: HttpRequest, offering: Offering, exercise: Exercise, **extra: Any) -> dict[str, Any]:
    return page(
        request,
        offering,
        "authoring",
        exercise=exercise,
        statement_html=render_markdown(without_title(exercise.statement)),
        history=history(request.user, exercise, trials_only=True),
        storage_key=f"stride:trial:{request.user.pk}:{offering.slug}:{exercise.slug}",
        max_code_bytes=MAX_CODE_BYTES,
        **extra,
    )


@login_required
@require_GET
def try_page(request: HttpRequest, offering: str, slug: str) -> HttpResponse:
    found = _teaching(request, offering)
    exercise = _exercise(found, slug)
    context = _trial_context(request, found, exercise)
    return render(request, "teach/try.html", {**context, "latest": latest_result(context["history"])})


def _refuse(request: HttpRequest, offering: Offering, exercise: Exercise, status: int, detail: str, headers=None):
    if wants_json(request):
        response = JsonResponse({"error": "refused", "detail": detail}, status=status)
        for name, value in (headers or {}).items():
            response[name] = value
        return response
    messages.error(request, detail)
    return redirect("web:teach-try", offering=offering.slug, slug=exercise.slug)


@login_required
@require_POST
def try_submit(request: HttpRequest, offering: str, slug: str) -> HttpResponse:
    found = _teaching(request, offering)
    exercise = _exercise(found, slug)
    code = request.POST.get("code")
    if code is None:
        return _refuse(request, found, exercise, 400, "the form has no code field")
    code = code.replace("\r\n", "\n")
    refusal = code_refusal(code)
    if refusal is not None:
        return _refuse(request, found, exercise, *refusal)
    try:
        submission = submit_trial(request.user, exercise, code)
    except ApiError as refused:
        return _refuse(request, found, exercise, refused.status, refused.detail, refused.headers)
    if wants_json(request):
        args = [found.slug, exercise.slug]
        return accepted(
            submission,
            reverse("web:teach-trial-result", args=[*args, submission.pk]),
            reverse("web:teach-try-history", args=args),
        )
    return redirect("web:teach-trial", offering=found.slug, slug=exercise.slug, submission_id=submission.pk)


@login_required
@require_GET
def trial_page(request: HttpRequest, offering: str, slug: str, submission_id: int) -> HttpResponse:
    found = _teaching(request, offering)
    exercise = _exercise(found, slug)
    trial = _trial(request, exercise, submission_id)
    context = page(request, found, "authoring", exercise=exercise, **result_context(trial))
    return render(request, "teach/trial.html", context)


@login_required
@require_GET
def trial_result(request: HttpRequest, offering: str, slug: str, submission_id: int) -> HttpResponse:
    found = _teaching(request, offering)
    exercise = _exercise(found, slug)
    return render(request, "web/_result.html", result_context(_trial(request, exercise, submission_id)))


@login_required
@require_GET
def trial_history(request: HttpRequest, offering: str, slug: str) -> HttpResponse:
    found = _teaching(request, offering)
    exercise = _exercise(found, slug)
    context = {"offering": found, "exercise": exercise, "history": history(request.user, exercise, trials_only=True)}
    return render(request, "teach/_trials.html", context)


# -- previewing a lesson ----------------------------------------------------------------------


def _check_answer(user, step) -> str:
    """The check question's answer for the caller's own variant, for the instructor's eyes."""
    if step.type != "check" or not step.question:
        return ""
    try:
        answer = progress.check_variant(user, step).answer
    except VariantError as error:
        return f"(the generator fails: {error})"
    if isinstance(answer, list) and answer and all(isinstance(row, list) for row in answer):
        return render_param(answer)
    if isinstance(answer, list):
        return "; ".join(str(a) for a in answer)
    return render_param(answer)


@login_required
@require_GET
def lesson_preview(request: HttpRequest, offering: str, lesson_id: int) -> HttpResponse:
    """Every step of a lesson, read-only: nothing is completed and no progress is recorded."""
    found = _teaching(request, offering)
    lesson = None
    if found.course_id is not None:
        lesson = (
            Lesson.objects.select_related("course", "section")
            .filter(pk=lesson_id, course=found.course_id, retired=False)
            .first()
        )
    if lesson is None:
        raise Http404("this offering's course has no such lesson")
    steps = list(lesson.steps.filter(retired=False).select_related("exercise").order_by("position"))
    if not steps:
        raise Http404("this lesson has no steps")
    number = step_number(request.GET.get("step"), len(steps))
    step = steps[number - 1]
    user = request.user
    context = page(
        request,
        found,
        "authoring",
        lesson=lesson,
        course=lesson.course,
        step=step,
        content=step_content(user, step, False, glossary_terms(lesson.course)),
        number=number,
        count=len(steps),
        numbers=range(1, len(steps) + 1),
        previous=number - 1 if number > 1 else None,
        following=number + 1 if number < len(steps) else None,
        matrix_shape=matrix_shape(user, step),
        passed=False,
        answer=_check_answer(user, step),
    )
    return render(request, "teach/lesson_preview.html", context)

"""The code exercise page: statement, editor, submitting, live status, results and history.

Submitting posts the form (CSRF-protected, session login); with JavaScript the page sends
it with fetch and polls the submission's status through the JSON API, then swaps in the
result and history fragments rendered here. Without JavaScript the form still works.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from grader.grade import MAX_CODE_BYTES
from stride.api.views import ApiError, can_view, submit_code
from stride.courses.markdown import render_markdown
from stride.exercises.models import Exercise
from stride.submissions.models import Submission
from stride.web.heatmap import heatmap_pair

HISTORY_SIZE = 20


def _history(user, exercise: Exercise) -> list[Submission]:
    return list(
        Submission.objects.filter(user=user, exercise=exercise)
        .defer("code", "result")
        .order_by("-created_at", "-id")[:HISTORY_SIZE]
    )


def _own_submission(request: HttpRequest, exercise: Exercise, submission_id: int) -> Submission:
    found = Submission.objects.filter(pk=submission_id, exercise=exercise).first()
    if found is None or not can_view(request.user, found):
        raise Http404("no such submission")
    return found


def _without_title(statement: str) -> str:
    """The statement without its leading "# Title" line: the page shows the title already."""
    first, _, rest = statement.lstrip().partition("\n")
    return rest if first.startswith("# ") else statement


def result_context(submission: Submission) -> dict:
    """What the result fragment shows: score, verdict, per-test rows with heatmaps for visible tests."""
    feedback = submission.feedback() if submission.status in (Submission.Status.GRADED, Submission.Status.ERROR) else {}
    tests = []
    for test in feedback.get("tests", []):
        tests.append(
            {
                **test,
                "heatmaps": heatmap_pair(test.get("expected"), test.get("actual")) if test.get("visible") else None,
            }
        )
    percent = round(100 * submission.score) if submission.score is not None else None
    return {"submission": submission, "feedback": feedback, "tests": tests, "percent": percent}


def _exercise_page(
    request: HttpRequest, exercise: Exercise, code: str | None = None, status: int = 200
) -> HttpResponse:
    """The page; ``code`` (a refused submission's) goes into the editor instead of the starter."""
    history = _history(request.user, exercise)
    latest = history[0] if history else None
    context = {
        "exercise": exercise,
        "statement_html": render_markdown(_without_title(exercise.statement)),
        "history": history,
        "latest": result_context(Submission.objects.get(pk=latest.pk)) if latest else None,
        "storage_key": f"stride:code:{request.user.pk}:{exercise.slug}",
        "max_code_bytes": MAX_CODE_BYTES,
        "code": code,
        "nav": "courses",
    }
    return render(request, "web/exercise.html", context, status=status)


@login_required
@require_GET
def exercise_page(request: HttpRequest, slug: str) -> HttpResponse:
    return _exercise_page(request, get_object_or_404(Exercise, slug=slug))


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _refuse(
    request: HttpRequest, exercise: Exercise, status: int, detail: str, headers=None, code: str | None = None
) -> HttpResponse:
    if _wants_json(request):
        response = JsonResponse({"error": "refused", "detail": detail}, status=status)
    else:
        # Without JavaScript there is no draft in the browser: the page comes back with the
        # refused code in the editor (a redirect would show the starter and lose it).
        messages.error(request, detail)
        response = _exercise_page(request, exercise, code=code, status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


@login_required
@require_POST
def exercise_submit(request: HttpRequest, slug: str) -> HttpResponse:
    exercise = get_object_or_404(Exercise, slug=slug)
    code = request.POST.get("code")
    if code is None:
        return _refuse(request, exercise, 400, "the form has no code field")
    code = code.replace("\r\n", "\n")
    size = len(code.encode("utf-8", "surrogatepass"))
    if size > MAX_CODE_BYTES:
        return _refuse(request, exercise, 413, f"your code is {size} bytes; the limit is {MAX_CODE_BYTES}", code=code)
    if "\0" in code:
        return _refuse(request, exercise, 400, "your code contains a NUL character", code=code.replace("\0", ""))
    try:
        submission = submit_code(request.user, exercise, code)
    except ApiError as refused:
        return _refuse(request, exercise, refused.status, refused.detail, refused.headers, code=code)
    if _wants_json(request):
        return JsonResponse(
            {
                "id": submission.pk,
                "status": submission.status,
                "status_url": reverse("api:submission", args=[submission.pk]),
                "result_url": reverse("web:submission-result", args=[exercise.slug, submission.pk]),
                "history_url": reverse("web:exercise-history", args=[exercise.slug]),
            },
            status=202,
        )
    return redirect("web:submission", slug=exercise.slug, submission_id=submission.pk)


@login_required
@require_GET
def submission_page(request: HttpRequest, slug: str, submission_id: int) -> HttpResponse:
    exercise = get_object_or_404(Exercise, slug=slug)
    submission = _own_submission(request, exercise, submission_id)
    context = {**result_context(submission), "exercise": exercise, "nav": "courses"}
    return render(request, "web/submission.html", context)


@login_required
@require_GET
def submission_result(request: HttpRequest, slug: str, submission_id: int) -> HttpResponse:
    exercise = get_object_or_404(Exercise, slug=slug)
    submission = _own_submission(request, exercise, submission_id)
    return render(request, "web/_result.html", result_context(submission))


@login_required
@require_GET
def exercise_history(request: HttpRequest, slug: str) -> HttpResponse:
    exercise = get_object_or_404(Exercise, slug=slug)
    return render(request, "web/_history.html", {"exercise": exercise, "history": _history(request.user, exercise)})

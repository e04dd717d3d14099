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


def history(user, exercise: Exercise, *, trials_only: bool = False) -> list[Submission]:
    """The caller's latest submissions to ``exercise``, newest first (``trials_only``: those no attempt counts)."""
    found = Submission.objects.filter(user=user, exercise=exercise)
    if trials_only:
        found = found.filter(attempt__isnull=True)
    return list(found.defer("code", "result").order_by("-created_at", "-id")[:HISTORY_SIZE])


def latest_result(history: list[Submission]) -> dict | None:
    """The result fragment's context for the newest submission of ``history`` (read in full: history defers it)."""
    return result_context(Submission.objects.get(pk=history[0].pk)) if history else None


def _own_submission(request: HttpRequest, exercise: Exercise, submission_id: int) -> Submission:
    found = Submission.objects.filter(pk=submission_id, exercise=exercise).first()
    if found is None or not can_view(request.user, found):
        raise Http404("no such submission")
    return found


def without_title(statement: str) -> str:
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


def wants_json(request: HttpRequest) -> bool:
    """The page's script sends the form with fetch and asks for JSON; a plain form post does not."""
    return "application/json" in request.headers.get("Accept", "")


def code_refusal(code: str) -> tuple[int, str] | None:
    """Why the grader would not take ``code`` from the form, as (status, detail); None when it would."""
    size = len(code.encode("utf-8", "surrogatepass"))
    if size > MAX_CODE_BYTES:
        return 413, f"your code is {size} bytes; the limit is {MAX_CODE_BYTES}"
    if "\0" in code:
        return 400, "your code contains a NUL character"
    return None


def accepted(submission: Submission, result_url: str, history_url: str) -> JsonResponse:
    """The 202 answer to a fetch submit: where the page polls the status and fetches the fragments."""
    return JsonResponse(
        {
            "id": submission.pk,
            "status": submission.status,
            "status_url": reverse("api:submission", args=[submission.pk]),
            "result_url": result_url,
            "history_url": history_url,
        },
        status=202,
    )


def _exercise_page(
    request: HttpRequest, exercise: Exercise, code: str | None = None, status: int = 200
) -> HttpResponse:
    """The page; ``code`` (a refused submission's) goes into the editor instead of the starter."""
    submissions = history(request.user, exercise)
    context = {
        "exercise": exercise,
        "statement_html": render_markdown(without_title(exercise.statement)),
        "history": submissions,
        "latest": latest_result(submissions),
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


def _refuse(
    request: HttpRequest, exercise: Exercise, status: int, detail: str, headers=None, code: str | None = None
) -> HttpResponse:
    if wants_json(request):
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
    refusal = code_refusal(code)
    if refusal is not None:
        # The editor gets the code back without NULs: a page cannot carry them.
        return _refuse(request, exercise, *refusal, code=code.replace("\0", ""))
    try:
        submission = submit_code(request.user, exercise, code)
    except ApiError as refused:
        return _refuse(request, exercise, refused.status, refused.detail, refused.headers, code=code)
    if wants_json(request):
        return accepted(
            submission,
            reverse("web:submission-result", args=[exercise.slug, submission.pk]),
            reverse("web:exercise-history", args=[exercise.slug]),
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
    return render(request, "web/_history.html", {"exercise": exercise, "history": history(request.user, exercise)})

"""Regrading an exercise's submissions: choose what, watch the progress, compare, confirm or cancel.

Everything goes through :mod:`stride.gradebook.regrade`: ``start`` sends the gradings through
the normal queue, nothing a student sees changes until ``confirm``, and the results each
submission had before are kept as its history.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from stride.api.views import ApiError
from stride.gradebook import regrade
from stride.gradebook.models import GradingRecord, Regrade, RegradeBatch
from stride.offerings.models import ExerciseAttempt, GradedItem, Offering
from stride.submissions.models import Submission
from stride.web.teach.access import local, offering_for, page, workers_down

SCOPES = ("all", "outdated", "selected")
BATCHES_LISTED = 20


def _teaching(request: HttpRequest, slug: str, *, instruct: bool = False) -> Offering:
    return offering_for(request, slug, instruct=instruct)


def _exercise_items(offering: Offering) -> list[GradedItem]:
    return list(
        GradedItem.objects.filter(offering=offering, exercise__isnull=False)
        .select_related("exercise")
        .order_by("position", "id")
    )


def _percent(score: float | None) -> int | None:
    return None if score is None else round(100 * score)


def _item_rows(offering: Offering, items: list[GradedItem]) -> list[dict[str, Any]]:
    rows = []
    for item in items:
        scope = regrade.scope(offering, item.exercise)
        counts = scope.aggregate(
            total=Count("pk"), outdated=Count("pk", filter=~Q(graded_version=item.exercise.version))
        )
        rows.append({"item": item, "exercise": item.exercise, **counts})
    return rows


@login_required
@require_GET
def regrade_index(request: HttpRequest, offering: str) -> HttpResponse:
    """The exercises that can be regraded; with ``?exercise=<slug>``, its submissions to choose from."""
    found = _teaching(request, offering)
    items = _exercise_items(found)
    chosen = None
    slug = request.GET.get("exercise", "")
    submissions: list[dict[str, Any]] = []
    if slug:
        chosen = next((i for i in items if i.exercise.slug == slug), None)
        if chosen is None:
            raise Http404("this offering grades no such exercise")
        attempts = (
            ExerciseAttempt.objects.filter(item=chosen, submission__status__in=regrade.FINISHED)
            .select_related("user", "submission")
            .order_by("user__last_name", "user__username", "number")
        )
        for attempt in attempts:
            submission = attempt.submission
            submissions.append(
                {
                    "attempt": attempt,
                    "submission": submission,
                    "percent": _percent(submission.score),
                    "outdated": submission.graded_version != chosen.exercise.version,
                    "submitted": local(submission.created_at, found),
                }
            )
    batches = [
        {"batch": b, "created": local(b.created_at, found), "progress": regrade.progress(b)}
        for b in RegradeBatch.objects.filter(offering=found).select_related("exercise", "created_by")[:BATCHES_LISTED]
    ]
    context = page(
        request,
        found,
        "regrade",
        item_rows=_item_rows(found, items),
        chosen=chosen,
        submissions=submissions,
        batches=batches,
        open_batch=regrade.open_batches(found).filter(exercise=chosen.exercise).first() if chosen else None,
    )
    return render(request, "teach/regrade.html", context)


def _say_refused(request: HttpRequest, refused: ApiError) -> None:
    # The gradebook's details are API wording ("a regrade of ... is open already"): a sentence here.
    messages.error(request, refused.detail[:1].upper() + refused.detail[1:] + ".")


def _selected_ids(request: HttpRequest) -> list[int]:
    raw = request.POST.getlist("submission")
    # ASCII only: str.isdigit() also accepts "²", which int() refuses.
    ids = all(value.isascii() and value.isdigit() and len(value) <= 18 for value in raw)
    if len(raw) > regrade.MAX_SELECTED or not ids:
        raise BadRequest("the selection is not a list of submission ids")
    return [int(value) for value in raw]


@login_required
@require_POST
def regrade_start(request: HttpRequest, offering: str) -> HttpResponse:
    found = _teaching(request, offering, instruct=True)
    items = {i.exercise.slug: i for i in _exercise_items(found)}
    item = items.get(request.POST.get("exercise", ""))
    scope = request.POST.get("scope", "")
    if item is None or scope not in SCOPES:
        raise BadRequest("choose an exercise this offering grades, and all, outdated or selected submissions")
    ids = _selected_ids(request) if scope == "selected" else None
    back = redirect(f"{reverse('web:teach-regrade', args=[found.slug])}?exercise={item.exercise.slug}")
    if scope == "selected" and not ids:
        messages.error(request, "Select the submissions to regrade first.")
        return back
    try:
        batch = regrade.start(
            found, item.exercise, by=request.user, submission_ids=ids, outdated_only=scope == "outdated"
        )
    except ApiError as refused:
        _say_refused(request, refused)
        return back
    total = regrade.progress(batch).total
    messages.success(
        request, f"Regrading {total} submission(s) of {item.exercise.title}. Nothing changes until you confirm."
    )
    return redirect("web:teach-regrade-batch", offering=found.slug, batch_id=batch.pk)


def _batch(offering: Offering, batch_id: int) -> RegradeBatch:
    found = (
        RegradeBatch.objects.select_related("exercise", "created_by", "decided_by")
        .filter(pk=batch_id, offering=offering)
        .first()
    )
    if found is None:
        raise Http404("no such regrade")
    return found


def diff_rows(batch: RegradeBatch) -> list[dict[str, Any]]:
    """Per regraded submission: the student, the score it has (or had, once confirmed) and the new one."""
    replaced = {record.submission_id: record.score for record in GradingRecord.objects.filter(replaced_by=batch)}
    rows = []
    for row in (
        Regrade.objects.filter(batch=batch)
        .select_related("submission__user")
        .order_by("submission__user__last_name", "submission__user__username", "submission_id")
    ):
        submission = row.submission
        old = replaced.get(submission.pk, submission.score) if row.applied_at else submission.score
        finished = row.status in (Regrade.Status.GRADED, Regrade.Status.ERROR)
        changed = row.status == Regrade.Status.GRADED and old != row.score
        delta = None
        if changed and old is not None and row.score is not None:
            delta = round(100 * row.score) - round(100 * old)
        rows.append(
            {
                "regrade": row,
                "submission": submission,
                "user": submission.user,
                "old": _percent(old),
                "new": _percent(row.score) if finished else None,
                "changed": changed,
                "delta": delta,
            }
        )
    return rows


@login_required
@require_GET
def regrade_batch(request: HttpRequest, offering: str, batch_id: int) -> HttpResponse:
    """A regrade's progress (the page refreshes itself until every grading is back) and its diff."""
    found = _teaching(request, offering)
    batch = _batch(found, batch_id)
    progress = regrade.progress(batch)
    rows = diff_rows(batch)
    waiting = batch.state == RegradeBatch.State.OPEN and not progress.finished
    context = page(
        request,
        found,
        "regrade",
        batch=batch,
        progress=progress,
        rows=rows,
        changed=sum(1 for r in rows if r["changed"]),
        is_open=batch.state == RegradeBatch.State.OPEN,
        waiting=waiting,
        workers_down=workers_down() if waiting else [],
        created=local(batch.created_at, found),
        decided=local(batch.decided_at, found),
    )
    return render(request, "teach/regrade_batch.html", context)


@login_required
@require_POST
def regrade_confirm(request: HttpRequest, offering: str, batch_id: int) -> HttpResponse:
    found = _teaching(request, offering, instruct=True)
    batch = _batch(found, batch_id)
    try:
        outcome = regrade.confirm(batch, by=request.user)
    except ApiError as refused:
        _say_refused(request, refused)
    else:
        if outcome.applied or outcome.kept:
            kept = f"; {outcome.kept} kept their old result" if outcome.kept else ""
            messages.success(
                request, f"Confirmed: {outcome.applied} result(s) replaced, {outcome.changed} with a new score{kept}."
            )
        else:
            messages.info(request, "This regrade was confirmed already.")
    return redirect("web:teach-regrade-batch", offering=found.slug, batch_id=batch.pk)


@login_required
@require_POST
def regrade_cancel(request: HttpRequest, offering: str, batch_id: int) -> HttpResponse:
    found = _teaching(request, offering, instruct=True)
    batch = _batch(found, batch_id)
    try:
        cancelled = regrade.cancel(batch, by=request.user)
    except ApiError as refused:
        _say_refused(request, refused)
    else:
        if cancelled:
            messages.success(request, "Cancelled: every submission keeps the result it had.")
        else:
            messages.info(request, "This regrade was cancelled already.")
    return redirect("web:teach-regrade-batch", offering=found.slug, batch_id=batch.pk)


@login_required
@require_GET
def submission_history(request: HttpRequest, offering: str, submission_id: int) -> HttpResponse:
    """Every result one submission has had, the current one last, and the regrades that touched it."""
    found = _teaching(request, offering)
    attempt = (
        ExerciseAttempt.objects.select_related("submission__exercise", "user", "item")
        .filter(submission_id=submission_id, item__offering=found)
        .first()
    )
    if attempt is None:
        raise Http404("no such submission in this offering")
    submission: Submission = attempt.submission
    history = [
        {**entry, "percent": _percent(entry["score"]), "graded": local(entry["graded_at"], found),
         "replaced": local(entry["replaced_at"], found)}
        for entry in regrade.history(submission)
    ]  # fmt: skip
    regrades = list(
        Regrade.objects.filter(submission=submission).select_related("batch").order_by("-batch__created_at", "-pk")
    )
    context = page(
        request,
        found,
        "regrade",
        attempt=attempt,
        submission=submission,
        history=history,
        regrades=[
            {"regrade": r, "percent": _percent(r.score), "created": local(r.batch.created_at, found)} for r in regrades
        ],  # fmt: skip
        submitted=local(submission.created_at, found),
    )
    return render(request, "teach/submission_history.html", context)

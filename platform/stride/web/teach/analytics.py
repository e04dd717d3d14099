"""Analytics of an offering, of one graded item and of one student: SVG charts drawn on the server
(stride.gradebook.charts, readable without JavaScript), each with the table of its numbers beside it."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from stride.gradebook import analytics, charts
from stride.gradebook.grades import Gradebook, compute_gradebook
from stride.offerings import policy
from stride.offerings.models import Offering
from stride.web.teach.access import local, offering_for, page

BINS = 10


def _teaching(request: HttpRequest, slug: str) -> Offering:
    return offering_for(request, slug)


def _days(book: Gradebook, item_id: int | None, title: str) -> dict[str, Any]:
    days = analytics.submissions_per_day(book, item_id)
    return {
        "chart": charts.bar_chart(
            [(f"{day:%m-%d}", float(count)) for day, count in days], title=title, y_label="attempts", x_label="day"
        ),
        "rows": [{"day": day.isoformat(), "count": count} for day, count in days],
        "total": sum(count for _, count in days),
    }


def _histogram(book: Gradebook, item_id: int, title: str) -> dict[str, Any]:
    counts = analytics.score_distribution(book, item_id, BINS)
    size = 100 // BINS
    return {
        "chart": charts.histogram(counts, title=title),
        "rows": [
            {"range": f"{i * size}–{(i + 1) * size}%" + (" (incl.)" if i == BINS - 1 else ""), "count": n}
            for i, n in enumerate(counts)
        ],
        "total": sum(counts),
    }


@login_required
@require_GET
def analytics_overview(request: HttpRequest, offering: str) -> HttpResponse:
    found = _teaching(request, offering)
    book = compute_gradebook(found)
    summaries = analytics.item_summaries(book)
    points = {c.item_id: c.points for c in book.columns}
    means = [
        (s.label, round(100 * s.mean_points / points[s.item_id], 1) if s.mean_points is not None and points[s.item_id]
         else 0.0)
        for s in summaries
    ]  # fmt: skip
    context = page(
        request,
        found,
        "analytics",
        days=_days(book, None, "Attempts per day, every item"),
        means_chart=charts.bar_chart(means, title="Mean counted score per item (%)", y_label="score %"),
        summaries=[{"summary": s, "points": points[s.item_id]} for s in summaries],
        not_started=analytics.not_started(book),
        rows=book.rows,
        possible=book.possible_total,
    )
    return render(request, "teach/analytics.html", context)


@login_required
@require_GET
def analytics_item(request: HttpRequest, offering: str, item_id: int) -> HttpResponse:
    found = _teaching(request, offering)
    book = compute_gradebook(found)
    column = next((c for c in book.columns if c.item_id == item_id), None)
    if column is None:
        raise Http404("no such item in this offering")
    failed = analytics.most_failed_tests(book, item_id)
    context = page(
        request,
        found,
        "analytics",
        column=column,
        days=_days(book, item_id, f"Attempts per day: {column.label}"),
        histogram=_histogram(book, item_id, f"Counted scores: {column.label}"),
        failed=failed,
        # Test names are long: the bars carry their rank, which the table beside the chart names.
        failed_chart=charts.bar_chart(
            [(f"#{rank}", float(test.failures)) for rank, test in enumerate(failed, 1)],
            title="Failures per test (by rank in the table)",
            y_label="failures",
        )
        if failed
        else None,
        median=analytics.median_attempts_to_pass(book, item_id),
        not_started=analytics.not_started(book, item_id),
        students=len(book.rows),
    )
    return render(request, "teach/analytics_item.html", context)


@login_required
@require_GET
def analytics_student(request: HttpRequest, offering: str, user_id: int) -> HttpResponse:
    found = _teaching(request, offering)
    book = compute_gradebook(found)
    row = book.row(user_id)
    if row is None:
        raise Http404("no such student in this offering")
    events = analytics.student_timeline(book, user_id)
    # Local times, so the chart's first and last ticks read as the table beside it does.
    dots = [
        (policy.to_local(e.at, found.time_zone), e.score, f"{e.item} #{e.number}")
        for e in events
        if e.score is not None
    ]
    context = page(
        request,
        found,
        "analytics",
        student=row,
        chart=charts.timeline(dots, title=f"Attempts of {row.name} over time"),
        events=[
            {"event": e, "at": local(e.at, found), "percent": None if e.score is None else round(100 * e.score)}
            for e in events
        ],  # fmt: skip
        possible=book.possible_total,
    )
    return render(request, "teach/analytics_student.html", context)

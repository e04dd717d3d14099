"""Numbers behind the instructor's charts, per offering and item, and per student.

Everything starts from a computed :class:`~stride.gradebook.grades.Gradebook` (pass one in
to share it between several calls on a page), so the analytics see exactly the attempts the
grades do: students' attempts through the offering. Days are calendar days in the
offering's time zone. Pair them with :mod:`stride.gradebook.charts`, e.g.::

    book = compute_gradebook(offering)
    days = submissions_per_day(book, item_id)
    chart = charts.bar_chart([(d.isoformat(), n) for d, n in days], title="Submissions per day")
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from stride.gradebook.grades import GRADED, Attempt, Gradebook, Row
from stride.offerings import policy
from stride.quizzes.models import QuizAttempt
from stride.submissions.models import Submission

PASSED = 1.0 - 1e-9  # an attempt passes with full marks (every test, every question)
MAX_DAYS = 366


@dataclass(frozen=True)
class FailedTest:
    name: str
    failures: int
    runs: int  # gradings that ran this test
    kinds: list[tuple[str, int]]  # the most common failure verdicts first

    @property
    def failure_rate(self) -> float:
        return self.failures / self.runs if self.runs else 0.0


@dataclass(frozen=True)
class TimelineEvent:
    at: datetime
    item_id: int
    item: str  # the column label
    number: int
    status: str
    score: float | None
    points: float | None
    days_late: int
    counted: bool


@dataclass(frozen=True)
class ItemSummary:
    item_id: int
    label: str
    attempts: int
    started: int  # students with at least one attempt
    not_started: int
    mean_points: float | None  # over students with something counted
    median_attempts_to_pass: float | None
    histogram: list[int]


def _attempts(book: Gradebook, item_id: int | None = None) -> list[tuple[Row, Attempt]]:
    return [(row, a) for row, column, a in book.details() if item_id is None or column.item_id == item_id]


def submissions_per_day(book: Gradebook, item_id: int | None = None) -> list[tuple[date, int]]:
    """(day, attempts made that day) from the first day with one to the last, days without any as 0."""
    zone_name = book.offering.time_zone
    per_day = Counter(policy.to_local(a.submitted_at, zone_name).date() for _, a in _attempts(book, item_id))
    if not per_day:
        return []
    first, last = min(per_day), max(per_day)
    first = max(first, last - timedelta(days=MAX_DAYS - 1))
    return [
        (first + timedelta(days=n), per_day.get(first + timedelta(days=n), 0)) for n in range((last - first).days + 1)
    ]


def score_histogram(fractions: list[float], bins: int = 10) -> list[int]:
    """Counts of scores (0..1) in ``bins`` equal bins; the last bin includes 1.0, out-of-range values are clamped."""
    counts = [0] * bins
    for value in fractions:
        counts[min(max(int(value * bins), 0), bins - 1)] += 1
    return counts


def item_scores(book: Gradebook, item_id: int) -> list[float]:
    """Each student's counted points at the item as a fraction of its points (nothing counted: left out)."""
    column = next(c for c in book.columns if c.item_id == item_id)
    scores = []
    for row in book.rows:
        cell = next(c for c in row.cells if c.item_id == item_id)
        if cell.points is not None:
            scores.append(cell.points / column.points if column.points else 0.0)
    return scores


def score_distribution(book: Gradebook, item_id: int, bins: int = 10) -> list[int]:
    return score_histogram(item_scores(book, item_id), bins)


def median_attempts_to_pass(book: Gradebook, item_id: int) -> float | None:
    """Over the students who passed (full marks), the median number of attempts it took them."""
    needed = []
    for row in book.rows:
        cell = next(c for c in row.cells if c.item_id == item_id)
        graded = [a for a in cell.attempts if a.status == GRADED]
        for count, attempt in enumerate(graded, start=1):
            if attempt.score is not None and attempt.score >= PASSED:
                needed.append(count)
                break
    return float(statistics.median(needed)) if needed else None


def not_started(book: Gradebook, item_id: int | None = None) -> list[Row]:
    """Students without a single attempt at the item (or, without ``item_id``, at any item)."""
    return [
        row
        for row in book.rows
        if not any(cell.attempts for cell in row.cells if item_id is None or cell.item_id == item_id)
    ]


def most_failed_tests(book: Gradebook, item_id: int, limit: int = 10) -> list[FailedTest]:
    """The tests (exercises) or questions (quizzes) failed most often in graded attempts, with why.

    Failure kinds are the grader's per-test verdicts (wrong_shape, wrong_values, timeout...);
    for quizzes "wrong" or "not answered".
    """
    column = next(c for c in book.columns if c.item_id == item_id)
    ids = [a.id for _, a in _attempts(book, item_id) if a.status == GRADED]
    runs: Counter[str] = Counter()
    failures: Counter[str] = Counter()
    kinds: dict[str, Counter[str]] = defaultdict(Counter)
    if column.kind == "exercise":
        results = Submission.objects.filter(pk__in=ids).values_list("result", flat=True)
        for result in results.iterator(chunk_size=500):
            for test in (result or {}).get("tests") or []:
                if not isinstance(test, dict) or not isinstance(test.get("name"), str):
                    continue
                runs[test["name"]] += 1
                if not test.get("passed"):
                    failures[test["name"]] += 1
                    kinds[test["name"]][str(test.get("verdict") or "failed")] += 1
    else:
        for results in (
            QuizAttempt.objects.filter(pk__in=ids).values_list("results", flat=True).iterator(chunk_size=500)
        ):
            for question in results or []:
                if not isinstance(question, dict) or not isinstance(question.get("key"), str):
                    continue
                runs[question["key"]] += 1
                if not question.get("correct"):
                    failures[question["key"]] += 1
                    kinds[question["key"]]["not answered" if question.get("answer") is None else "wrong"] += 1
    ranked = sorted(failures, key=lambda name: (-failures[name], name))[:limit]
    return [
        FailedTest(name=name, failures=failures[name], runs=runs[name], kinds=kinds[name].most_common(3))
        for name in ranked
    ]


def student_timeline(book: Gradebook, user_id: int) -> list[TimelineEvent]:
    """Every attempt of one student at the offering's items, in time order."""
    row = book.row(user_id)
    if row is None:
        return []
    labels = {c.item_id: c.label for c in book.columns}
    events = [
        TimelineEvent(
            at=a.submitted_at,
            item_id=cell.item_id,
            item=labels[cell.item_id],
            number=a.number,
            status=a.status,
            score=a.score,
            points=a.points,
            days_late=a.days_late,
            counted=a.counted,
        )
        for cell in row.cells
        for a in cell.attempts
    ]
    return sorted(events, key=lambda e: (e.at, e.item_id, e.number))


def item_summaries(book: Gradebook) -> list[ItemSummary]:
    """One line per item for the analytics overview."""
    summaries = []
    for column in book.columns:
        cells = [next(c for c in row.cells if c.item_id == column.item_id) for row in book.rows]
        counted = [c.points for c in cells if c.points is not None]
        started = sum(1 for c in cells if c.attempts)
        summaries.append(
            ItemSummary(
                item_id=column.item_id,
                label=column.label,
                attempts=sum(len(c.attempts) for c in cells),
                started=started,
                not_started=len(cells) - started,
                mean_points=round(statistics.fmean(counted), 2) if counted else None,
                median_attempts_to_pass=median_attempts_to_pass(book, column.item_id),
                histogram=score_distribution(book, column.item_id),
            )
        )
    return summaries

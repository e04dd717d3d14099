"""The gradebook of an offering: per student and graded item, the points that count.

Per item, a student's attempts are the quiz attempts made through the offering and the
code submissions counted for its item (``ExerciseAttempt``). Each graded attempt earns
``score * points`` (the item's points, or the exercise's or quiz's maximum), less the late
penalty for when it was made against the student's deadlines (extension applied); an
attempt outside the window earns nothing. Of those, the best or the last one counts, as the
item says. A submission still being graded, or one the grader could not grade (status
error), counts for nothing yet; ``pending`` says whether one is on its way. The total is
the sum of what counts (no attempt: 0 in the total, blank in the item's column).

:func:`compute_gradebook` reads everything in a handful of queries and returns plain
dataclasses, which the exports, the API and the instructor's pages all present.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import datetime

from django.db.models import Sum
from django.utils import timezone

from stride.offerings import policy
from stride.offerings.models import Enrollment, ExerciseAttempt, Extension, GradedItem, Offering
from stride.offerings.roles import students
from stride.quizzes.models import Question, QuizAttempt

GRADED, ERROR, QUEUED, RUNNING = "graded", "error", "queued", "running"


@dataclass(frozen=True)
class Column:
    """A graded item as a gradebook column."""

    item_id: int
    key: str  # exercise:<slug> or quiz:<key>
    kind: str  # exercise | quiz
    title: str
    label: str  # the column's header: the title, made unique within the offering
    points: float
    opens_at: datetime | None
    due_at: datetime | None
    closes_at: datetime | None
    late_policy: str
    penalty_per_day: float
    penalty_cap: float
    counts: str
    max_attempts: int | None


@dataclass(frozen=True)
class Attempt:
    """One submission or quiz attempt, as the gradebook judged it (a details row)."""

    item_id: int
    kind: str  # submission | quiz_attempt
    id: int
    number: int
    submitted_at: datetime
    status: str  # queued | running | graded | error
    verdict: str
    score: float | None  # 0..1, None until graded
    raw_points: float | None  # before the late penalty
    days_late: int
    penalty_percent: float
    points: float | None  # after the penalty; 0 when not accepted; None until graded
    accepted: bool
    counted: bool = False


@dataclass
class Cell:
    item_id: int
    points: float | None  # what counts; None: nothing counts (yet)
    raw_points: float | None
    days_late: int
    penalty_percent: float
    due_at: datetime | None  # the student's own (extension applied)
    closes_at: datetime | None
    extended: bool
    pending: bool  # an attempt is still being graded
    attempts: list[Attempt] = field(default_factory=list)

    @property
    def counted(self) -> Attempt | None:
        return next((a for a in self.attempts if a.counted), None)


@dataclass
class Row:
    user_id: int
    username: str
    first_name: str
    last_name: str
    email: str
    student_id: str
    cells: list[Cell]
    total: float

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.username

    @property
    def sortable_name(self) -> str:
        """``Last, First`` (Canvas's Student column)."""
        if self.first_name and self.last_name:
            return f"{self.last_name}, {self.first_name}"
        return self.name


@dataclass
class Gradebook:
    offering: Offering
    columns: list[Column]
    rows: list[Row]
    generated_at: datetime

    @property
    def possible_total(self) -> float:
        return round(sum(c.points for c in self.columns), 4)

    def row(self, user_id: int) -> Row | None:
        return next((r for r in self.rows if r.user_id == user_id), None)

    def cell(self, user_id: int, item_id: int) -> Cell | None:
        found = self.row(user_id)
        return next((c for c in found.cells if c.item_id == item_id), None) if found else None

    def details(self):
        """(row, column, attempt) for every attempt, students in roster order, attempts in time order."""
        for row in self.rows:
            for column, cell in zip(self.columns, row.cells, strict=True):
                for attempt in cell.attempts:
                    yield row, column, attempt


def columns(offering: Offering) -> list[Column]:
    """The offering's graded items as columns, in their order."""
    items = list(
        GradedItem.objects.filter(offering=offering).select_related("exercise", "quiz").order_by("position", "id")
    )
    quiz_totals = dict(
        Question.objects.filter(quiz__in=[i.quiz_id for i in items if i.quiz_id], retired=False)
        .values("quiz")
        .annotate(total=Sum("points"))
        .values_list("quiz", "total")
    )
    built, labels = [], set()
    for item in items:
        if item.points is not None:
            points = item.points
        elif item.exercise_id:
            points = float(item.exercise.max_points)
        else:
            points = float(quiz_totals.get(item.quiz_id) or 0.0)
        label = item.title
        if label in labels:
            label = f"{item.title} ({item.key})"
        labels.add(label)
        built.append(
            Column(
                item_id=item.pk,
                key=item.key,
                kind=item.kind,
                title=item.title,
                label=label,
                points=round(points, 4),
                opens_at=item.opens_at,
                due_at=item.due_at,
                closes_at=item.closes_at,
                late_policy=item.late_policy,
                penalty_per_day=item.penalty_per_day,
                penalty_cap=item.penalty_cap,
                counts=item.counts,
                max_attempts=item.max_attempts,
            )
        )
    return built


def _raw_attempts(offering: Offering, cols: list[Column]) -> dict[tuple[int, int], list[dict]]:
    """(item id, user id) -> the attempts' raw facts, oldest first."""
    student_ids = Enrollment.objects.filter(offering=offering, role=Enrollment.Role.STUDENT).values("user_id")
    found: dict[tuple[int, int], list[dict]] = defaultdict(list)
    exercise_items = [c.item_id for c in cols if c.kind == "exercise"]
    for row in (
        ExerciseAttempt.objects.filter(item__in=exercise_items, user_id__in=student_ids)
        .values(
            "item_id",
            "user_id",
            "number",
            "submission_id",
            "submission__created_at",
            "submission__status",
            "submission__verdict",
            "submission__score",
            "submission__points",
            "submission__max_points",
        )
        .order_by("submission__created_at", "number")
    ):
        score = row["submission__score"]
        if score is None and row["submission__points"] is not None and row["submission__max_points"]:
            score = row["submission__points"] / row["submission__max_points"]
        found[(row["item_id"], row["user_id"])].append(
            {
                "kind": "submission",
                "id": row["submission_id"],
                "number": row["number"],
                "submitted_at": row["submission__created_at"],
                "status": row["submission__status"],
                "verdict": row["submission__verdict"],
                "score": score,
            }
        )
    quiz_items = [c.item_id for c in cols if c.kind == "quiz"]
    item_of_quiz = dict(GradedItem.objects.filter(pk__in=quiz_items).values_list("quiz_id", "pk"))
    for row in (
        QuizAttempt.objects.filter(offering=offering, quiz__in=list(item_of_quiz), user_id__in=student_ids)
        .values("id", "quiz_id", "user_id", "number", "created_at", "score")
        .order_by("created_at", "number")
    ):
        found[(item_of_quiz[row["quiz_id"]], row["user_id"])].append(
            {
                "kind": "quiz_attempt",
                "id": row["id"],
                "number": row["number"],
                "submitted_at": row["created_at"],
                "status": GRADED,
                "verdict": "passed" if row["score"] >= 1.0 else "failed",
                "score": row["score"],
            }
        )
    return found


def judge_cell(column: Column, raw: list[dict], extension_due_at: datetime | None) -> Cell:
    """One student's attempts at one item, judged: each attempt's points and which one counts."""
    rules = policy.ItemRules.of(column)
    dates = policy.deadlines(rules, extension_due_at)
    judged: list[Attempt] = []
    for facts in raw:
        when = facts["submitted_at"]
        late = policy.lateness(when, dates, rules)
        graded = facts["status"] == GRADED
        score = facts["score"] if graded else None
        raw_points = round((score or 0.0) * column.points, 4) if graded else None
        points = None
        if graded:
            points = policy.apply_penalty(raw_points, late.penalty_percent) if late.accepted else 0.0
        judged.append(
            Attempt(
                item_id=column.item_id,
                kind=facts["kind"],
                id=facts["id"],
                number=facts["number"],
                submitted_at=when,
                status=facts["status"],
                verdict=facts["verdict"] or "",
                score=score,
                raw_points=raw_points,
                days_late=late.days_late,
                penalty_percent=late.penalty_percent,
                points=points,
                accepted=late.accepted,
            )
        )
    candidates = [(i, a) for i, a in enumerate(judged) if a.accepted and a.points is not None]
    pick = policy.counted([(a.submitted_at, a.points) for _, a in candidates], column.counts)
    counted = None
    if pick is not None:
        index = candidates[pick][0]
        counted = judged[index] = replace(judged[index], counted=True)
    return Cell(
        item_id=column.item_id,
        points=counted.points if counted else None,
        raw_points=counted.raw_points if counted else None,
        days_late=counted.days_late if counted else 0,
        penalty_percent=counted.penalty_percent if counted else 0.0,
        due_at=dates.due_at,
        closes_at=dates.closes_at,
        extended=dates.extended,
        pending=any(a.status in (QUEUED, RUNNING) for a in judged),
        attempts=judged,
    )


def compute_gradebook(offering: Offering, *, now: datetime | None = None) -> Gradebook:
    """The offering's gradebook: one row per student (roster order), one cell per item."""
    cols = columns(offering)
    raw = _raw_attempts(offering, cols)
    extensions = {
        (item_id, user_id): due_at
        for item_id, user_id, due_at in Extension.objects.filter(item__offering=offering).values_list(
            "item_id", "user_id", "due_at"
        )
    }
    rows = []
    for enrolment in students(offering):
        user = enrolment.user
        cells = [judge_cell(c, raw.get((c.item_id, user.pk), []), extensions.get((c.item_id, user.pk))) for c in cols]
        rows.append(
            Row(
                user_id=user.pk,
                username=user.get_username(),
                first_name=user.first_name,
                last_name=user.last_name,
                email=user.email,
                student_id=enrolment.student_id,
                cells=cells,
                total=round(sum(c.points or 0.0 for c in cells), 4),
            )
        )
    return Gradebook(offering=offering, columns=cols, rows=rows, generated_at=now or timezone.now())

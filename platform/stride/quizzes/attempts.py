"""Taking a quiz: when it is open, how many attempts are left, and grading an attempt.

The rules come from the student's offering of the quiz's course: its GradedItem for the
quiz, if it has one, gives the window (``opens_at <= now < closes_at``, either end
optional; a ``no_late`` item also closes after its due time, and a student's extension
moves both, see stride.offerings.policy) and ``max_attempts`` (empty: unlimited).
Without an item a quiz is always open and unlimited. Instructors, TAs and site staff are
not held to the rules: they try the quiz out.

Each question is graded against the student's own variant. What a student sees of a wrong
answer depends on whether they can still try again: the feedback message always, but the
correct answer and the explanation only once no attempt is left (attempts used up or the
quiz closed), so a later attempt cannot just copy them. A correct answer always shows its
explanation. Teaching staff always see everything.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from stride.api.views import ApiError
from stride.courses import access
from stride.courses.markdown import render_markdown
from stride.glossary.linking import glossary_terms
from stride.offerings import policy
from stride.offerings.models import Enrollment, Extension, GradedItem, Offering
from stride.quizzes.grading import grade_answer
from stride.quizzes.models import Question, Quiz, QuizAttempt
from stride.quizzes.variants import Variant, VariantError, variant_for

OPEN, NOT_OPEN, CLOSED = "open", "not_open", "closed"
# Attempts that collide on their number (possible only where row locks are no-ops) are retried.
NUMBER_RETRIES = 5
MAX_ANSWER_KEYS_LISTED = 5


@dataclass(frozen=True)
class Availability:
    """Where ``user`` stands with ``quiz`` right now."""

    offering: Offering | None
    item: GradedItem | None
    exempt: bool  # teaching staff and site staff: no window, no limit
    state: str  # open | not_open | closed (by the window alone)
    used: int  # attempts made through this offering
    dates: policy.Deadlines | None = None  # the item's dates for this student (extension applied)

    @property
    def opens_at(self) -> datetime | None:
        return self.dates.opens_at if self.dates else None

    @property
    def closes_at(self) -> datetime | None:
        return self.dates.last_moment if self.dates else None

    @property
    def max_attempts(self) -> int | None:
        return None if self.exempt or self.item is None else self.item.max_attempts

    @property
    def remaining(self) -> int | None:
        return None if self.max_attempts is None else max(self.max_attempts - self.used, 0)

    @property
    def can_attempt(self) -> bool:
        return self.exempt or (self.state == OPEN and self.remaining != 0)

    @property
    def shows_questions(self) -> bool:
        """Questions stay hidden until the quiz opens."""
        return self.exempt or self.state != NOT_OPEN

    @property
    def final(self) -> bool:
        """No further attempt is possible, so correct answers and explanations may be shown."""
        return self.exempt or self.state == CLOSED or self.remaining == 0

    def refusal(self) -> ApiError | None:
        """The 403 a new attempt would get now, or None."""
        if self.exempt:
            return None
        if self.state == NOT_OPEN:
            return ApiError(403, "not_open", f"this quiz opens at {self.opens_at.isoformat()}")
        if self.state == CLOSED:
            return ApiError(403, "closed", f"this quiz closed at {self.closes_at.isoformat()}")
        if self.remaining == 0:
            plural = "attempt" if self.max_attempts == 1 else "attempts"
            return ApiError(403, "attempt_limit", f"all {self.max_attempts} {plural} at this quiz are used")
        return None


def _dates(item: GradedItem | None, extension_due_at: datetime | None) -> policy.Deadlines | None:
    return policy.deadlines(item.rules(), extension_due_at) if item is not None else None


def _window_state(dates: policy.Deadlines | None, now: datetime) -> str:
    if dates is not None and not dates.is_open_yet(now):
        return NOT_OPEN
    if dates is not None and dates.is_closed(now):
        return CLOSED
    return OPEN


def _attempts_through(user, quiz: Quiz, offering: Offering | None):
    found = QuizAttempt.objects.filter(user=user, quiz=quiz)
    return found.filter(offering=offering) if offering is not None else found.filter(offering__isnull=True)


def availability(user, quiz: Quiz, *, now: datetime | None = None) -> Availability:
    """The caller's availability of ``quiz``; a 403 "forbidden" ApiError when not enrolled."""
    now = now or timezone.now()
    enrolment = access.enrollment(user, quiz.course)
    if enrolment is None:
        access.require_enrolled(user, quiz.course)  # raises 403 unless site staff
        offering, exempt = None, True
    else:
        offering = enrolment.offering
        exempt = enrolment.role != Enrollment.Role.STUDENT or access.is_site_staff(user)
    item = GradedItem.objects.filter(offering=offering, quiz=quiz).first() if offering is not None else None
    extension = (
        Extension.objects.filter(item=item, user=user).values_list("due_at", flat=True).first() if item else None
    )
    dates = _dates(item, extension)
    used = _attempts_through(user, quiz, offering).count()
    return Availability(
        offering=offering, item=item, exempt=exempt, state=_window_state(dates, now), used=used, dates=dates
    )


def availabilities(user, quizzes: list[Quiz], *, now: datetime | None = None) -> dict[int, Availability]:
    """:func:`availability` for many quizzes of courses the user may see, in a few queries."""
    now = now or timezone.now()
    enrolments: dict[int, Enrollment] = {}
    course_ids = {q.course_id for q in quizzes}
    for found in (
        Enrollment.objects.filter(user=user, offering__course__in=course_ids)
        .select_related("offering")
        .order_by("-offering__created_at", "-id")
    ):
        enrolments.setdefault(found.offering.course_id, found)  # the newest, as access.enrollment picks
    offering_ids = {e.offering_id for e in enrolments.values()}
    items = {
        (i.offering_id, i.quiz_id): i
        for i in GradedItem.objects.filter(offering__in=offering_ids, quiz__in=[q.pk for q in quizzes])
    }
    extensions = dict(
        Extension.objects.filter(item__in=[i.pk for i in items.values()], user=user).values_list("item", "due_at")
    )
    counts: dict[tuple[int, int | None], int] = {}
    for attempt in QuizAttempt.objects.filter(user=user, quiz__in=[q.pk for q in quizzes]).values(
        "quiz_id", "offering_id"
    ):
        key = (attempt["quiz_id"], attempt["offering_id"])
        counts[key] = counts.get(key, 0) + 1
    staff = access.is_site_staff(user)
    result = {}
    for quiz in quizzes:
        enrolment = enrolments.get(quiz.course_id)
        offering = enrolment.offering if enrolment else None
        exempt = staff or enrolment is None or enrolment.role != Enrollment.Role.STUDENT
        item = items.get((offering.pk, quiz.pk)) if offering else None
        dates = _dates(item, extensions.get(item.pk) if item else None)
        result[quiz.pk] = Availability(
            offering=offering,
            item=item,
            exempt=exempt,
            state=_window_state(dates, now),
            used=counts.get((quiz.pk, offering.pk if offering else None), 0),
            dates=dates,
        )
    return result


def quiz_questions(quiz: Quiz) -> list[Question]:
    """The quiz's current questions in order (retired ones left out), with quiz and course loaded."""
    return list(Question.objects.filter(quiz=quiz, retired=False).select_related("quiz__course").order_by("position"))


def variant_or_conflict(user, question: Question) -> Variant:
    """The user's variant; a broken generator is a 409 (the quiz cannot be taken as it is), not a 500."""
    try:
        return variant_for(user, question)
    except VariantError as error:
        raise ApiError(
            409, "conflict", f"question {question.key} cannot be drawn ({error}); tell the course's instructors"
        ) from None


def _keys(keys: list[str]) -> str:
    listed = ", ".join(repr(k)[:60] for k in keys[:MAX_ANSWER_KEYS_LISTED])
    return listed + (f" and {len(keys) - MAX_ANSWER_KEYS_LISTED} more" if len(keys) > MAX_ANSWER_KEYS_LISTED else "")


def grade_attempt(user, quiz: Quiz, answers: Any, questions: list[Question] | None = None) -> list[dict[str, Any]]:
    """Grade ``answers`` (question key -> answer) against ``user``'s variants; nothing is stored.

    A missing or null answer is unanswered (wrong). Unknown keys and malformed answers are a
    400 "invalid_field" naming them, so a broken form never costs the student an attempt.
    """
    if not isinstance(answers, Mapping):
        raise ApiError(400, "invalid_field", '"answers" must be an object: question key -> answer')
    questions = quiz_questions(quiz) if questions is None else questions
    known = {q.key for q in questions}
    unknown = sorted(str(k) for k in answers if k not in known)
    if unknown:
        raise ApiError(
            400, "invalid_field", f"this quiz has no question {_keys(unknown)} (reload it: it may have changed)"
        )
    terms = glossary_terms(quiz.course)
    results, malformed = [], []
    for question in questions:
        variant = variant_or_conflict(user, question)
        given = answers.get(question.key)
        if given is None:
            correct, message = False, "not answered"
        else:
            outcome = grade_answer(
                question.type, variant.answer, given, options=question.options, tolerance=question.tolerance
            )
            if outcome.malformed:
                malformed.append(f"{question.key}: {outcome.message}")
                continue
            correct, message = outcome.correct, outcome.message
        results.append(
            {
                "key": question.key,
                "type": question.type,
                "correct": correct,
                "points": question.points if correct else 0.0,
                "max_points": question.points,
                "message": message,
                "answer": given,
                "correct_answer": variant.answer,
                "explanation_html": render_markdown(question.explanation, terms) if question.explanation else "",
                "params": variant.params,
            }
        )
    if malformed:
        more = f" (and {len(malformed) - 3} more)" if len(malformed) > 3 else ""
        raise ApiError(400, "invalid_field", "malformed answers: " + "; ".join(malformed[:3]) + more)
    return results


def next_number(user, quiz: Quiz) -> int:
    """The number of the user's next attempt at the quiz (numbers go on across offerings)."""
    last = QuizAttempt.objects.filter(user=user, quiz=quiz).aggregate(last=Max("number"))["last"]
    return (last or 0) + 1


def submit_attempt(user, quiz: Quiz, answers: Any, *, now: datetime | None = None) -> QuizAttempt:
    """Grade and store a new attempt of ``user`` at ``quiz``.

    Raises ApiError: 403 forbidden / not_open / closed / attempt_limit, 400 invalid_field for
    unknown keys or malformed answers, 409 conflict if a generator is broken.
    """
    now = now or timezone.now()
    # Refused before grading: what grading says of malformed answers (question keys, their
    # types, which options exist) must not reach a student before the quiz opens.
    early = availability(user, quiz, now=now).refusal()
    if early is not None:
        raise early
    results = grade_attempt(user, quiz, answers)
    points = sum(r["points"] for r in results)
    max_points = sum(r["max_points"] for r in results)
    for _ in range(NUMBER_RETRIES):
        try:
            with transaction.atomic():
                # One attempt at a time per user: two requests at once cannot both take the last place.
                get_user_model().objects.select_for_update().filter(pk=user.pk).first()
                current = availability(user, quiz, now=now)
                refusal = current.refusal()
                if refusal is not None:
                    raise refusal
                return QuizAttempt.objects.create(
                    user=user,
                    quiz=quiz,
                    offering=current.offering,
                    number=next_number(user, quiz),
                    answers=dict(answers),
                    results=results,
                    score=points / max_points if max_points else 0.0,
                    points=points,
                    max_points=max_points,
                    created_at=now,
                )
        except IntegrityError:
            continue  # another attempt took this number between our count and our insert
    raise ApiError(409, "conflict", "other attempts at this quiz are being stored at the same moment; try again")


def best_scores(user, quiz_ids: list[int]) -> dict[int, float]:
    """The user's best score (0..1) per quiz id, over all their attempts; quizzes never tried are absent."""
    rows = QuizAttempt.objects.filter(user=user, quiz__in=quiz_ids).values("quiz").annotate(best=Max("score"))
    return {row["quiz"]: row["best"] for row in rows}


def public_results(results: list[dict[str, Any]], reveal: bool) -> list[dict[str, Any]]:
    """The stored results as the student may see them (see the module docstring)."""
    shown = []
    for result in results:
        open_book = reveal or result.get("correct", False)
        shown.append(
            {
                "key": result["key"],
                "type": result["type"],
                "correct": result["correct"],
                "points": result["points"],
                "max_points": result["max_points"],
                "message": result["message"],
                "answer": result.get("answer"),
                "correct_answer": result.get("correct_answer") if open_book else None,
                "explanation_html": (result.get("explanation_html") or None) if open_book else None,
            }
        )
    return shown

"""Study pages: the glossary, flashcard review, taking a quiz and the student's own grades.

Each page is a thin layer over the functions the JSON API calls (stride.glossary.search,
stride.flashcards.scheduling, stride.quizzes.attempts), so the rules (who may review a card,
when a quiz is open, what feedback reveals) live in one place and the pages follow them.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import groupby
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count, Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.timesince import timeuntil
from django.views.decorators.http import require_GET, require_http_methods

from stride.api.views import MAX_ID, SLUG, ApiError
from stride.courses import access
from stride.courses.markdown import render_markdown
from stride.courses.models import Course
from stride.exercises.models import Exercise
from stride.flashcards import scheduling
from stride.flashcards.api import find_card
from stride.flashcards.models import CardState
from stride.glossary.api import term_detail
from stride.glossary.linking import LinkTerm, glossary_terms
from stride.glossary.models import Term
from stride.glossary.schema import MAX_QUERY_LENGTH
from stride.glossary.search import current_terms, search_terms
from stride.quizzes import attempts
from stride.quizzes.grading import grid_shape
from stride.quizzes.models import Question, Quiz, QuizAttempt
from stride.quizzes.variants import render_param
from stride.submissions.models import Submission
from stride.web.forms import MAX_MATRIX_CELLS, answer_from_form, field_name

RATING_LABELS = {"again": "Again", "hard": "Hard", "good": "Good", "easy": "Easy"}
ATTEMPTS_LISTED = 10


def _percent(score: float | None) -> int | None:
    return None if score is None else round(100 * score)


# -- glossary ----------------------------------------------------------------------------------


def _term_entries(terms: list[Term]) -> list[dict[str, Any]]:
    """The terms as the API describes them, plus the names their see-also keys point to."""
    links: dict[int, list[LinkTerm]] = {}
    entries = []
    for term in terms:
        if term.course_id not in links:
            links[term.course_id] = glossary_terms(term.course)
        names = {link.key: link.names[0] for link in links[term.course_id]}
        detail = term_detail(term, links[term.course_id])
        # A see-also key of a retired term has nowhere to point: leave it out.
        detail["see_also_links"] = [{"key": key, "name": names[key]} for key in detail["see_also"] if key in names]
        detail["course_obj"] = term.course
        entries.append(detail)
    return entries


@require_GET
def glossary(request: HttpRequest) -> HttpResponse:
    """Every term grouped by course, or the terms matching ``?q=``, best first. Public."""
    q = request.GET.get("q", "")
    searching = bool(q.strip())
    error = None
    if len(q) > MAX_QUERY_LENGTH:
        error, terms = f"Search for at most {MAX_QUERY_LENGTH} characters.", []
    else:
        terms = search_terms(q) if searching else list(current_terms())
    entries = _term_entries(terms)
    groups = (
        []
        if searching
        else [{"course": rows[0]["course_obj"], "entries": rows} for rows in _runs(entries, "course_obj")]
    )
    context = {"q": q, "searching": searching, "entries": entries, "groups": groups, "error": error, "nav": "glossary"}
    return render(request, "web/glossary.html", context, status=400 if error else 200)


def _runs(rows: list[dict[str, Any]], key: str) -> list[list[dict[str, Any]]]:
    return [list(run) for _, run in groupby(rows, key=lambda row: row[key].pk)]


# -- flashcards --------------------------------------------------------------------------------


def _deck_course(request: HttpRequest) -> Course | None:
    slug = request.GET.get("course")
    if slug is None:
        return None
    found = Course.objects.filter(slug=slug).first() if SLUG.fullmatch(slug) else None
    if found is None:
        raise Http404("no such course")
    return found


def _flashcards_url(course: Course | None) -> str:
    url = reverse("web:flashcards")
    return f"{url}?course={course.slug}" if course is not None else url


def _interval(delta: timedelta, now: datetime) -> str:
    # Under a minute reads "0 minutes" in Django's wording; a learning step is never that short.
    return timeuntil(now + max(delta, timedelta(minutes=1)), now, depth=1)


def _rating_buttons(entry: scheduling.DueCard, now: datetime) -> list[dict[str, Any]]:
    """The four ratings, each with the interval it would schedule (FSRS without fuzz is deterministic)."""
    intervals = scheduling.preview_intervals(entry, now)
    return [
        {"value": name, "label": RATING_LABELS[name], "number": number, "after": _interval(intervals[name], now)}
        for number, name in enumerate(scheduling.RATINGS, 1)
    ]


def _deck_rows(user, courses: list[Course], now: datetime) -> list[dict[str, Any]]:
    rows = []
    for course in courses:
        stats = scheduling.deck_stats(user, course, now=now)
        rows.append({"course": course, **stats, "retention_percent": _percent(stats["retention"])})
    return rows


def _next_due(user, courses: list[Course]) -> datetime | None:
    """When the earliest studied card of these decks falls due (the queue is empty, so in the future)."""
    return (
        CardState.objects.filter(user=user, reps__gt=0, card__retired=False, card__course__in=[c.pk for c in courses])
        .order_by("due")
        .values_list("due", flat=True)
        .first()
    )


def _flashcards_page(request: HttpRequest, course: Course | None, error: str | None = None) -> HttpResponse:
    user, now = request.user, timezone.now()
    studied = list(scheduling.study_courses(user))
    courses = [course] if course is not None else studied
    queue = scheduling.due_cards(user, course, now=now, limit=1)
    current = None
    if queue:
        entry = queue[0]
        current = {
            "card": entry.card,
            "state": entry.state_name,
            # No glossary links on cards: a term's tooltip would give its own answer away.
            "front_html": render_markdown(entry.card.front),
            "back_html": render_markdown(entry.card.back),
            "ratings": _rating_buttons(entry, now),
        }
    context = {
        "course": course,
        "studied": studied,
        "due": scheduling.due_count(user, course, now=now),
        "current": current,
        "next_due": None if current else _next_due(user, courses),
        "decks": _deck_rows(user, courses, now),
        "action": _flashcards_url(course),
        "error": error,
        "nav": "flashcards",
    }
    return render(request, "web/flashcards.html", context, status=400 if error else 200)


def _denied(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, template, {**context, "denied": True}, status=403)


@login_required
@require_http_methods(["GET", "POST"])
def flashcards(request: HttpRequest) -> HttpResponse:
    """GET: the next due card (``?course=<slug>`` keeps one deck). POST: rate a card, then the next one."""
    course = _deck_course(request)
    if course is not None and not access.is_enrolled(request.user, course):
        return _denied(request, "web/flashcards.html", {"course": course, "nav": "flashcards"})
    if request.method == "GET":
        return _flashcards_page(request, course)
    try:
        card = find_card(request.POST.get("card", ""))
    except ApiError:
        raise Http404("no such flashcard") from None
    if not access.is_enrolled(request.user, card.course):
        return _denied(request, "web/flashcards.html", {"course": card.course, "nav": "flashcards"})
    rating = request.POST.get("rating", "")
    try:
        state = scheduling.review(request.user, card, rating)
    except ValueError:
        return _flashcards_page(request, course, error="Choose Again, Hard, Good or Easy to rate the card.")
    after = _interval(state.due - state.last_review, state.last_review)
    messages.success(request, f"Rated {RATING_LABELS[rating]}: you will see that card again in {after}.")
    return redirect(_flashcards_url(course))


# -- quizzes -----------------------------------------------------------------------------------


def _find_quiz(quiz_id: int) -> Quiz:
    found = None
    if 0 < quiz_id <= MAX_ID:  # a larger id cannot exist and would overflow the query
        found = Quiz.objects.select_related("course", "section").filter(pk=quiz_id, retired=False).first()
    if found is None:
        raise Http404("no such quiz")
    return found


def _matrix_shape(answer: Any) -> tuple[int, int] | None:
    if isinstance(answer, list) and answer and all(isinstance(row, list) and row for row in answer):
        rows, cols = grid_shape(answer)
        return (rows, cols) if rows * cols <= MAX_MATRIX_CELLS else None
    return None


def _form_answer(request: HttpRequest, question: Question, shape: tuple[int, int] | None) -> Any:
    """The submitted answer to ``question``; blank fields are "not answered", not a malformed answer."""
    given = answer_from_form(request.POST, {"id": question.key, "type": question.type}, shape)
    if given == "" or given == []:
        return None
    if question.type == "matrix" and isinstance(given, list) and all(cell == "" for row in given for cell in row):
        return None
    return given


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else render_param(value)


def _choice(question: Question, value: str, label: str, checked: bool, index: int) -> dict[str, Any]:
    return {"value": value, "label": label, "checked": checked, "id": f"{field_name(question.key)}-{index}"}


def _options(question: Question, given: Any) -> list[dict[str, Any]]:
    if question.type == "true_false":
        chosen = {True: "true", False: "false"}.get(given, given) if isinstance(given, bool | str) else None
        return [
            _choice(question, value, label, chosen == value, index)
            for index, (value, label) in enumerate((("true", "True"), ("false", "False")))
        ]
    chosen_many = given if isinstance(given, list) else [given]
    return [_choice(question, option, option, option in chosen_many, i) for i, option in enumerate(question.options)]


def _grid(question: Question, shape: tuple[int, int], given: Any) -> list[list[dict[str, Any]]]:
    name = field_name(question.key)
    grid = given if isinstance(given, list) else []

    def cell(r: int, c: int) -> str:
        row = grid[r] if r < len(grid) and isinstance(grid[r], list) else []
        return _as_text(row[c]) if c < len(row) else ""

    return [
        [
            {"name": f"{name}-r{r}-c{c}", "value": cell(r, c), "label": f"Row {r + 1}, column {c + 1}"}
            for c in range(shape[1])
        ]
        for r in range(shape[0])
    ]


def _correct_answer(question_type: str, answer: Any) -> dict[str, Any] | None:
    """How a revealed correct answer reads: a grid for matrices, text otherwise."""
    if answer is None:
        return None
    if question_type == "matrix" and _matrix_shape(answer):
        return {"grid": [[render_param(cell) for cell in row] for row in answer]}
    if question_type == "multiple" and isinstance(answer, list):
        return {"text": "; ".join(str(choice) for choice in answer)}
    if question_type == "true_false" and isinstance(answer, bool):
        return {"text": "True" if answer else "False"}
    if question_type == "text" and isinstance(answer, list):
        return {"text": str(answer[0]) if answer else "", "others": [str(a) for a in answer[1:]]}
    return {"text": _as_text(answer)}


def _quiz_items(user, questions: list[Question], terms, answers: dict[str, Any], results: dict[str, dict]) -> list:
    items = []
    for number, question in enumerate(questions, 1):
        given = answers.get(question.key)
        item: dict[str, Any] = {
            "number": number,
            "key": question.key,
            "type": question.type,
            "name": field_name(question.key),
            "points": question.points,
            "value": "" if isinstance(given, list) else _as_text(given),
            "result": results.get(question.key),
        }
        try:
            variant = attempts.variant_or_conflict(user, question)
        except ApiError as broken:
            item["error"] = broken.detail
            items.append(item)
            continue
        item["prompt_html"] = render_markdown(variant.prompt, terms)
        if question.type in ("single", "multiple", "true_false"):
            item["options"] = _options(question, given)
        if question.type == "matrix":
            shape = _matrix_shape(variant.answer)
            if shape is None:
                item["error"] = f"question {question.key} has no grid to fill in; tell the course's instructors"
            else:
                item["grid"] = _grid(question, shape, given)
        if item["result"] is not None:
            item["correct_answer"] = _correct_answer(question.type, item["result"]["correct_answer"])
        items.append(item)
    return items


def _submitted_answers(request: HttpRequest, user, questions: list[Question]) -> dict[str, Any]:
    answers = {}
    for question in questions:
        shape = None
        if question.type == "matrix":
            try:
                shape = _matrix_shape(attempts.variant_or_conflict(user, question).answer)
            except ApiError:
                shape = None  # submit_attempt refuses the attempt with the same 409
        answers[question.key] = _form_answer(request, question, shape)
    return answers


def _attempt_once(request: HttpRequest, user, quiz: Quiz, answers: dict[str, Any]) -> tuple[QuizAttempt, bool]:
    """A new graded attempt, or ``(latest, True)`` when this form's answers are in already.

    The form carries the number of the latest attempt its page showed. Another attempt since
    then with the same answers is this form sent twice (a double click, a reload of the page
    the POST answered): counting it again would use up an attempt for nothing. Different
    answers come from a page that is out of date (another tab): a 409, the answers kept.
    """
    seen = request.POST.get("after_attempt", "")
    with transaction.atomic():
        # The lock submit_attempt takes, held from this check to its insert, so the two
        # requests of a double click are answered one after the other.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        if seen.isascii() and seen.isdigit():
            latest = QuizAttempt.objects.filter(user=user, quiz=quiz).order_by("-number").first()
            if latest is not None and latest.number > int(seen[:9]):
                if latest.answers == answers:
                    return latest, True
                raise ApiError(
                    409,
                    "conflict",
                    f"attempt {latest.number} was submitted since this page was loaded (in another tab?), "
                    "so these answers were not counted; check them and submit again",
                )
        return attempts.submit_attempt(user, quiz, answers), False


@login_required
@require_http_methods(["GET", "POST"])
def quiz(request: HttpRequest, quiz_id: int) -> HttpResponse:
    """GET: the caller's variant of each question and their latest feedback. POST: a graded attempt."""
    found = _find_quiz(quiz_id)
    user = request.user
    base = {"quiz": found, "course": found.course, "nav": "courses"}
    try:
        state = attempts.availability(user, found)
    except ApiError:
        return _denied(request, "web/quiz.html", base)
    questions = attempts.quiz_questions(found)
    error, error_code, status, shown, repeated = None, None, 200, None, False
    if request.method == "POST":
        answers = _submitted_answers(request, user, questions)
        try:
            shown, repeated = _attempt_once(request, user, found, answers)
        except ApiError as refused:
            # A form that needs fixing (a malformed answer) is a 422, as in the lesson player.
            error, error_code = refused.detail, refused.error
            status = 422 if refused.status == 400 else refused.status
        else:
            state = attempts.availability(user, found)
            answers = shown.answers
    else:
        shown = QuizAttempt.objects.filter(user=user, quiz=found).order_by("-created_at", "-number").first()
        answers = shown.answers if shown is not None else {}
    results = {}
    if shown is not None:
        results = {result["key"]: result for result in attempts.public_results(shown.results, state.final)}
    terms = glossary_terms(found.course)
    history = list(QuizAttempt.objects.filter(user=user, quiz=found).order_by("-created_at", "-number"))
    refusal = state.refusal()
    context = {
        **base,
        "description_html": render_markdown(found.description, terms),
        "state": state,
        "question_count": len(questions),
        "refusal_code": refusal.error if refusal is not None else None,
        "items": _quiz_items(user, questions, terms, answers, results) if state.shows_questions else [],
        "attempt": shown,
        "attempt_percent": _percent(shown.score) if shown is not None else None,
        "just_submitted": request.method == "POST" and error is None,
        "repeated": repeated,
        "after_attempt": max((a.number for a in history), default=0),
        "history": [{"attempt": a, "percent": _percent(a.score)} for a in history[:ATTEMPTS_LISTED]],
        "best_percent": _percent(max((a.score for a in history), default=None)),
        "error": error,
        "error_code": error_code,
        "action": reverse("web:quiz", args=[found.pk]),
    }
    return render(request, "web/quiz.html", context, status=status)


# -- grades ------------------------------------------------------------------------------------


def _exercise_rows(user) -> list[dict[str, Any]]:
    stats = {
        row["exercise"]: row
        for row in Submission.objects.filter(user=user)
        .values("exercise")
        .annotate(best=Max("score"), attempts=Count("id"), last=Max("created_at"))
    }
    rows = []
    for exercise in Exercise.objects.all():
        found = stats.get(exercise.pk, {})
        rows.append(
            {
                "exercise": exercise,
                "best_percent": _percent(found.get("best")),
                "attempts": found.get("attempts", 0),
                "last": found.get("last"),
            }
        )
    return rows


def _quiz_groups(user) -> list[dict[str, Any]]:
    found = Quiz.objects.filter(retired=False).select_related("course")
    if not access.is_site_staff(user):
        found = found.filter(course__in=access.enrolled_course_ids(user))
    quizzes = list(
        found.order_by("course__number", "course__slug", "section__module__position", "section__position", "position")
    )
    states = attempts.availabilities(user, quizzes)
    best = attempts.best_scores(user, [q.pk for q in quizzes])
    rows = [
        {"quiz": q, "course": q.course, "best_percent": _percent(best.get(q.pk)), "state": states[q.pk]}
        for q in quizzes
    ]
    return [{"course": run[0]["course"], "rows": run} for run in _runs(rows, "course")]


@login_required
@require_GET
def grades(request: HttpRequest) -> HttpResponse:
    """The caller's own results: best score and attempts per exercise and per quiz."""
    context = {"exercises": _exercise_rows(request.user), "quiz_groups": _quiz_groups(request.user), "nav": "grades"}
    return render(request, "web/grades.html", context)

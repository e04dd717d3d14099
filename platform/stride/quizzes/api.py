"""JSON API views of the quizzes (mounted under /api/ by stride.api.urls).

A quiz is visible to whoever takes its course (an enrolment in one of its offerings) and
to site staff. Questions are sent as the caller's own variant and never with an answer;
answers come back only in an attempt's feedback, as stride.quizzes.attempts decides.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from stride.api.views import ID, MAX_ID, SLUG, ApiError, api_view, authenticated, json_object, list_limit
from stride.courses import access
from stride.courses.markdown import render_markdown
from stride.glossary.linking import glossary_terms
from stride.quizzes import attempts
from stride.quizzes.attempts import Availability
from stride.quizzes.grading import grid_shape
from stride.quizzes.models import Question, Quiz, QuizAttempt


def _find_quiz(quiz_id: str) -> Quiz:
    found = None
    if ID.fullmatch(quiz_id) and 0 < int(quiz_id) <= MAX_ID:
        found = Quiz.objects.select_related("course", "section").filter(pk=int(quiz_id), retired=False).first()
    if found is None:
        raise ApiError(404, "not_found", "no such quiz")
    return found


def _summary(quiz: Quiz, found: Availability, question_count: int, best: float | None) -> dict[str, Any]:
    return {
        "id": quiz.pk,
        "key": quiz.key,
        "title": quiz.title,
        "course": quiz.course.slug,
        "section": quiz.section.number if quiz.section else None,
        "question_count": question_count,
        "state": found.state,
        "opens_at": found.opens_at,
        "closes_at": found.closes_at,
        "attempts_used": found.used,
        "attempts_allowed": found.max_attempts,
        "can_attempt": found.can_attempt,
        "best_score": best,
    }


def _is_grid(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(row, list) and row for row in value)


def _question(request: HttpRequest, question: Question, terms) -> dict[str, Any]:
    variant = attempts.variant_or_conflict(request.api_user, question)
    shape = None
    if question.type == "matrix" and _is_grid(variant.answer):
        rows, cols = grid_shape(variant.answer)
        shape = {"rows": rows, "cols": cols}
    return {
        "key": question.key,
        "type": question.type,
        "prompt_html": render_markdown(variant.prompt, terms),
        "options": list(question.options or []),
        "points": question.points,
        "shape": shape,
    }


def _attempt(attempt: QuizAttempt, reveal: bool) -> dict[str, Any]:
    return {
        "id": attempt.pk,
        "quiz": attempt.quiz_id,
        "number": attempt.number,
        "created_at": attempt.created_at,
        "score": attempt.score,
        "points": attempt.points,
        "max_points": attempt.max_points,
        "revealed": reveal,
        "results": attempts.public_results(attempt.results, reveal),
    }


@csrf_exempt
@never_cache
@api_view("GET")
@authenticated
def quizzes(request: HttpRequest) -> JsonResponse:
    """The quizzes of the caller's courses (every course for site staff), optionally of one course."""
    user = request.api_user
    found = Quiz.objects.filter(retired=False).select_related("course", "section")
    if not access.is_site_staff(user):
        found = found.filter(course__in=access.enrolled_course_ids(user))
    slug = request.GET.get("course")
    if slug is not None:
        if not SLUG.fullmatch(slug):
            raise ApiError(400, "invalid_parameter", "course must be a course slug (letters, digits, - and _)")
        found = found.filter(course__slug=slug)
    listed = list(found)
    ids = [q.pk for q in listed]
    counts = Counter(Question.objects.filter(quiz__in=ids, retired=False).values_list("quiz", flat=True))
    states = attempts.availabilities(user, listed)
    best = attempts.best_scores(user, ids)
    return JsonResponse({"quizzes": [_summary(q, states[q.pk], counts.get(q.pk, 0), best.get(q.pk)) for q in listed]})


@csrf_exempt
@never_cache
@api_view("GET")
@authenticated
def quiz(request: HttpRequest, quiz_id: str) -> JsonResponse:
    """One quiz with the caller's variant of every question (none before it opens), without answers."""
    found = _find_quiz(quiz_id)
    state = attempts.availability(request.api_user, found)
    questions = attempts.quiz_questions(found)
    terms = glossary_terms(found.course)
    shown = [_question(request, q, terms) for q in questions] if state.shows_questions else None
    best = attempts.best_scores(request.api_user, [found.pk]).get(found.pk)
    return JsonResponse(
        {
            **_summary(found, state, len(questions), best),
            "description_html": render_markdown(found.description, terms),
            "questions": shown,
        }
    )


@csrf_exempt
@never_cache
@api_view("GET", "POST")
@authenticated
def quiz_attempts(request: HttpRequest, quiz_id: str) -> JsonResponse:
    """GET: the caller's attempts, newest first. POST: a new attempt, graded at once."""
    found = _find_quiz(quiz_id)
    user = request.api_user
    if request.method == "POST":
        # A 403 (not enrolled, not open, closed, no attempt left) comes before anything the body could get.
        refusal = attempts.availability(user, found).refusal()
        if refusal is not None:
            raise refusal
        data = json_object(request)
        if "answers" not in data:
            raise ApiError(400, "invalid_field", '"answers" is required: an object of question key -> answer')
        created = attempts.submit_attempt(user, found, data["answers"])
        state = attempts.availability(user, found)
        return JsonResponse(_attempt(created, state.final), status=201)
    state = attempts.availability(user, found)
    limit = list_limit(request)
    made = QuizAttempt.objects.filter(user=user, quiz=found).order_by("-created_at", "-number")[:limit]
    return JsonResponse({"attempts": [_attempt(a, state.final) for a in made]})


urlpatterns = [
    path("quizzes", quizzes, name="quizzes"),
    path("quizzes/<str:quiz_id>", quiz, name="quiz"),
    path("quizzes/<str:quiz_id>/attempts", quiz_attempts, name="quiz-attempts"),
]

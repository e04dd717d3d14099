"""JSON API views of the flashcards (mounted under /api/ by stride.api.urls).

Students study the decks of the courses of their offerings; the offering's instructors
and TAs and site staff may study them too. Markdown goes out rendered to safe HTML.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from stride.api.views import ID, MAX_ID, SLUG, ApiError, api_view, authenticated, json_object, list_limit
from stride.courses.access import require_enrolled
from stride.courses.markdown import render_markdown
from stride.courses.models import Course
from stride.flashcards import scheduling
from stride.flashcards.models import Card, CardState
from stride.flashcards.schema import MAX_DURATION_MS


def find_card(card_id: str) -> Card:
    # An id that cannot exist is refused before it reaches the database (bigint overflow).
    card = None
    if ID.fullmatch(card_id) and 0 < int(card_id) <= MAX_ID:
        card = Card.objects.select_related("course").filter(pk=int(card_id), retired=False).first()
    if card is None:
        raise ApiError(404, "not_found", "no such flashcard")
    return card


def find_course(slug: str) -> Course:
    if not SLUG.fullmatch(slug):
        raise ApiError(400, "invalid_parameter", "course must be a course slug (letters, digits, - and _)")
    course = Course.objects.filter(slug=slug).first()
    if course is None:
        raise ApiError(404, "not_found", "no such course")
    return course


def rating_field(data: dict[str, Any]) -> str:
    rating = data.get("rating")
    if not isinstance(rating, str) or rating not in scheduling.RATINGS:
        raise ApiError(400, "invalid_field", f'"rating" must be one of {", ".join(scheduling.RATINGS)}')
    return rating


def duration_field(data: dict[str, Any]) -> int | None:
    if "duration_ms" not in data:
        return None
    value = data["duration_ms"]
    # JSON 1500.0 is the integer 1500 to JSON Schema; true and false are not numbers at all.
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_DURATION_MS:
        raise ApiError(400, "invalid_field", f'"duration_ms" must be an integer from 0 to {MAX_DURATION_MS}')
    return value


def card_json(entry: scheduling.DueCard) -> dict[str, Any]:
    card = entry.card
    return {
        "id": card.pk,
        "key": card.key,
        "course": card.course.slug,
        "front_html": render_markdown(card.front),
        "back_html": render_markdown(card.back),
        "tags": list(card.tags),
        "state": entry.state_name,
        "due": entry.due,
    }


def schedule_json(card: Card, state: CardState) -> dict[str, Any]:
    interval = state.due - state.last_review
    return {
        "card": card.pk,
        "state": scheduling.state_name(state),
        "step": state.step,
        "due": state.due,
        "last_review": state.last_review,
        "interval_seconds": round(interval.total_seconds()),
        "interval_days": round(interval.total_seconds() / 86400, 4),
        "stability": state.stability,
        "difficulty": state.difficulty,
        "reps": state.reps,
        "lapses": state.lapses,
    }


@csrf_exempt
@never_cache
@api_view("GET")
@authenticated
def due(request: HttpRequest) -> JsonResponse:
    """The caller's due queue, of one course (``course``) or of all the caller studies."""
    user, now = request.api_user, timezone.now()
    limit = list_limit(request)
    slug = request.GET.get("course")
    course = None
    if slug is not None:
        course = find_course(slug)
        require_enrolled(user, course)
    queue = scheduling.due_cards(user, course, now=now, limit=limit)
    return JsonResponse(
        {"total_due": scheduling.due_count(user, course, now=now), "cards": [card_json(entry) for entry in queue]}
    )


@csrf_exempt
@never_cache
@api_view("POST")
@authenticated
def review(request: HttpRequest, card_id: str) -> JsonResponse:
    """Record the caller's rating of a card; answers the card's new schedule."""
    card = find_card(card_id)
    require_enrolled(request.api_user, card.course)
    data = json_object(request)
    rating, duration = rating_field(data), duration_field(data)
    state = scheduling.review(request.api_user, card, rating, duration_ms=duration)
    return JsonResponse(schedule_json(card, state))


@csrf_exempt
@never_cache
@api_view("GET")
@authenticated
def decks(request: HttpRequest) -> JsonResponse:
    """The caller's standing with the deck of each course they study."""
    user, now = request.api_user, timezone.now()
    listed = [
        {"course": course.slug, "title": course.title, **scheduling.deck_stats(user, course, now=now)}
        for course in scheduling.study_courses(user)
    ]
    return JsonResponse({"decks": listed})


urlpatterns = [
    path("flashcards/due", due, name="flashcards-due"),
    path("flashcards/decks", decks, name="flashcards-decks"),
    path("flashcards/<str:card_id>/review", review, name="flashcard-review"),
]

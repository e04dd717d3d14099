"""The flashcards API: the due queue, reviews and deck statistics, under the personas.

The demo course is synced and taught through cnn-101 (students A and B, the instructor);
the outsider takes nothing; staff is site staff.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.http import HttpResponse

from stride.api.schema import OPENAPI
from stride.courses.models import Course
from stride.courses.package import COURSES_DIR, load_course
from stride.courses.sync import sync_course
from stride.flashcards.models import Card, CardState, ReviewLog
from tests.api.support import ApiClient, Persona, assert_error

DUE = "/api/flashcards/due"
DECKS = "/api/flashcards/decks"
PERSONAS = ["anonymous", "student_a", "student_b", "instructor", "outsider", "staff"]


def review_path(card: Card | int) -> str:
    return f"/api/flashcards/{card if isinstance(card, int) else card.pk}/review"


def queue(persona: Persona, **query: object) -> dict:
    response = persona.api.get(DUE, {"limit": 200, **query})
    assert response.status_code == 200, response.content
    return response.json()


def rate(persona: Persona, card: Card, rating: str = "good", **extra: object) -> HttpResponse:
    return persona.api.post_json(review_path(card), {"rating": rating, **extra})


@pytest.fixture
def deck(course: Course) -> list[Card]:
    """The demo deck in deck order (authored cards, then one per glossary term)."""
    return list(Card.objects.filter(course=course, retired=False).order_by("position"))


def test_it_shows_a_new_student_the_whole_demo_deck_as_due(student_a: Persona, deck: list[Card]) -> None:
    body = queue(student_a, course="cnn-features")
    assert [card["key"] for card in body["cards"]] == [card.key for card in deck]
    assert body["total_due"] == len(deck) >= 25 + 15
    assert any(card["key"].startswith("term-") for card in body["cards"])
    assert {card["state"] for card in body["cards"]} == {"new"}
    assert {card["due"] for card in body["cards"]} == {None}
    assert {card["course"] for card in body["cards"]} == {"cnn-features"}
    # Without a course: the decks of every course the student takes, here the same one.
    assert queue(student_a) == body


def test_it_sends_each_card_rendered(student_a: Persona, deck: list[Card]) -> None:
    cards = {card["key"]: card for card in queue(student_a)["cards"]}
    authored = next(card for card in deck if "`" in card.front)  # e.g. "How many ... `Conv2D(64, 3)` ..."
    sent = cards[authored.key]
    assert sent["id"] == authored.pk
    assert sent["tags"] == authored.tags
    assert "<code>" in sent["front_html"] and "`" not in sent["front_html"]
    assert sent["back_html"].startswith("<p>")
    term_card = next(card for card in deck if card.key.startswith("term-"))
    assert cards[term_card.key]["tags"] == ["glossary"]
    assert term_card.term.term in cards[term_card.key]["front_html"]


def test_it_limits_the_queue_but_counts_all_of_it(student_a: Persona, deck: list[Card]) -> None:
    body = student_a.api.get(DUE, {"limit": 5}).json()
    assert [card["key"] for card in body["cards"]] == [card.key for card in deck[:5]]
    assert body["total_due"] == len(deck)
    assert len(student_a.api.get(DUE).json()["cards"]) == min(50, len(deck))


def test_it_schedules_a_reviewed_card_and_takes_it_out_of_the_queue(student_a: Persona, deck: list[Card]) -> None:
    response = rate(student_a, deck[0], "good", duration_ms=3200)
    assert response.status_code == 200
    schedule = response.json()
    assert schedule["card"] == deck[0].pk
    assert (schedule["state"], schedule["step"], schedule["reps"], schedule["lapses"]) == ("learning", 1, 1, 0)
    assert schedule["interval_seconds"] == 600
    assert schedule["interval_days"] == pytest.approx(600 / 86400, abs=1e-4)
    assert schedule["stability"] > 0 and 1 <= schedule["difficulty"] <= 10

    body = queue(student_a)
    assert deck[0].key not in [card["key"] for card in body["cards"]]
    assert body["total_due"] == len(deck) - 1
    log = ReviewLog.objects.get(user=student_a.user)
    assert (log.card_id, log.rating, log.state_before, log.review_duration_ms) == (deck[0].pk, 3, None, 3200)


def test_it_schedules_easy_further_than_good_and_good_further_than_hard(student_a: Persona, deck: list[Card]) -> None:
    seconds = {
        rating: rate(student_a, card, rating).json()["interval_seconds"]
        for card, rating in zip(deck, ["again", "hard", "good", "easy"], strict=False)
    }
    assert seconds["again"] < seconds["hard"] < seconds["good"] < seconds["easy"]
    assert rate(student_a, deck[3], "easy").status_code == 200  # counted once: same answer again
    assert CardState.objects.get(user=student_a.user, card=deck[3]).reps == 1


def test_it_keeps_student_bs_reviews_out_of_student_as_queue(
    student_a: Persona, student_b: Persona, deck: list[Card]
) -> None:
    before = queue(student_a)
    for card in deck[:10]:
        assert rate(student_b, card, "easy").status_code == 200
    assert queue(student_a) == before
    assert queue(student_b)["total_due"] == len(deck) - 10
    assert not CardState.objects.filter(user=student_a.user).exists()
    decks = student_a.api.get(DECKS).json()["decks"]
    assert (decks[0]["new"], decks[0]["reviews_30d"]) == (len(deck), 0)


def test_it_reports_the_deck_statistics(student_a: Persona, deck: list[Card]) -> None:
    fresh = student_a.api.get(DECKS).json()["decks"]
    assert len(fresh) == 1
    assert fresh[0]["course"] == "cnn-features"
    assert fresh[0]["total"] == fresh[0]["new"] == fresh[0]["due_now"] == fresh[0]["due_today"] == len(deck)
    assert (fresh[0]["retention"], fresh[0]["mean_retrievability"]) == (None, None)

    rate(student_a, deck[0], "easy")
    rate(student_a, deck[1], "good")
    stats = student_a.api.get(DECKS).json()["decks"][0]
    assert (stats["new"], stats["learning"], stats["review"], stats["reviews_30d"]) == (len(deck) - 2, 1, 1, 2)
    assert stats["due_now"] == len(deck) - 2
    assert stats["retention"] is None  # first reviews of new cards say nothing about retention
    assert stats["day_ends_at"].endswith(("T00:00:00Z", "T00:00:00+00:00"))


def test_it_keeps_the_schedule_when_the_course_is_synced_again(student_a: Persona, deck: list[Card]) -> None:
    due = rate(student_a, deck[0], "easy").json()["due"]
    sync_course(load_course(COURSES_DIR / "cnn-features"))
    assert CardState.objects.get(user=student_a.user, card=deck[0]).reps == 1
    assert deck[0].key not in [card["key"] for card in queue(student_a)["cards"]]
    assert rate(student_a, deck[0], "easy").json()["due"] == due  # the same answer, still counted once


def test_it_hides_retired_cards(student_a: Persona, deck: list[Card]) -> None:
    Card.objects.filter(pk=deck[0].pk).update(retired=True)
    assert deck[0].key not in [card["key"] for card in queue(student_a)["cards"]]
    assert_error(rate(student_a, deck[0]), 404, "not_found")


def test_it_lets_teachers_and_staff_study_the_deck(instructor: Persona, staff: Persona, deck: list[Card]) -> None:
    for persona in (instructor, staff):
        assert queue(persona, course="cnn-features")["total_due"] == len(deck)
        assert rate(persona, deck[0]).status_code == 200
        assert [d["course"] for d in persona.api.get(DECKS).json()["decks"]] == ["cnn-features"]


def test_it_refuses_the_outsider(outsider: Persona, deck: list[Card]) -> None:
    assert_error(outsider.api.get(DUE, {"course": "cnn-features"}), 403, "forbidden")
    assert_error(rate(outsider, deck[0]), 403, "forbidden")
    assert not CardState.objects.exists()
    # Without a course: the decks of no course at all.
    assert queue(outsider) == {"total_due": 0, "cards": []}
    assert outsider.api.get(DECKS).json() == {"decks": []}


def test_it_refuses_anonymous_callers(anonymous: Persona, deck: list[Card]) -> None:
    assert_error(anonymous.api.get(DUE), 401, "unauthenticated")
    assert_error(anonymous.api.get(DECKS), 401, "unauthenticated")
    assert_error(rate(anonymous, deck[0]), 401, "unauthenticated")


def test_it_answers_404_for_cards_and_courses_that_do_not_exist(student_a: Persona, deck: list[Card]) -> None:
    missing = max(card.pk for card in Card.objects.all()) + 1
    for card_id in [str(missing), "0", "-1", "abc", "1.5", str(2**63), "9" * 30]:
        assert_error(student_a.api.post_json(f"/api/flashcards/{card_id}/review", {"rating": "good"}), 404, "not_found")
    assert_error(student_a.api.get(DUE, {"course": "no-such-course"}), 404, "not_found")


def test_it_refuses_bad_parameters(student_a: Persona, deck: list[Card]) -> None:
    for query in [{"limit": 0}, {"limit": 201}, {"limit": "ten"}, {"course": "not a slug"}, {"course": ""}]:
        assert_error(student_a.api.get(DUE, query), 400, "invalid_parameter")


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"rating": "Good"},
        {"rating": 3},
        {"rating": None},
        {"rating": ["good"]},
        {"rating": {"good": True}},
        {"rating": "good", "duration_ms": -1},
        {"rating": "good", "duration_ms": "1000"},
        {"rating": "good", "duration_ms": True},
        {"rating": "good", "duration_ms": 2.5},
        {"rating": "good", "duration_ms": 2**31},
    ],
)
def test_it_refuses_a_bad_review(student_a: Persona, deck: list[Card], body: dict) -> None:
    assert_error(student_a.api.post_json(review_path(deck[0]), body), 400, "invalid_field")
    assert not ReviewLog.objects.exists()


def test_it_refuses_a_body_that_is_not_json(student_a: Persona, deck: list[Card]) -> None:
    path = review_path(deck[0])
    assert_error(student_a.api.post(path, "rating=good", content_type="text/plain"), 415, "unsupported_media_type")
    assert_error(student_a.api.post(path, "{", content_type="application/json"), 400, "invalid_json")
    assert_error(student_a.api.post(path, "[]", content_type="application/json"), 400, "invalid_body")
    assert not ReviewLog.objects.exists()


def test_it_accepts_a_whole_number_written_as_a_float(student_a: Persona, deck: list[Card]) -> None:
    assert rate(student_a, deck[0], duration_ms=1500.0).status_code == 200
    assert ReviewLog.objects.get().review_duration_ms == 1500


def test_it_answers_405_for_other_methods(student_a: Persona, deck: list[Card]) -> None:
    response = student_a.api.get(review_path(deck[0]))
    assert_error(response, 405, "method_not_allowed")
    assert response["Allow"] == "POST"
    assert_error(student_a.api.post_json(DUE, {}), 405, "method_not_allowed")
    assert_error(student_a.api.delete(DECKS), 405, "method_not_allowed")


def test_it_needs_a_bearer_token_to_review(student_a: Persona, deck: list[Card]) -> None:
    browser = ApiClient()
    browser.force_login(student_a.user)
    assert browser.get(DUE).status_code == 200  # a session is enough to read
    assert_error(browser.post_json(review_path(deck[0]), {"rating": "good"}), 401, "unauthenticated")
    assert not ReviewLog.objects.exists()


# -- the matrix: every flashcard operation against every persona ---------------------------------

MATRIX: list[tuple[str, str, Callable[[Persona, Card], HttpResponse], dict[str, int]]] = [
    ("get", DUE, lambda p, card: p.api.get(DUE), {**dict.fromkeys(PERSONAS, 200), "anonymous": 401}),
    (
        "get",
        DUE + "?course",
        lambda p, card: p.api.get(DUE, {"course": "cnn-features"}),
        {**dict.fromkeys(PERSONAS, 200), "anonymous": 401, "outsider": 403},
    ),
    ("get", DECKS, lambda p, card: p.api.get(DECKS), {**dict.fromkeys(PERSONAS, 200), "anonymous": 401}),
    (
        "post",
        "/api/flashcards/{card_id}/review",
        lambda p, card: rate(p, card),
        {**dict.fromkeys(PERSONAS, 200), "anonymous": 401, "outsider": 403},
    ),
]


def test_it_covers_every_flashcard_operation() -> None:
    documented = {
        (method, path)
        for path, item in OPENAPI["paths"].items()
        if path.startswith("/api/flashcards")
        for method in item
        if method != "parameters"
    }
    assert {(method, path.split("?")[0]) for method, path, *_ in MATRIX} == documented


@pytest.mark.parametrize("persona_name", PERSONAS)
@pytest.mark.parametrize(("method", "path", "call", "expected"), MATRIX, ids=[f"{m} {p}" for m, p, *_ in MATRIX])
def test_it_answers_each_persona_as_the_matrix_says(
    request: pytest.FixtureRequest, deck: list[Card], persona_name: str, method: str, path: str, call, expected
) -> None:
    persona = request.getfixturevalue(persona_name)
    response = call(persona, deck[0])
    assert response.status_code == expected[persona_name], response.content[:300]

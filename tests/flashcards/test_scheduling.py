"""FSRS scheduling of the flashcards, the due queue and the deck statistics (stride.flashcards.scheduling).

Reviews happen at fixed times, so every schedule is exact: fuzzing is off.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta, timezone

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, connections

from stride.courses.models import Course
from stride.flashcards import schema
from stride.flashcards.models import Card, CardState, ReviewLog
from stride.flashcards.scheduling import (
    DUPLICATE_WINDOW,
    RATINGS,
    STATE_NAMES,
    DueCard,
    day_end,
    deck_stats,
    due_cards,
    due_count,
    preview_intervals,
    review,
    study_courses,
)
from stride.offerings.models import Enrollment, Offering

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
SECOND, MINUTE, DAY = timedelta(seconds=1), timedelta(minutes=1), timedelta(days=1)
LEARNING, REVIEW, RELEARNING = 1, 2, 3


@pytest.fixture
def course(db) -> Course:
    return Course.objects.create(slug="deck", title="A deck", number="1", version="v1")


@pytest.fixture
def cards(course: Course) -> list[Card]:
    """Five live cards in deck order (created out of order), and a retired one in between."""
    made = {
        position: Card.objects.create(
            course=course, key=f"card-{position}", front=f"Q{position}", back="A", position=position
        )
        for position in (3, 0, 4, 1, 2)
    }
    Card.objects.create(course=course, key="retired", front="gone", back="gone", position=2, retired=True)
    return [made[position] for position in range(5)]


@pytest.fixture
def student(db):
    return get_user_model().objects.create_user("student")


@pytest.fixture
def other(db):
    return get_user_model().objects.create_user("other")


def keys(queue) -> list[str]:
    return [entry.card.key for entry in queue]


def test_it_schedules_a_card_through_a_sequence_of_reviews(student, cards: list[Card]) -> None:
    card = cards[0]

    first = review(student, card, "good", now=T0)
    assert (first.state, first.step, first.reps, first.lapses) == (LEARNING, 1, 1, 0)
    assert first.due == T0 + 10 * MINUTE  # the second learning step

    at = first.due
    graduated = review(student, card, "good", now=at)
    assert (graduated.state, graduated.step) == (REVIEW, None)
    first_interval = graduated.due - at
    assert first_interval >= DAY

    at = graduated.due
    grown = review(student, card, "good", now=at)
    second_interval = grown.due - at
    assert second_interval > first_interval
    assert grown.stability > graduated.stability

    at = grown.due
    lapsed = review(student, card, "again", now=at)
    assert (lapsed.state, lapsed.step, lapsed.lapses) == (RELEARNING, 0, 1)
    assert lapsed.due == at + 10 * MINUTE  # the relearning step
    assert lapsed.stability < grown.stability
    assert lapsed.difficulty > grown.difficulty

    at = lapsed.due
    relearned = review(student, card, "good", now=at)
    assert (relearned.state, relearned.reps, relearned.lapses) == (REVIEW, 5, 1)
    assert DAY <= relearned.due - at < second_interval  # forgetting costs interval

    stored = CardState.objects.get(user=student, card=card)
    assert (stored.due, stored.reps, stored.lapses, stored.last_review) == (relearned.due, 5, 1, at)

    log = list(ReviewLog.objects.filter(user=student, card=card).order_by("reviewed_at"))
    assert [entry.rating for entry in log] == [3, 3, 3, 1, 3]
    assert [entry.state_before for entry in log] == [None, LEARNING, REVIEW, REVIEW, RELEARNING]
    assert [entry.reviewed_at for entry in log] == [T0, first.due, graduated.due, grown.due, lapsed.due]
    assert log[0].due_before is None
    # Each entry's due time before the review is the previous entry's due time after it.
    assert [entry.due_before for entry in log[1:]] == [entry.due_after for entry in log[:-1]]
    assert log[-1].due_after == relearned.due


def test_it_schedules_easy_further_than_good_further_than_hard(student, cards: list[Card]) -> None:
    # Three cards brought to the same review state, then rated differently at the same time.
    for card in cards[:3]:
        review(student, card, "good", now=T0)
        review(student, card, "good", now=T0 + 10 * MINUTE)
    at = CardState.objects.get(user=student, card=cards[0]).due
    hard, good, easy = (
        review(student, card, rating, now=at) for card, rating in zip(cards[:3], ["hard", "good", "easy"], strict=True)
    )
    assert at < hard.due < good.due < easy.due
    assert {hard.state, good.state, easy.state} == {REVIEW}


def test_it_schedules_a_new_card_by_its_first_rating(student, cards: list[Card]) -> None:
    again, hard, good, easy = (
        review(student, card, rating, now=T0)
        for card, rating in zip(cards, ["again", "hard", "good", "easy"], strict=False)
    )
    assert [again.due - T0, hard.due - T0, good.due - T0] == [MINUTE, 5.5 * MINUTE, 10 * MINUTE]
    assert (easy.state, easy.step) == (REVIEW, None)
    assert easy.due - T0 >= DAY


def test_it_previews_what_each_rating_would_schedule_without_storing_it(student, cards: list[Card]) -> None:
    new = preview_intervals(DueCard(cards[0], None), now=T0)
    assert list(new) == list(RATINGS)
    assert [new["again"], new["hard"], new["good"]] == [MINUTE, 5.5 * MINUTE, 10 * MINUTE]
    assert not CardState.objects.exists()
    # A studied card: each preview is the interval that rating then really gets.
    for card in cards[:4]:
        review(student, card, "good", now=T0)
    at = T0 + 10 * MINUTE
    states = CardState.objects.filter(user=student).order_by("card__position")
    previews = [preview_intervals(DueCard(state.card, state), now=at) for state in states]
    assert previews[0] == previews[3]
    for state, rating in zip(states, RATINGS, strict=True):
        assert review(student, state.card, rating, now=at).due - at == previews[0][rating]
    assert previews[0]["again"] < previews[0]["hard"] < previews[0]["good"] < previews[0]["easy"]


def test_it_gives_the_same_schedule_for_the_same_reviews(student, other, cards: list[Card]) -> None:
    schedules = []
    for user in (student, other):
        at, states = T0, []
        for rating in ["good", "good", "hard", "again", "easy"]:
            state = review(user, cards[0], rating, now=at)
            states.append((state.due, state.stability, state.difficulty))
            at = state.due
        schedules.append(states)
    assert schedules[0] == schedules[1]


def test_it_refuses_an_unknown_rating_and_stores_nothing(student, cards: list[Card]) -> None:
    for rating in ["Good", "", "ok", 3, None]:
        with pytest.raises(ValueError, match="rating"):
            review(student, cards[0], rating, now=T0)
    assert not CardState.objects.exists()
    assert not ReviewLog.objects.exists()


def test_it_records_the_same_answer_sent_twice_once(student, cards: list[Card]) -> None:
    first = review(student, cards[0], "again", now=T0, duration_ms=1500)
    repeated = review(student, cards[0], "again", now=T0 + 2 * SECOND)
    assert (repeated.due, repeated.reps) == (first.due, 1)
    assert ReviewLog.objects.filter(user=student).count() == 1
    # A different rating is a new answer; so is the same one later on.
    changed = review(student, cards[0], "good", now=T0 + 3 * SECOND)
    assert changed.reps == 2
    later = review(student, cards[0], "good", now=T0 + DUPLICATE_WINDOW + 5 * SECOND)
    assert later.reps == 3
    assert ReviewLog.objects.filter(user=student).count() == 3
    assert ReviewLog.objects.filter(user=student).order_by("reviewed_at")[0].review_duration_ms == 1500


def test_it_puts_the_whole_deck_in_a_new_students_queue(student, cards: list[Card]) -> None:
    queue = due_cards(student, cards[0].course, now=T0)
    assert keys(queue) == [f"card-{n}" for n in range(5)]  # deck order, the retired card left out
    assert {entry.state_name for entry in queue} == {"new"}
    assert {entry.due for entry in queue} == {None}
    assert due_count(student, cards[0].course, now=T0) == 5


def test_it_keeps_a_reviewed_card_out_of_the_queue_until_it_is_due(student, cards: list[Card]) -> None:
    course = cards[0].course
    state = review(student, cards[2], "good", now=T0)
    before = state.due - SECOND
    assert "card-2" not in keys(due_cards(student, course, now=before))
    assert due_count(student, course, now=before) == 4
    queue = due_cards(student, course, now=state.due)
    # Once due, it comes before the new cards.
    assert keys(queue) == ["card-2", "card-0", "card-1", "card-3", "card-4"]
    assert (queue[0].state_name, queue[0].due) == ("learning", state.due)
    assert due_count(student, course, now=state.due) == 5


def test_it_lists_the_longest_overdue_cards_first(student, cards: list[Card]) -> None:
    course = cards[0].course
    review(student, cards[4], "good", now=T0)  # due at T0 + 10 min
    review(student, cards[3], "again", now=T0)  # due at T0 + 1 min
    review(student, cards[1], "hard", now=T0)  # due at T0 + 5.5 min
    assert keys(due_cards(student, course, now=T0 + DAY)) == ["card-3", "card-1", "card-4", "card-0", "card-2"]
    assert keys(due_cards(student, course, now=T0 + DAY, limit=2)) == ["card-3", "card-1"]
    assert keys(due_cards(student, course, now=T0 + DAY, limit=4)) == ["card-3", "card-1", "card-4", "card-0"]
    assert due_count(student, course, now=T0 + DAY) == 5


def test_it_leaves_retired_cards_out_even_when_they_were_studied(student, cards: list[Card]) -> None:
    course = cards[0].course
    review(student, cards[1], "again", now=T0)
    Card.objects.filter(pk=cards[1].pk).update(retired=True)
    assert keys(due_cards(student, course, now=T0 + DAY)) == ["card-0", "card-2", "card-3", "card-4"]
    assert due_count(student, course, now=T0 + DAY) == 4
    assert deck_stats(student, course, now=T0 + DAY)["total"] == 4


def test_it_keeps_students_apart(student, other, cards: list[Card]) -> None:
    course = cards[0].course
    for card in cards:
        review(other, card, "easy", now=T0)
    assert keys(due_cards(student, course, now=T0)) == [f"card-{n}" for n in range(5)]
    assert due_count(other, course, now=T0) == 0
    assert deck_stats(student, course, now=T0)["new"] == 5
    assert not CardState.objects.filter(user=student).exists()


def test_it_queues_the_cards_of_every_course_the_student_takes(student, cards: list[Card]) -> None:
    taken = Course.objects.create(slug="other-deck", title="Other", number="2", version="v1")
    not_taken = Course.objects.create(slug="not-taken", title="Not taken", number="3", version="v1")
    Card.objects.create(course=taken, key="taken-card", front="Q", back="A")
    Card.objects.create(course=not_taken, key="not-taken-card", front="Q", back="A")
    for slug, deck in [("o1", cards[0].course), ("o2", taken)]:
        offering = Offering.objects.create(slug=slug, title=slug, course=deck)
        Enrollment.objects.create(offering=offering, user=student)
    assert set(study_courses(student)) == {cards[0].course, taken}
    assert keys(due_cards(student, now=T0)) == [*(f"card-{n}" for n in range(5)), "taken-card"]
    assert due_count(student, now=T0) == 6


def test_it_counts_the_deck_statistics(student, cards: list[Card]) -> None:
    course = cards[0].course
    empty = deck_stats(student, course, now=T0)
    assert empty == {
        "total": 5,
        "new": 5,
        "due_now": 5,
        "due_today": 5,
        "day_ends_at": datetime(2025, 3, 4, tzinfo=UTC),
        "learning": 0,
        "review": 0,
        "relearning": 0,
        "reviews_30d": 0,
        "retention": None,
        "mean_retrievability": None,
    }

    review(student, cards[4], "easy", now=T0 - 40 * DAY)
    review(student, cards[4], "again", now=T0 - 35 * DAY)  # relearning, overdue; both before the window
    review(student, cards[0], "good", now=T0 - 20 * MINUTE)
    review(student, cards[0], "again", now=T0 - 10 * MINUTE)  # learning, due since T0 - 9 min
    review(student, cards[1], "hard", now=T0)  # learning, due at T0 + 5.5 min
    review(student, cards[2], "easy", now=T0 - 20 * DAY)
    later = review(student, cards[2], "good", now=T0 - 12 * DAY)  # review, due after today
    now = T0 + 2 * MINUTE
    stats = deck_stats(student, course, now=now)
    assert later.due > stats["day_ends_at"]

    assert (stats["total"], stats["new"]) == (5, 1)
    assert (stats["learning"], stats["review"], stats["relearning"]) == (2, 1, 1)
    assert stats["due_now"] == 3 == due_count(student, course, now=now)  # card-3 (new), card-0, card-4
    assert stats["due_today"] == 4  # and card-1
    assert stats["reviews_30d"] == 5  # card-0 twice, card-1 once, card-2 twice
    # Two of those were of cards already studied: card-0's again and card-2's good.
    assert stats["retention"] == pytest.approx(1 / 2)
    assert 0 < stats["mean_retrievability"] < 1


def test_it_rates_retention_on_reviews_of_studied_cards_only(student, cards: list[Card]) -> None:
    course = cards[0].course
    for card in cards:
        review(student, card, "again", now=T0)  # first sight of new cards: not a retention failure
    assert deck_stats(student, course, now=T0)["retention"] is None
    review(student, cards[0], "good", now=T0 + MINUTE)
    review(student, cards[1], "good", now=T0 + MINUTE)
    review(student, cards[2], "hard", now=T0 + MINUTE)
    review(student, cards[3], "again", now=T0 + MINUTE)
    assert deck_stats(student, course, now=T0 + MINUTE)["retention"] == pytest.approx(3 / 4)


def test_it_sees_the_chance_of_recall_fall_with_time(student, cards: list[Card]) -> None:
    course = cards[0].course
    review(student, cards[0], "easy", now=T0)
    assert deck_stats(student, course, now=T0)["mean_retrievability"] == pytest.approx(1.0)
    soon = deck_stats(student, course, now=T0 + 3 * DAY)["mean_retrievability"]
    late = deck_stats(student, course, now=T0 + 60 * DAY)["mean_retrievability"]
    assert 0.9 < soon < 1.0
    assert late < soon


def test_it_ends_the_day_at_midnight_utc() -> None:
    assert day_end(datetime(2025, 3, 3, 23, 59, tzinfo=UTC)) == datetime(2025, 3, 4, tzinfo=UTC)
    assert day_end(datetime(2025, 3, 4, 0, 0, tzinfo=UTC)) == datetime(2025, 3, 5, tzinfo=UTC)
    # A time in another zone counts in UTC: 01:30 on the 4th in UTC+2 is still the 3rd there.
    assert day_end(datetime(2025, 3, 4, 1, 30, tzinfo=timezone(timedelta(hours=2)))) == datetime(2025, 3, 4, tzinfo=UTC)


def test_it_matches_the_names_the_schema_documents() -> None:
    assert list(RATINGS) == schema.RATINGS
    assert ["new", *STATE_NAMES.values()] == schema.STATES


@pytest.mark.django_db(transaction=True)
def test_it_applies_answers_sent_at_once_one_after_the_other(student, cards: list[Card]) -> None:
    """Eight requests at once for the same new card, each on its own connection (as separate
    web processes would be): one review is recorded, and the state agrees with the log."""
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serializes writers anyway; the row lock matters on PostgreSQL")
    start = threading.Barrier(8)
    errors: list[BaseException] = []

    def one(rating: str) -> None:
        try:
            start.wait(timeout=10)
            review(student, cards[0], rating)
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=one, args=("good",)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    state = CardState.objects.get(user=student, card=cards[0])
    assert state.reps == ReviewLog.objects.filter(user=student, card=cards[0]).count() == 1
    assert (state.state, state.step) == (LEARNING, 1)

"""The flashcard review page: the due queue one card at a time, rating by form, deck stats."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from stride.flashcards import scheduling
from stride.flashcards.models import Card, CardState, ReviewLog
from tests.web.conftest import Visitor

URL = "/flashcards/"


def shown_card(html: str) -> int:
    return int(re.search(r'<input type="hidden" name="card" value="(\d+)">', html).group(1))


def due_shown(html: str) -> int:
    return int(re.search(r'data-due-count="(\d+)"', html).group(1))


def deck(course) -> list[Card]:
    return list(Card.objects.filter(course=course, retired=False).order_by("position", "pk"))


def test_it_sends_anonymous_visitors_to_log_in(anonymous: Visitor) -> None:
    response = anonymous.client.get(URL)
    assert response.status_code == 302 and response["Location"] == "/accounts/login/?next=/flashcards/"


def test_it_shows_the_first_due_card_with_the_review_hooks(course, student: Visitor) -> None:
    response = student.client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    first = deck(course)[0]
    assert due_shown(html) == len(deck(course))
    assert shown_card(html) == first.pk
    assert "data-flashcards" in html and 'data-action="show-answer"' in html
    assert "How is a grayscale image stored" in html  # the front
    assert "one brightness value per pixel" in html  # the back, inside <details>
    assert html.index("<details") < html.index("one brightness value per pixel")
    for number, rating in enumerate(("again", "hard", "good", "easy"), 1):
        assert f'name="rating" value="{rating}" data-rating="{number}"' in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_it_labels_each_rating_with_the_interval_it_schedules(course, student: Visitor) -> None:
    html = student.client.get(URL).content.decode()
    intervals = re.findall(r'<span class="rating-interval muted">([^<]+)</span>', html)
    assert len(intervals) == 4 and intervals[0] == "1\xa0minute"
    student.client.post(URL, {"card": shown_card(html), "rating": "easy"})
    after = student.client.get(URL).content.decode()
    assert f"Rated Easy: you will see that card again in {intervals[3]}." in after


def test_it_rates_the_card_and_moves_on_to_the_next(course, student: Visitor) -> None:
    before = due_shown(student.client.get(URL).content.decode())
    first, second = deck(course)[:2]
    response = student.client.post(URL, {"card": first.pk, "rating": "good"})
    assert response.status_code == 302 and response["Location"] == URL
    state = CardState.objects.get(user=student.user, card=first)
    assert state.reps == 1 and state.due > timezone.now()
    assert ReviewLog.objects.filter(user=student.user, card=first, rating=3).count() == 1
    html = student.client.get(URL).content.decode()
    assert due_shown(html) == before - 1 and shown_card(html) == second.pk
    assert "Rated Good: you will see that card again in" in html


def test_it_keeps_each_students_queue_apart(course, student: Visitor, other_student: Visitor) -> None:
    first = deck(course)[0]
    student.client.post(URL, {"card": first.pk, "rating": "easy"})
    html = other_student.client.get(URL).content.decode()
    assert due_shown(html) == len(deck(course)) and shown_card(html) == first.pk


def test_it_keeps_the_course_filter_across_a_review(course, student: Visitor) -> None:
    html = student.client.get(URL, {"course": course.slug}).content.decode()
    assert f'action="/flashcards/?course={course.slug}"' in html
    response = student.client.post(f"{URL}?course={course.slug}", {"card": shown_card(html), "rating": "hard"})
    assert response.status_code == 302 and response["Location"] == f"{URL}?course={course.slug}"


def test_it_says_all_caught_up_with_the_next_due_time_and_deck_stats(course, student: Visitor) -> None:
    yesterday = timezone.now() - timedelta(days=1)
    cards = deck(course)
    for card in cards:
        scheduling.review(student.user, card, "easy", now=yesterday)
    scheduling.review(student.user, cards[0], "good")  # a review of a studied card: it counts for retention
    html = student.client.get(URL).content.decode()
    assert "All caught up" in html and due_shown(html) == 0
    assert 'name="card"' not in html
    assert "The next card is due in" in html
    stats = html[html.index("<caption>Your decks</caption>") :]
    assert course.title in stats and ">100%<" in stats


def test_it_invites_a_student_without_a_course_to_enrol(course, outsider: Visitor) -> None:
    response = outsider.client.get(URL)
    assert response.status_code == 200 and b"No decks yet" in response.content
    assert b'name="card"' not in response.content


def test_it_refuses_the_deck_of_a_course_the_user_does_not_take(course, outsider: Visitor) -> None:
    response = outsider.client.get(URL, {"course": course.slug})
    assert response.status_code == 403 and b"You do not take this course" in response.content
    denied = outsider.client.post(URL, {"card": deck(course)[0].pk, "rating": "good"})
    assert denied.status_code == 403 and not ReviewLog.objects.exists()


@pytest.mark.parametrize("slug", ["no-such-course", "not a slug"])
def test_it_answers_404_for_an_unknown_course(course, student: Visitor, slug: str) -> None:
    assert student.client.get(URL, {"course": slug}).status_code == 404


@pytest.mark.parametrize("card", ["999999", "", "abc", "99999999999999999999999"])
def test_it_answers_404_for_an_unknown_card(course, student: Visitor, card: str) -> None:
    assert student.client.post(URL, {"card": card, "rating": "good"}).status_code == 404
    assert not ReviewLog.objects.exists()


def test_it_answers_404_for_a_retired_card(course, student: Visitor) -> None:
    card = deck(course)[0]
    Card.objects.filter(pk=card.pk).update(retired=True)
    assert student.client.post(URL, {"card": card.pk, "rating": "good"}).status_code == 404


@pytest.mark.parametrize("rating", ["", "perfect", "GOOD"])
def test_it_refuses_an_unknown_rating_without_recording_it(course, student: Visitor, rating: str) -> None:
    response = student.client.post(URL, {"card": deck(course)[0].pk, "rating": rating})
    assert response.status_code == 400 and b"Choose Again, Hard, Good or Easy" in response.content
    assert not ReviewLog.objects.exists()


def test_it_allows_only_get_and_post(course, student: Visitor) -> None:
    assert student.client.put(URL).status_code == 405
    assert student.client.delete(URL).status_code == 405


def test_it_refuses_a_review_without_the_csrf_token(course, student: Visitor) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(student.user)
    response = client.post(URL, {"card": deck(course)[0].pk, "rating": "good"})
    assert response.status_code == 403 and not ReviewLog.objects.exists()

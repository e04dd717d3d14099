"""Flashcards in the Django admin: cards listed by course and searchable; students' states and
review logs shown but not edited there."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from stride.courses.models import Course
from stride.flashcards.models import Card, CardState, ReviewLog
from stride.flashcards.scheduling import review


@pytest.fixture
def browser(db) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.create_superuser("admin", password="admin-password"))
    return client


@pytest.fixture
def reviewed(db) -> tuple[Card, Card]:
    first = Course.objects.create(slug="first", title="First", version="v1")
    second = Course.objects.create(slug="second", title="Second", version="v1")
    kernel = Card.objects.create(course=first, key="what-is-a-kernel", front="What is a kernel?", back="Weights")
    pooling = Card.objects.create(course=second, key="max-pooling", front="What does max pooling keep?", back="Max")
    review(get_user_model().objects.create_user("student"), kernel, "good", now=datetime(2025, 3, 3, tzinfo=UTC))
    return kernel, pooling


def test_it_lists_cards_by_course_and_finds_them(browser: Client, reviewed: tuple[Card, Card]) -> None:
    kernel, pooling = reviewed
    listed = browser.get("/admin/flashcards/card/")
    assert listed.status_code == 200
    assert b"what-is-a-kernel" in listed.content and b"max-pooling" in listed.content
    filtered = browser.get("/admin/flashcards/card/", {"course__id__exact": pooling.course_id})
    assert b"max-pooling" in filtered.content and b"what-is-a-kernel" not in filtered.content
    found = browser.get("/admin/flashcards/card/", {"q": "kernel"})
    assert b"what-is-a-kernel" in found.content and b"max-pooling" not in found.content
    assert browser.get(f"/admin/flashcards/card/{kernel.pk}/change/").status_code == 200


def test_it_shows_states_and_reviews_without_editing_them(browser: Client, reviewed: tuple[Card, Card]) -> None:
    state, log = CardState.objects.get(), ReviewLog.objects.get()
    for model, row in [("cardstate", state), ("reviewlog", log)]:
        listed = browser.get(f"/admin/flashcards/{model}/")
        assert listed.status_code == 200
        assert b"student" in listed.content
        assert browser.get(f"/admin/flashcards/{model}/add/").status_code == 403
        page = browser.get(f"/admin/flashcards/{model}/{row.pk}/change/")
        assert page.status_code == 200  # shown, read-only
        assert b'name="_save"' not in page.content
    assert browser.post(f"/admin/flashcards/cardstate/{state.pk}/change/", {"reps": 99}).status_code == 403
    assert browser.post(f"/admin/flashcards/reviewlog/{log.pk}/change/", {"rating": 4}).status_code == 403
    state.refresh_from_db()
    log.refresh_from_db()
    assert (state.reps, log.rating) == (1, 3)
    # A state may be deleted (the card becomes new for the student); the log may not.
    assert browser.get(f"/admin/flashcards/reviewlog/{log.pk}/delete/").status_code == 403
    assert browser.get(f"/admin/flashcards/cardstate/{state.pk}/delete/").status_code == 200

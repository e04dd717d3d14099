"""Quizzes in the Django admin: quizzes with their questions inline, attempts listed read-only."""

from __future__ import annotations

import pytest
from django.test import Client

from stride.quizzes.attempts import submit_attempt
from stride.quizzes.models import Quiz


@pytest.fixture
def browser(make_user) -> Client:
    client = Client()
    client.force_login(make_user("admin", is_staff=True, is_superuser=True))
    return client


def test_it_lists_quizzes_with_their_question_counts(browser: Client, pooling_quiz: Quiz) -> None:
    response = browser.get("/admin/quizzes/quiz/")
    assert response.status_code == 200
    assert b"stride-padding-pooling" in response.content
    assert b'<td class="field-question_count">15</td>' in response.content


def test_it_shows_a_quizs_questions_inline(browser: Client, pooling_quiz: Quiz) -> None:
    response = browser.get(f"/admin/quizzes/quiz/{pooling_quiz.pk}/change/")
    assert response.status_code == 200
    assert b"q11-max-pool-variant" in response.content and b"max_pool_grid" in response.content


def test_it_lists_attempts_and_shows_one_without_letting_it_change(browser: Client, student, pooling_quiz) -> None:
    attempt = submit_attempt(student, pooling_quiz, {"q4-stride-two": 16})
    listing = browser.get("/admin/quizzes/quizattempt/")
    assert listing.status_code == 200 and b"student" in listing.content
    detail = browser.get(f"/admin/quizzes/quizattempt/{attempt.pk}/change/")
    assert detail.status_code == 200 and b"q4-stride-two" in detail.content
    assert b'name="_save"' not in detail.content
    assert browser.get("/admin/quizzes/quizattempt/add/").status_code == 403

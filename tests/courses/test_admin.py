"""Every learning-content model can be browsed and edited in the Django admin."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from stride.courses.models import Course

APPS = ("courses", "glossary", "flashcards", "quizzes", "offerings")
REGISTERED = sorted(
    (model._meta.app_label, model._meta.model_name) for model in admin.site._registry if model._meta.app_label in APPS
)


@pytest.fixture
def browser(course: Course, student) -> Client:
    from stride.flashcards.models import Card
    from stride.flashcards.scheduling import review
    from stride.offerings.models import Enrollment, GradedItem, Offering
    from stride.quizzes.models import Quiz, QuizAttempt

    offering = Offering.objects.create(slug="term", title="Term", course=course)
    Enrollment.objects.create(offering=offering, user=student)
    quiz = Quiz.objects.first()
    GradedItem.objects.create(offering=offering, quiz=quiz, max_attempts=2)
    QuizAttempt.objects.create(user=student, quiz=quiz, number=1, score=0.5, points=1, max_points=2)
    review(student, Card.objects.first(), "good")
    from stride.courses.models import Step, StepProgress

    StepProgress.objects.create(user=student, step=Step.objects.first())
    get_user_model().objects.create_superuser("admin", "admin@example.org", "pw")
    client = Client()
    client.login(username="admin", password="pw")
    return client


def test_it_registers_the_content_models() -> None:
    names = {name for _, name in REGISTERED}
    assert {"course", "lesson", "term", "card", "quiz", "offering", "stepprogress", "quizattempt"} <= names


@pytest.mark.parametrize(("app", "model"), REGISTERED)
def test_it_shows_the_list_and_an_edit_page(browser: Client, app: str, model: str) -> None:
    listing = browser.get(reverse(f"admin:{app}_{model}_changelist"))
    assert listing.status_code == 200
    model_class = next(m for m in admin.site._registry if (m._meta.app_label, m._meta.model_name) == (app, model))
    row = model_class.objects.first()
    assert row is not None, f"no {model} to open"
    assert browser.get(reverse(f"admin:{app}_{model}_change", args=[row.pk])).status_code == 200

"""Glossary terms in the Django admin: listed, searched, filtered by course, edited."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from stride.courses.markdown import render_markdown
from stride.courses.models import Course
from stride.courses.package import COURSES_DIR, load_course
from stride.courses.sync import sync_course
from stride.glossary.linking import glossary_terms
from stride.glossary.models import Term
from stride.glossary.search import search_terms

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser() -> Client:
    admin = get_user_model().objects.create_superuser("admin", password="admin-password")
    client = Client()
    client.force_login(admin)
    return client


@pytest.fixture
def course() -> Course:
    sync_course(load_course(COURSES_DIR / "cnn-features"))
    return Course.objects.get(slug="cnn-features")


def test_it_lists_the_terms(browser: Client, course: Course) -> None:
    response = browser.get("/admin/glossary/term/")
    assert response.status_code == 200
    assert b"feature map" in response.content and b"Conv2D output" in response.content


def test_it_searches_terms_by_alias(browser: Client, course: Course) -> None:
    response = browser.get("/admin/glossary/term/", {"q": "rectifier"})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1
    assert list(response.context["cl"].result_list)[0].key == "relu"


def test_it_filters_terms_by_course(browser: Client, course: Course) -> None:
    other = Course.objects.create(slug="rnn", title="RNN", version="v1")
    Term.objects.create(course=other, key="gate", term="gate", definition="A gate.")
    response = browser.get("/admin/glossary/term/", {"course__id__exact": other.pk})
    assert response.status_code == 200
    assert [term.key for term in response.context["cl"].result_list] == ["gate"]


def test_it_shows_the_search_text_read_only(browser: Client, course: Course) -> None:
    row = Term.objects.get(course=course, key="kernel")
    response = browser.get(f"/admin/glossary/term/{row.pk}/change/")
    assert response.status_code == 200
    assert "search_text" not in response.context["adminform"].form.fields
    assert b"convolution kernel" in response.content


def test_it_keeps_search_and_links_current_after_an_edit(browser: Client, course: Course) -> None:
    row = Term.objects.get(course=course, key="kernel")
    glossary_terms(course)  # cached before the edit
    response = browser.post(
        f"/admin/glossary/term/{row.pk}/change/",
        {
            "course": course.pk,
            "key": "kernel",
            "term": "kernel",
            "aliases": '["filter", "weight grid"]',
            "keras": row.keras,
            "definition": "A grid of learned weights.",
            "see_also": "[]",
            "position": row.position,
        },
    )
    assert response.status_code == 302, response.content[:2000]
    assert [term.key for term in search_terms("weight grid")] == ["kernel"]
    course.refresh_from_db()
    html = render_markdown("A weight grid.", glossary_terms(course))
    assert 'data-term="kernel"' in html and 'title="A grid of learned weights."' in html

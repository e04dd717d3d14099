"""The glossary page: public, every term grouped by course, searchable with ?q=."""

from __future__ import annotations

import re

from django.test import Client

from stride.glossary.models import Term
from tests.web.conftest import Visitor


def articles(html: str) -> list[str]:
    return re.findall(r'<article id="term-([\w-]+)" class="card', html)


def test_it_lists_every_current_term_for_anonymous_visitors(course, anonymous: Visitor) -> None:
    response = anonymous.client.get("/glossary/")
    assert response.status_code == 200
    html = response.content.decode()
    keys = list(Term.objects.filter(course=course, retired=False).order_by("position").values_list("key", flat=True))
    assert articles(html) == keys
    assert f">{course.title}</h2>" in html
    assert '<label for="glossary-q">Search the glossary</label>' in html and 'name="q"' in html


def test_it_shows_aliases_keras_name_definition_and_see_also(course, anonymous: Visitor) -> None:
    html = anonymous.client.get("/glossary/").content.decode()
    kernel = html[html.index('<article id="term-kernel"') :]
    kernel = kernel[: kernel.index("</article>")]
    assert "filter, convolution kernel" in kernel
    assert "<code>Conv2D(filters, kernel_size)</code>" in kernel
    assert 'class="definition prose"' in kernel and "<p>" in kernel
    assert '<a href="/glossary/#term-feature-map">feature map</a>' in kernel
    # The definition links other terms, never the term itself.
    assert 'data-term="kernel"' not in kernel


def test_it_leaves_out_retired_terms_and_see_also_links_to_them(course, anonymous: Visitor) -> None:
    Term.objects.filter(course=course, key="feature-map").update(retired=True)
    html = anonymous.client.get("/glossary/").content.decode()
    assert "feature-map" not in articles(html)
    assert "#term-feature-map" not in html


def test_it_finds_stride_from_a_word_prefix(course, anonymous: Visitor) -> None:
    response = anonymous.client.get("/glossary/", {"q": "str"})
    assert response.status_code == 200
    html = response.content.decode()
    found = articles(html)
    assert found and found[0] == "stride"
    assert "kernel" not in found
    assert 'value="str"' in html and "Show all terms" in html


def test_it_says_when_nothing_matches(course, anonymous: Visitor) -> None:
    html = anonymous.client.get("/glossary/", {"q": "zebra"}).content.decode()
    assert articles(html) == [] and "No term matches “zebra”" in html


def test_it_escapes_the_query(course, anonymous: Visitor) -> None:
    html = anonymous.client.get("/glossary/", {"q": "<script>alert(1)</script>"}).content.decode()
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_it_refuses_an_overlong_query_with_a_message(course, anonymous: Visitor) -> None:
    response = anonymous.client.get("/glossary/", {"q": "a" * 201})
    assert response.status_code == 400
    assert b"Search for at most 200 characters." in response.content


def test_it_allows_only_get(course, anonymous: Visitor, student: Visitor) -> None:
    assert anonymous.client.post("/glossary/", {"q": "str"}).status_code == 405
    assert student.client.put("/glossary/").status_code == 405


def test_it_is_served_under_the_content_security_policy(course) -> None:
    response = Client().get("/glossary/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert b"style=" not in response.content

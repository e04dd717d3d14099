"""GET /api/glossary: every current term, or a search (?q=), optionally of one course (?course=).

Every response is also validated against the served OpenAPI document by the ApiClient.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from stride.courses.models import Course
from stride.glossary.models import Term
from tests.api.support import Persona, assert_error


class _TermLinks(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.keys: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "a" and found.get("class") == "term":
            self.keys.append(found["data-term"] or "")


def term_links(html: str) -> list[str]:
    parser = _TermLinks()
    parser.feed(html)
    return parser.keys


def by_key(response) -> dict[str, dict]:
    return {term["key"]: term for term in response.json()["terms"]}


def test_it_lists_every_current_term_in_glossary_order(student_a: Persona, course: Course) -> None:
    response = student_a.api.get("/api/glossary")
    assert response.status_code == 200
    listed = response.json()["terms"]
    expected = list(
        Term.objects.filter(course=course, retired=False).order_by("position").values_list("key", flat=True)
    )
    assert [term["key"] for term in listed] == expected
    assert len(listed) >= 15


def test_it_describes_each_term(student_a: Persona, course: Course) -> None:
    feature_map = by_key(student_a.api.get("/api/glossary"))["feature-map"]
    row = Term.objects.get(course=course, key="feature-map")
    assert feature_map == {
        "id": row.pk,
        "key": "feature-map",
        "course": "cnn-features",
        "term": "feature map",
        "aliases": ["activation map"],
        "keras": "Conv2D output",
        "definition_html": feature_map["definition_html"],
        "see_also": ["kernel", "channel", "convolution"],
    }
    html = feature_map["definition_html"]
    assert html.startswith("<p>The 2D grid produced by one ")
    # Linked to the other terms it mentions (kernel, channel), each once, never to itself.
    assert term_links(html) == ["kernel", "channel"]
    assert 'href="/glossary/#term-kernel"' in html


def test_it_never_links_a_definition_to_its_own_term(student_a: Persona, course: Course) -> None:
    for key, term in by_key(student_a.api.get("/api/glossary")).items():
        assert key not in term_links(term["definition_html"]), key


def test_it_searches_best_match_first(student_a: Persona, course: Course) -> None:
    response = student_a.api.get("/api/glossary", {"q": "pooling"})
    assert response.status_code == 200
    # the term itself, then terms with the word in their name, then definitions mentioning it
    assert [term["key"] for term in response.json()["terms"]] == [
        "pooling",
        "max-pooling",
        "average-pooling",
        "global-average-pooling",
        "stride",
        "receptive-field",
    ]
    conv = [term["key"] for term in student_a.api.get("/api/glossary", {"q": "conv"}).json()["terms"]]
    assert conv[:2] == ["convolution", "kernel"]  # term prefix, then alias prefix ("convolution kernel")


def test_it_finds_a_term_by_alias_and_definition(student_a: Persona, course: Course) -> None:
    assert [t["key"] for t in student_a.api.get("/api/glossary", {"q": "activation map"}).json()["terms"]][0] == (
        "feature-map"
    )
    assert "max-pooling" in by_key(student_a.api.get("/api/glossary", {"q": "strongest activation"}))


def test_it_answers_a_search_without_match_with_an_empty_list(student_a: Persona, course: Course) -> None:
    response = student_a.api.get("/api/glossary", {"q": "transformer attention"})
    assert response.status_code == 200
    assert response.json() == {"terms": []}


def test_it_lists_everything_for_a_blank_query(student_a: Persona, course: Course) -> None:
    everything = [t["key"] for t in student_a.api.get("/api/glossary").json()["terms"]]
    assert [t["key"] for t in student_a.api.get("/api/glossary", {"q": "   "}).json()["terms"]] == everything
    assert [t["key"] for t in student_a.api.get("/api/glossary", {"q": ""}).json()["terms"]] == everything


def test_it_filters_by_course(student_a: Persona, course: Course) -> None:
    other = Course.objects.create(slug="rnn-basics", title="RNN", number="7", version="v1")
    row = Term(course=other, key="pooling", term="pooling", definition="Pooling over time steps.", position=0)
    row.refresh_search_text()
    row.save()

    both = student_a.api.get("/api/glossary", {"q": "pooling"}).json()["terms"]
    assert ("rnn-basics", "pooling") in {(t["course"], t["key"]) for t in both}
    only = student_a.api.get("/api/glossary", {"q": "pooling", "course": "rnn-basics"}).json()["terms"]
    assert [(t["course"], t["key"]) for t in only] == [("rnn-basics", "pooling")]
    listed = student_a.api.get("/api/glossary", {"course": "cnn-features"}).json()["terms"]
    assert {t["course"] for t in listed} == {"cnn-features"}


def test_it_leaves_out_retired_terms(student_a: Persona, course: Course) -> None:
    Term.objects.filter(course=course, key="flattening").update(retired=True)
    assert "flattening" not in by_key(student_a.api.get("/api/glossary"))
    assert "flattening" not in by_key(student_a.api.get("/api/glossary", {"q": "flattening"}))


@pytest.mark.parametrize("persona_name", ["student_a", "instructor", "outsider", "staff"])
def test_it_lets_every_signed_in_user_read_it(
    request: pytest.FixtureRequest, course: Course, persona_name: str
) -> None:
    # The glossary is reference material: no enrolment needed (the outsider has none).
    persona: Persona = request.getfixturevalue(persona_name)
    response = persona.api.get("/api/glossary", {"q": "kernel"})
    assert response.status_code == 200
    assert response.json()["terms"][0]["key"] == "kernel"


def test_it_refuses_an_anonymous_caller(anonymous: Persona, course: Course) -> None:
    assert_error(anonymous.api.get("/api/glossary"), 401, "unauthenticated")
    assert_error(anonymous.api.get("/api/glossary", {"q": "kernel"}), 401, "unauthenticated")


def test_it_refuses_a_bad_token(course: Course) -> None:
    from tests.api.support import ApiClient

    assert_error(ApiClient("not-a-token").get("/api/glossary"), 401, "unauthenticated")


@pytest.mark.parametrize("slug", ["no-such-course", "bad slug!", "x" * 51])
def test_it_answers_404_for_an_unknown_course(student_a: Persona, course: Course, slug: str) -> None:
    assert_error(student_a.api.get("/api/glossary", {"course": slug}), 404, "not_found")
    assert_error(student_a.api.get("/api/glossary", {"q": "kernel", "course": slug}), 404, "not_found")


def test_it_refuses_an_overly_long_query(student_a: Persona, course: Course) -> None:
    body = assert_error(student_a.api.get("/api/glossary", {"q": "k" * 201}), 400, "invalid_parameter")
    assert "200" in body["detail"]
    assert student_a.api.get("/api/glossary", {"q": "kernel " + "k" * 193}).status_code == 200


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_it_allows_only_reading(student_a: Persona, course: Course, method: str) -> None:
    response = getattr(student_a.api, method)("/api/glossary")
    assert_error(response, 405, "method_not_allowed")
    assert response["Allow"] == "GET, HEAD"
    assert Term.objects.filter(course=course).count() >= 15


def test_it_answers_a_query_with_odd_characters(student_a: Persona, course: Course) -> None:
    for q in ["%", "_", "\\", "(n - k)", "ß", "\u00a0", "'; DROP TABLE glossary_term; --", "\0"]:
        response = student_a.api.get("/api/glossary", {"q": q})
        assert response.status_code == 200, q

"""Glossary search: every query word must start a word of the term, an alias or the
definition; results are ranked exact name > name prefix > alias prefix > words inside
names > definition."""

from __future__ import annotations

import pytest

from stride.courses.models import Course
from stride.courses.package import COURSES_DIR, load_course
from stride.courses.sync import sync_course
from stride.glossary.models import Term
from stride.glossary.search import rank, search_terms

pytestmark = pytest.mark.django_db


def add(course: Course, key: str, term: str, aliases: list[str], definition: str, retired: bool = False) -> Term:
    row = Term(
        course=course,
        key=key,
        term=term,
        aliases=aliases,
        definition=definition,
        position=Term.objects.filter(course=course).count(),
        retired=retired,
    )
    row.refresh_search_text()
    row.save()
    return row


@pytest.fixture
def course() -> Course:
    course = Course.objects.create(slug="cnn", title="CNN", number="6", version="v1")
    add(course, "pooling", "pooling", ["downsampling"], "Summarises each window of a feature map.")
    add(course, "max-pooling", "max pooling", ["max-pool", "maxpool"], "Pooling that keeps the largest value.")
    add(course, "feature-map", "feature map", ["activation map"], "The grid one kernel produces.")
    add(course, "kernel", "kernel", ["filter"], "A small grid of weights that slides over the input.")
    add(course, "global-average-pooling", "global average pooling", ["GAP"], "Averages each whole feature map.")
    add(course, "padding", "padding", ["zero padding"], "Zeros added around the border of the input.")
    add(course, "old", "poolside", [], "A retired term.", retired=True)
    return course


def keys(q: str, course: Course | None = None) -> list[str]:
    return [term.key for term in search_terms(q, course)]


def test_it_ranks_exact_name_then_prefixes_then_words_then_definition(course: Course) -> None:
    assert keys("pooling") == ["pooling", "max-pooling", "global-average-pooling"]
    # prefix of a name, then words inside names, then a definition that mentions it
    assert keys("pool") == ["pooling", "max-pooling", "global-average-pooling"]
    assert keys("feature map") == ["feature-map", "pooling", "global-average-pooling"]


def test_it_puts_the_term_before_an_alias_prefix(course: Course) -> None:
    add(course, "filtering", "filtering", [], "Something else.")
    assert keys("filter") == ["kernel", "filtering"]  # exact alias, then a term starting with it
    assert keys("filt") == ["filtering", "kernel"]  # term prefix, then alias prefix


def test_it_ranks_each_level_as_documented(course: Course) -> None:
    kernel = Term.objects.get(key="kernel")
    assert [rank(kernel, q) for q in ["Kernel", "filter", "ker", "fil", "small grid", "nothing"]] == [
        0,
        1,
        2,
        3,
        5,
        None,
    ]
    gap = Term.objects.get(key="global-average-pooling")
    assert rank(gap, "average") == 4  # a word inside the name


def test_it_finds_word_prefixes_not_inner_substrings(course: Course) -> None:
    assert keys("ool") == []
    assert keys("map") == ["feature-map", "pooling", "global-average-pooling"]
    assert keys("max-pool") == ["max-pooling"]
    assert "max-pooling" in keys("keeps")


def test_it_requires_every_word(course: Course) -> None:
    assert keys("feature kernel") == ["feature-map"]
    assert keys("feature zebra") == []


def test_it_ignores_case_and_extra_whitespace(course: Course) -> None:
    assert keys("  GLOBAL   Average\tPOOL ") == ["global-average-pooling"]
    assert keys("gap") == ["global-average-pooling"]


def test_it_returns_everything_in_glossary_order_for_a_blank_query(course: Course) -> None:
    everything = ["pooling", "max-pooling", "feature-map", "kernel", "global-average-pooling", "padding"]
    assert keys("") == everything
    assert keys("   \n") == everything


def test_it_leaves_out_retired_terms(course: Course) -> None:
    assert keys("poolside") == []
    assert "old" not in keys("")


def test_it_filters_by_course(course: Course) -> None:
    other = Course.objects.create(slug="rnn", title="RNN", number="7", version="v1")
    add(other, "pooling", "pooling", [], "Pooling over time.")
    assert [(t.course.slug, t.key) for t in search_terms("pooling")][:2] == [("cnn", "pooling"), ("rnn", "pooling")]
    assert [(t.course.slug, t.key) for t in search_terms("pooling", other)] == [("rnn", "pooling")]
    assert keys("", other) == ["pooling"]


def test_it_treats_like_wildcards_and_regex_characters_as_text(course: Course) -> None:
    add(course, "percent", "100% padding", [], "Padding_everywhere (a [test]).")
    # Not wildcards (matching every term), and not word starts here ("100%", "padding_everywhere").
    assert keys("%") == []
    assert keys("_") == []
    assert keys("100%") == ["percent"]
    assert keys("(a") == ["percent"]
    assert keys("[test]") == ["percent"]
    assert keys(".*") == []


def test_it_handles_unicode_and_nul(course: Course) -> None:
    add(course, "strasse", "Straße", ["Übergang"], "Eine Straße.")
    assert keys("STRASSE") == ["strasse"]  # casefolded on both sides
    assert keys("übergang") == ["strasse"]
    assert keys("stra\0sse") == []
    assert keys("\0") == keys("")


def test_it_searches_the_demo_glossary() -> None:
    sync_course(load_course(COURSES_DIR / "cnn-features"))
    course = Course.objects.get(slug="cnn-features")
    assert keys("feature map", course)[0] == "feature-map"
    assert keys("activation map", course)[0] == "feature-map"
    assert keys("relu", course)[0] == "relu"
    assert keys("conv", course)[0] == "convolution"
    assert keys("GAP", course) == ["global-average-pooling"]
    assert "max-pooling" in keys("strongest activation", course)

"""Glossary terms in lesson Markdown link to their entry automatically.

Rules under test (see stride.courses.markdown.render_markdown): whole words, aliases,
case-insensitive with the original casing kept, longest name first, regular plurals
link too, only the first occurrence of each term per text, and never inside code, math,
links, image descriptions or headings.
"""

from __future__ import annotations

import re
import time
from html.parser import HTMLParser

import pytest

from stride.courses.markdown import LinkTerm, render_markdown
from stride.courses.models import Course
from stride.courses.package import COURSES_DIR, load_course
from stride.courses.sync import sync_course
from stride.glossary.linking import glossary_terms, short_definition
from stride.glossary.models import Term

TERMS = [
    LinkTerm("kernel", ("kernel", "filter", "convolution kernel"), "A small grid of weights."),
    LinkTerm("feature-map", ("feature map", "activation map"), "The grid one kernel produces."),
    LinkTerm("feature", ("feature",), "Something a filter detects."),
    LinkTerm("pooling", ("pooling",), "Summarising windows."),
    LinkTerm("average-pooling", ("average pooling",), "The mean of each window."),
    LinkTerm("global-average-pooling", ("global average pooling", "GAP"), "One number per map."),
    LinkTerm("max-pooling", ("max pooling", "max-pool"), "The largest value of each window."),
    LinkTerm("relu", ("ReLU",), "max(x, 0)."),
    LinkTerm("activation-function", ("activation function", "non-linearity"), "A non-linear function."),
    LinkTerm("stride", ("stride", "strides"), "How far the kernel moves."),
]


class _Links(HTMLParser):
    """The links of a fragment: (data-term or href, text), in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []
        self._open: list[str] | None = None
        self._target = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            found = dict(attrs)
            self._target, self._open = found.get("data-term") or found.get("href") or "", []

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._open is not None:
            self.links.append((self._target, "".join(self._open)))
            self._open = None


def links(markdown: str, terms: list[LinkTerm] = TERMS) -> list[tuple[str, str]]:
    parser = _Links()
    parser.feed(render_markdown(markdown, terms))
    return parser.links


def test_it_links_a_term_to_its_glossary_entry() -> None:
    html = render_markdown("A kernel slides.", TERMS)
    assert html == (
        '<p>A <a class="term" href="/glossary/#term-kernel" data-term="kernel" title="A small grid of weights." '
        'rel="noopener noreferrer nofollow">kernel</a> slides.</p>\n'
    )


def test_it_links_aliases_to_their_term() -> None:
    assert links("Each filter is learned.") == [("kernel", "filter")]
    assert links("Apply the non-linearity.") == [("activation-function", "non-linearity")]


def test_it_ignores_case_and_keeps_the_casing_written() -> None:
    assert links("KERNEL, Feature Map and relu.") == [
        ("kernel", "KERNEL"),
        ("feature-map", "Feature Map"),
        ("relu", "relu"),
    ]


def test_it_prefers_the_longest_name() -> None:
    assert links("The feature map shows where.") == [("feature-map", "feature map")]
    assert links("Global average pooling ends it.") == [("global-average-pooling", "Global average pooling")]
    assert links("A convolution kernel.") == [("kernel", "convolution kernel")]
    # A shorter term is still found on its own.
    assert links("Every feature counts.") == [("feature", "feature")]


@pytest.mark.parametrize(
    "text",
    ["kernelized", "subkernel", "kernel_size", "kernel2", "3x3-kernel", "kernel-size", "max-pooling"],
)
def test_it_links_whole_words_only(text: str) -> None:
    assert links(f"A {text} here.") == []


@pytest.mark.parametrize(
    "text",
    [
        "(kernel)",
        "kernel,",
        "kernel.",
        "kernel!",
        "kernel?",
        "kernel:",
        "kernel;",
        '"kernel"',
        "“kernel”",
        "kernel's",
        "kernel’s",
        "/kernel/",
        "-kernel",
        "kernel-",
    ],  # fmt: skip
)
def test_it_links_a_word_next_to_punctuation(text: str) -> None:
    assert links(f"See {text} there.") == [("kernel", "kernel")]


def test_it_links_regular_plurals() -> None:
    # Decided: "kernels" and "feature maps" are how prose names them; linking them is what
    # a reader expects. Only regular plurals of the last word (+s, +es, y -> ies).
    assert links("Two kernels.") == [("kernel", "kernels")]
    assert links("Stacked feature maps.") == [("feature-map", "feature maps")]
    assert links("Several non-linearities.") == [("activation-function", "non-linearities")]
    assert links("ReLUs everywhere.") == [("relu", "ReLUs")]
    assert links("Kernelses and kerneling.") == []


def test_it_links_only_the_first_occurrence_of_each_term() -> None:
    found = links("A kernel, then a filter, then another kernel; a feature map and a feature map.")
    assert found == [("kernel", "kernel"), ("feature-map", "feature map")]


def test_it_counts_first_occurrences_across_the_whole_text() -> None:
    found = links("First paragraph: kernel.\n\n- a list: kernel, stride\n\n> quote: stride, ReLU")
    assert found == [("kernel", "kernel"), ("stride", "stride"), ("relu", "ReLU")]


def test_it_links_a_name_broken_across_lines() -> None:
    html = render_markdown("Each value of the feature\nmap says how strongly.", TERMS)
    assert links("Each value of the feature\nmap says how strongly.") == [("feature-map", "feature\nmap")]
    assert "feature\nmap</a> says" in html


def test_it_does_not_link_inside_inline_code() -> None:
    assert links("Use `kernel` and `Conv2D(filters=8)`.") == []


def test_it_does_not_link_inside_code_blocks() -> None:
    assert links("```python\nkernel = np.ones((3, 3))\n```\n\n    filter = kernel\n") == []


def test_it_does_not_link_inside_math() -> None:
    assert links("$\\text{kernel} * x$ and\n\n$$\n\\text{stride}\n$$\n") == []


def test_it_does_not_link_inside_links() -> None:
    assert links("[the kernel docs](https://keras.io/) and <https://kernel.example/stride>") == [
        ("https://keras.io/", "the kernel docs"),
        ("https://kernel.example/stride", "https://kernel.example/stride"),
    ]


def test_it_links_the_term_after_a_link() -> None:
    assert links("[docs](https://keras.io/) about the kernel") == [
        ("https://keras.io/", "docs"),
        ("kernel", "kernel"),
    ]


def test_it_does_not_link_inside_image_descriptions() -> None:
    html = render_markdown("![a kernel sliding](https://uni.example/k.png)", TERMS)
    assert 'alt="a kernel sliding"' in html
    assert "<a " not in html


def test_it_does_not_link_inside_headings() -> None:
    # Decided: a heading stays plain; the first mention in the body below gets the link.
    html = render_markdown("## The kernel\n\nA kernel slides.", TERMS)
    assert html.startswith("<h2>The kernel</h2>")
    assert links("## The kernel\n\nA kernel slides.") == [("kernel", "kernel")]


def test_it_links_inside_emphasis_and_tables() -> None:
    assert links("A **kernel** and *strides*.\n\n| layer | pool |\n|---|---|\n| x | max pooling |") == [
        ("kernel", "kernel"),
        ("stride", "strides"),
        ("max-pooling", "max pooling"),
    ]


def test_it_honours_explicit_glossary_links() -> None:
    found = links("The kernel below: [this grid](glossary:kernel) is a kernel.")
    assert found == [("kernel", "this grid")]
    html = render_markdown("[grid](glossary:kernel)", TERMS)
    assert 'title="A small grid of weights."' in html and 'class="term"' in html


def test_it_links_hyphenated_and_acronym_names() -> None:
    assert links("A max-pool layer, then GAP.") == [("max-pooling", "max-pool"), ("global-average-pooling", "GAP")]


def test_it_matches_unicode_words() -> None:
    terms = [
        LinkTerm("faltung", ("Faltung",), "Convolution, in German."),
        LinkTerm("merkmal", ("Merkmalskarte", "Übergang"), "Feature map, in German."),
        LinkTerm("cafe", ("café",), "A place with coffee."),
    ]
    assert links("Die FALTUNG und der ÜBERGANG.", terms) == [("faltung", "FALTUNG"), ("merkmal", "ÜBERGANG")]
    assert links("Ein Übergangsbereich und ein Kaffee im Café.", terms) == [("cafe", "Café")]
    # A letter with an accent is part of the word: no link to "kernel" in "kernelé".
    assert links("Le kernelé.") == []


def test_it_links_nothing_without_terms() -> None:
    assert links("A kernel slides.", []) == []
    assert "<a " not in render_markdown("A kernel slides.")


def test_it_treats_names_as_text_not_patterns() -> None:
    terms = [
        LinkTerm("cpp", ("C++",), "A language."),
        LinkTerm("dot", ("a.b",), "A dotted name."),
        LinkTerm("size", ("(n)",), "The input size."),
    ]
    assert links("We use C++ and a.b but not axb, with (n) inputs.", terms) == [
        ("cpp", "C++"),
        ("dot", "a.b"),
        ("size", "(n)"),
    ]
    assert links("Not in a(n) or axb.", terms) == []


def test_it_stays_fast_with_a_large_glossary() -> None:
    # Thousands of names must not make a long lesson slow to render (each word start
    # only tries the names that begin with that word).
    terms = [LinkTerm(f"t{i}", (f"term{i} word", f"alias{i}"), "d") for i in range(3000)]
    text = "Some plain prose about nothing in particular, term17 word and alias2999. " * 300
    started = time.perf_counter()
    found = links(text, terms)
    assert time.perf_counter() - started < 5.0
    assert found == [("t17", "term17 word"), ("t2999", "alias2999")]


# -- glossary_terms(course) ----------------------------------------------------------------


def test_it_shortens_a_definition_to_its_first_sentence_as_plain_text() -> None:
    assert short_definition("A **small** grid, e.g. a `3x3` one. It slides.") == "A small grid, e.g. a 3x3 one."
    long = "word " * 100
    shortened = short_definition(long)
    assert len(shortened) <= 200 and shortened.endswith("…")


@pytest.mark.django_db
def test_it_links_the_demo_courses_terms_in_its_lessons() -> None:
    sync_course(load_course(COURSES_DIR / "cnn-features"))
    course = Course.objects.get(slug="cnn-features")
    terms = glossary_terms(course)
    assert len(terms) == Term.objects.filter(course=course, retired=False).count() >= 15
    kernel = next(term for term in terms if term.key == "kernel")
    assert kernel.names[0] == "kernel" and "filter" in kernel.names
    assert kernel.definition == "A small grid of learned weights, often 3x3, that slides over the input."
    found = links("Each filter makes one activation map; `Conv2D` then ReLU.", terms)
    assert found == [("kernel", "filter"), ("feature-map", "activation map"), ("relu", "ReLU")]


@pytest.mark.django_db
def test_it_follows_a_new_course_version_and_leaves_retired_terms_out() -> None:
    course = Course.objects.create(slug="tiny", title="Tiny", version="v1")
    Term.objects.create(course=course, key="kernel", term="kernel", definition="A grid.", position=0)
    assert [t.key for t in glossary_terms(course)] == ["kernel"]

    Term.objects.filter(key="kernel").update(retired=True)
    Term.objects.create(course=course, key="stride", term="stride", definition="A step.", position=1)
    assert [t.key for t in glossary_terms(course)] == ["kernel"]  # cached for this version
    course.version = "v2"
    course.save()
    assert [t.key for t in glossary_terms(course)] == ["stride"]
    assert re.search(r'data-term="stride"', render_markdown("kernel and stride", glossary_terms(course)))
    assert 'data-term="kernel"' not in render_markdown("kernel and stride", glossary_terms(course))

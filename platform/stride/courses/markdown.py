"""Markdown to safe HTML, with math, code blocks and links to the glossary.

:func:`render_markdown` is what every view calls for a Markdown field it sends to a
client. The pipeline:

1. markdown-it-py parses CommonMark plus tables and strikethrough, and ``$...$`` /
   ``$$...$$`` math (mdit_py_plugins dollarmath). Raw HTML is *off*: ``<b>`` or
   ``<script>`` written in the Markdown is shown as text, never interpreted. Authors get
   everything they need from Markdown itself, and this removes a whole class of tricks
   (HTML that survives sanitizing in an unexpected shape, HTML that hides a term from the
   linker, and so on).
2. On the token stream (never on the HTML): ``[text](glossary:term-id)`` links are pointed
   at the glossary entry, and, when glossary terms are given, their first occurrences
   are linked automatically (see :func:`render_markdown`).
3. The HTML is sanitized by nh3 with an explicit allowlist of the tags, attributes,
   classes and URL schemes the renderer itself produces; anything else is dropped. This
   is the second line of defence, should a renderer rule ever emit something unexpected.

Math is not typeset here: the TeX is sent escaped inside ``<span class="math">`` (inline)
or ``<div class="math display">`` (display) for a client-side library such as KaTeX.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token
from mdit_py_plugins.dollarmath import dollarmath_plugin

GLOSSARY_SCHEME = "glossary:"
GLOSSARY_PAGE = "/glossary/"
TERM_KEY = re.compile(r"[-A-Za-z0-9_]{1,100}")
RENDER_CACHE_SIZE = 4096


def glossary_url(key: str) -> str:
    """Where the glossary page shows the term ``key`` (an anchor on the glossary page)."""
    return f"{GLOSSARY_PAGE}#term-{key}"


@dataclass(frozen=True)
class LinkTerm:
    """What the auto-linker needs to know about one glossary term.

    ``names`` are the term followed by its aliases; ``definition`` is a short plain-text
    definition, shown as the link's title. Frozen (hashable), so a tuple of them can key
    the render cache: the key changes exactly when what the links would say changes.
    """

    key: str
    names: tuple[str, ...]
    definition: str = ""

    def __post_init__(self) -> None:
        # Callers may hand in a list; a tuple keeps the instance hashable.
        object.__setattr__(self, "names", tuple(self.names))


# -- the parser ----------------------------------------------------------------------------


def _render_math_inline(self, tokens: Sequence[Token], idx: int, options, env) -> str:
    return f'<span class="math">{escapeHtml(tokens[idx].content.strip())}</span>'


def _render_math_inline_display(self, tokens: Sequence[Token], idx: int, options, env) -> str:
    # $$...$$ inside a paragraph: displayed, but a <div> may not sit inside a <p>.
    return f'<span class="math display">{escapeHtml(tokens[idx].content.strip())}</span>'


def _render_math_block(self, tokens: Sequence[Token], idx: int, options, env) -> str:
    return f'<div class="math display">{escapeHtml(tokens[idx].content.strip())}</div>\n'


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
    # Pandoc's rules for inline math: no space just inside the dollars and no digit
    # right after the closing one, so "costs $5 or $10" stays text. No equation labels:
    # they would put ids and permalinks into the page.
    dollarmath_plugin(
        md, allow_labels=False, allow_space=False, allow_digits=False, allow_blank_lines=False, double_inline=True
    )
    md.add_render_rule("math_inline", _render_math_inline)
    md.add_render_rule("math_inline_double", _render_math_inline_display)
    md.add_render_rule("math_block", _render_math_block)
    return md


_md = _parser()


# -- the sanitizer -------------------------------------------------------------------------

# Exactly what the renderer above produces; nothing an author could smuggle in beyond it.
ALLOWED_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "del", "s", "code", "pre",
    "blockquote", "ul", "ol", "li", "a", "img", "table", "thead", "tbody", "tr", "th", "td", "span", "div",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "class", "data-term"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
    "code": {"class"},
    "span": {"class"},
    "div": {"class"},
}
ALIGNMENTS = {"left", "center", "right"}
ALLOWED_CLASSES = {"a": {"term"}, "span": {"math", "display"}, "div": {"math", "display"}}
CODE_LANGUAGE = re.compile(r"language-[-A-Za-z0-9_+#.]{1,40}")
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "noopener noreferrer nofollow"


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    """Keep only the classes this module emits (and well-formed term keys)."""
    if attribute == "class":
        if tag == "code":
            kept = [name for name in value.split() if CODE_LANGUAGE.fullmatch(name)][:1]
        else:
            kept = [name for name in value.split() if name in ALLOWED_CLASSES.get(tag, ())]
        return " ".join(kept) or None
    if attribute == "data-term":
        return value if TERM_KEY.fullmatch(value) else None
    return value


_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    clean_content_tags={"script", "style"},
    attributes=ALLOWED_ATTRIBUTES,
    attribute_filter=_attribute_filter,
    tag_attribute_values={"th": {"align": ALIGNMENTS}, "td": {"align": ALIGNMENTS}},
    strip_comments=True,
    link_rel=LINK_REL,
    url_schemes=URL_SCHEMES,
    # Relative URLs (the glossary, other lessons) pass; they cannot carry a scheme.
    url_relative="pass_through",
)


def sanitize_html(html: str) -> str:
    """Sanitize HTML with the allowlist of this module (what :func:`render_markdown` may emit)."""
    return _cleaner.clean(html)


# -- glossary links ------------------------------------------------------------------------


def _plural(word: str) -> str:
    """A pattern for ``word`` and its regular English plural (kernel(s), box(es), entit(y|ies))."""
    lower = word.lower()
    if not lower[-1:].isalpha():
        return re.escape(word)
    if lower.endswith(("s", "x", "z", "ch", "sh")):
        return re.escape(word) + "(?:es)?"
    if lower.endswith("y") and len(lower) > 1 and lower[-2] not in "aeiou":
        return re.escape(word[:-1]) + "(?:y|ies)"
    return re.escape(word) + "s?"


def _singulars(word: str) -> list[str]:
    """``word`` (casefolded) and what it would be if it were a regular plural."""
    found = [word]
    if word.endswith("ies"):
        found.append(word[:-3] + "y")
    if word.endswith("es"):
        found.append(word[:-2])
    if word.endswith("s"):
        found.append(word[:-1])
    return found


@dataclass(frozen=True)
class _Name:
    pattern: re.Pattern[str]  # matches the name (and its plural) at a position, as a whole word
    term: LinkTerm
    order: int  # longest names first


class _Matcher:
    """Finds the names of a set of terms in text, longest name first, as whole words.

    A name's words may be split by any whitespace (lesson prose wraps lines). A name must
    stand as a whole word: not glued to a letter, digit or underscore, nor joined to one
    by a hyphen ("kernel" does not match inside "kernel-size" or "3x3-kernel", which are
    words of their own).

    Rather than one huge alternation tried at every character (slow for big glossaries),
    the text is scanned word start by word start, and only the names beginning with that
    word (or, for plurals, its singular) are tried, longest first.
    """

    def __init__(self, terms: tuple[LinkTerm, ...]) -> None:
        names: dict[str, tuple[list[str], LinkTerm]] = {}
        for term in terms:
            for name in term.names:
                words = name.split()
                normal = " ".join(words).casefold()
                if words and normal not in names:  # the first term to claim a name keeps it
                    names[normal] = (words, term)
        ordered = sorted(names.items(), key=lambda item: (-len(item[0]), item[0]))
        self.by_word: dict[str, list[_Name]] = {}  # a name's leading run of word characters
        self.by_char: dict[str, list[_Name]] = {}  # names that start with punctuation
        for order, (normal, (words, term)) in enumerate(ordered):
            body = r"\s+".join([*map(re.escape, words[:-1]), _plural(words[-1])])
            name = _Name(re.compile(body + r"(?!\w)(?!-\w)", re.IGNORECASE), term, order)
            lead = re.match(r"\w+", normal)
            index, key = (self.by_word, lead.group()) if lead else (self.by_char, normal[0])
            index.setdefault(key, []).append(name)
        chars = "".join(map(re.escape, self.by_char))
        punctuation = f"|[{chars}]" if chars else ""
        self.starts = re.compile(rf"(?<!\w)(?<!\w-)(?:(?P<word>\w+){punctuation})", re.IGNORECASE)

    def finditer(self, text: str) -> Iterable[tuple[re.Match[str], LinkTerm]]:
        """Each occurrence of a name in ``text``, left to right, without overlaps."""
        pos = 0
        while (start := self.starts.search(text, pos)) is not None:
            lead = start.group().casefold()
            if start.group("word"):
                candidates = [name for word in _singulars(lead) for name in self.by_word.get(word, ())]
            else:
                candidates = list(self.by_char.get(lead, ()))
            for name in sorted(candidates, key=lambda name: name.order):
                match = name.pattern.match(text, start.start())
                if match:
                    yield match, name.term
                    pos = match.end()
                    break
            else:
                pos = start.end()


@lru_cache(maxsize=256)
def _matcher(terms: tuple[LinkTerm, ...]) -> _Matcher | None:
    matcher = _Matcher(terms)
    return matcher if matcher.by_word or matcher.by_char else None


def _term_link(key: str, definition: str, title: str = "") -> Token:
    attrs: dict[str, str | int | float] = {"class": "term", "href": glossary_url(key), "data-term": key}
    if title or definition:
        attrs["title"] = title or definition
    return Token("link_open", "a", 1, attrs=attrs)


def _point_glossary_links(tokens: list[Token], by_key: dict[str, LinkTerm]) -> set[str]:
    """Turn ``[text](glossary:id)`` into links to the entry; returns the ids linked that way."""
    linked: set[str] = set()
    for block in tokens:
        for token in block.children or ():
            href = str(token.attrs.get("href", "")) if token.type == "link_open" else ""
            if href[: len(GLOSSARY_SCHEME)].lower() != GLOSSARY_SCHEME:
                continue
            key = href[len(GLOSSARY_SCHEME) :]
            if not TERM_KEY.fullmatch(key):
                token.attrs = {"href": GLOSSARY_PAGE}  # a malformed id: the glossary as a whole
                continue
            known = by_key.get(key)
            replacement = _term_link(key, known.definition if known else "", str(token.attrs.get("title", "")))
            token.attrs = replacement.attrs
            linked.add(key)
    return linked


def _plain_tokens(text: str) -> Iterable[Token]:
    """``text`` as text tokens, with its newlines back as soft breaks."""
    for index, line in enumerate(text.split("\n")):
        if index:
            yield Token("softbreak", "br", 0)
        if line:
            yield Token("text", "", 0, content=line)


def _link_run(run: list[Token], matcher: _Matcher, linked: set[str]) -> list[Token]:
    """Link the first occurrences in a run of text and soft-break tokens (one line of prose)."""
    joined = "".join("\n" if token.type == "softbreak" else token.content for token in run)
    out: list[Token] = []
    done = 0
    for match, term in matcher.finditer(joined):
        if term.key in linked:
            continue  # already linked once in this text: later mentions stay plain
        linked.add(term.key)
        out.extend(_plain_tokens(joined[done : match.start()]))
        out.append(_term_link(term.key, term.definition))
        out.extend(_plain_tokens(match.group()))
        out.append(Token("link_close", "a", -1))
        done = match.end()
    if not done:
        return run
    out.extend(_plain_tokens(joined[done:]))
    return out


def _link_children(children: list[Token], matcher: _Matcher, linked: set[str]) -> list[Token]:
    out: list[Token] = []
    run: list[Token] = []
    depth = 0  # inside a link (written or auto): no link may nest in another
    for token in children:
        if depth == 0 and token.type in ("text", "softbreak"):
            run.append(token)
            continue
        if run:
            out.extend(_link_run(run, matcher, linked))
            run = []
        # Everything else is left alone: code_inline and math_inline are tokens of their
        # own (never "text"), and an image's alt text lives in the image's own children.
        if token.type == "link_open":
            depth += 1
        elif token.type == "link_close":
            depth -= 1
        out.append(token)
    if run:
        out.extend(_link_run(run, matcher, linked))
    return out


def _link_terms(tokens: list[Token], terms: tuple[LinkTerm, ...]) -> None:
    by_key = {term.key: term for term in terms}
    linked = _point_glossary_links(tokens, by_key)
    matcher = _matcher(terms)
    if matcher is None:
        return
    in_heading = False
    for token in tokens:
        if token.type == "heading_open":
            in_heading = True
        elif token.type == "heading_close":
            in_heading = False
        elif token.type == "inline" and token.children and not in_heading:
            token.children = _link_children(token.children, matcher, linked)


def _align_cells(tokens: list[Token]) -> None:
    """Table alignment as the ``align`` attribute: style attributes are never let through."""
    for token in tokens:
        if token.type in ("th_open", "td_open") and "style" in token.attrs:
            style = str(token.attrs.pop("style"))
            align = style.removeprefix("text-align:")
            if align in ALIGNMENTS:
                token.attrs["align"] = align


# -- rendering -----------------------------------------------------------------------------


@lru_cache(maxsize=RENDER_CACHE_SIZE)
def _render(text: str, terms: tuple[LinkTerm, ...]) -> str:
    env: dict = {}
    tokens = _md.parse(text, env)
    _link_terms(tokens, terms)
    _align_cells(tokens)
    return sanitize_html(_md.renderer.render(tokens, _md.options, env))


def render_markdown(text: str, terms: Sequence[LinkTerm] | None = None) -> str:
    """``text`` (Markdown) as sanitized HTML, with glossary links.

    ``[text](glossary:term-id)`` links to the term's entry (``/glossary/#term-<id>``). When
    ``terms`` are given (:func:`stride.glossary.linking.glossary_terms`), occurrences of a
    term or one of its aliases are linked too::

        <a class="term" href="/glossary/#term-<key>" data-term="<key>" title="<definition>">Feature Maps</a>

    - whole words only, case-insensitive, the matched text keeps its casing;
    - the longest name wins ("feature map" before "feature");
    - regular English plurals of a name's last word link as well (kernels, feature maps,
      non-linearities); irregular ones need an alias in the glossary;
    - **only the first occurrence of each term in this text is linked** (any of its names;
      a term the author linked with ``glossary:`` is not linked again), so a paragraph
      does not turn into a sea of links;
    - never inside inline code, code blocks, math, links, image descriptions or headings.
      Headings are left plain on purpose: a heading that is partly a link reads badly and
      competes with the body, and the first mention in the prose below gets the link.

    Results are cached (keyed by the text and the terms' content, which changes whenever
    a re-sync changes what a link would say), because lessons are rendered on every request.
    """
    return _render(text or "", tuple(terms) if terms else ())


def markdown_to_text(text: str) -> str:
    """The words of ``text`` (Markdown) without any markup, on one line (for titles and previews)."""
    words: list[str] = []

    def collect(children: Iterable[Token]) -> None:
        for token in children:
            if token.type in ("text", "code_inline", "math_inline", "math_inline_double"):
                words.append(token.content)
            elif token.type in ("softbreak", "hardbreak"):
                words.append(" ")
            elif token.type == "image":
                collect(token.children or ())

    for block in _md.parse(text or ""):
        if block.type == "inline":
            collect(block.children or ())
            words.append(" ")
        elif block.type in ("fence", "code_block", "math_block"):
            words.extend((block.content, " "))
    return " ".join("".join(words).split())

"""Glossary search: word prefixes over term, aliases and definition, best matches first.

The query is split into words at whitespace; a term matches when **every** word starts a
word somewhere in its term, aliases or definition (case-insensitive: "pool" finds
"pooling" and "max-pool", "ool" finds nothing). Matches are ranked:

0. the query is the term itself;
1. the query is one of its aliases (still an exact name);
2. the term starts with the query;
3. an alias starts with the query;
4. every query word starts a word inside the term or an alias;
5. the rest (matched through the definition).

Ties keep the glossary's order (course, then the author's order). The database narrows
the rows with one ``LIKE`` per word on ``Term.search_text`` (the casefolded term, aliases
and definition that the sync stores), which works the same on SQLite and PostgreSQL; the
word-start check and the ranking run in Python over those few rows. A course glossary
holds tens or hundreds of terms, so this is cheap, and the behaviour does not depend on
the database's full-text configuration.
"""

from __future__ import annotations

import re

from django.db.models import QuerySet

from stride.courses.models import Course
from stride.glossary.models import Term

EXACT_TERM, EXACT_ALIAS, TERM_PREFIX, ALIAS_PREFIX, NAME_WORDS, DEFINITION = range(6)


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()


def _starts_a_word(word: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(word))


def current_terms(course: Course | None = None) -> QuerySet[Term]:
    """Every term that is not retired (of ``course`` if given), in glossary order."""
    rows = Term.objects.filter(retired=False).select_related("course")
    if course is not None:
        rows = rows.filter(course=course)
    return rows.order_by("course__number", "course__slug", "position", "pk")


def rank(term: Term, query: str) -> int | None:
    """Where ``term`` ranks for ``query`` (see the module docstring), or None when it does not match."""
    normal = _normal(query)
    words = [_starts_a_word(word) for word in normal.split()]
    if not words:
        return DEFINITION
    name, aliases = _normal(term.term), [_normal(alias) for alias in term.aliases]
    everything = "\n".join([name, *aliases, term.definition.casefold()])
    if not all(word.search(everything) for word in words):
        return None
    if name == normal:
        return EXACT_TERM
    if normal in aliases:
        return EXACT_ALIAS
    if name.startswith(normal):
        return TERM_PREFIX
    if any(alias.startswith(normal) for alias in aliases):
        return ALIAS_PREFIX
    names = "\n".join([name, *aliases])
    if all(word.search(names) for word in words):
        return NAME_WORDS
    return DEFINITION


def search_terms(q: str, course: Course | None = None) -> list[Term]:
    """Current terms matching ``q`` (of ``course`` if given), best first; all of them for a blank ``q``."""
    # NUL cannot be stored in PostgreSQL text, so no term contains one: treat it as a space.
    normal = _normal(q.replace("\0", " "))
    rows = current_terms(course)
    if not normal:
        return list(rows)
    for word in normal.split():
        # search_text is casefolded like the word, so a plain (case-sensitive) LIKE suffices.
        rows = rows.filter(search_text__contains=word)
    ranked = [(found, index, term) for index, term in enumerate(rows) if (found := rank(term, normal)) is not None]
    ranked.sort(key=lambda item: item[:2])
    return [term for _, _, term in ranked]

"""The glossary terms of a course, as :func:`stride.courses.markdown.render_markdown` links them.

Usage in a view::

    render_markdown(step_text, glossary_terms(lesson.course))
"""

from __future__ import annotations

import re
from functools import lru_cache

from stride.courses.markdown import LinkTerm, markdown_to_text
from stride.courses.models import Course
from stride.glossary.models import Term

__all__ = ["LinkTerm", "glossary_terms", "short_definition"]

SHORT_DEFINITION_CHARS = 200
# A sentence ends at . ! or ? followed by a capital or a digit ("e.g. a 3x3" goes on).
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9])")


def short_definition(markdown: str, limit: int = SHORT_DEFINITION_CHARS) -> str:
    """The first sentence of a Markdown definition as plain text, cut at a word within ``limit``."""
    text = markdown_to_text(markdown)
    first = SENTENCE_END.split(text, maxsplit=1)[0]
    if len(first) <= limit:
        return first
    cut = first[: limit - 1].rsplit(" ", 1)[0] if " " in first[: limit - 1] else first[: limit - 1]
    return cut.rstrip(",;:") + "…"


def glossary_terms(course: Course) -> list[LinkTerm]:
    """The course's current (not retired) terms, in glossary order, for auto-linking.

    Cached per process by the course's id, ``version`` and ``updated_at``: a re-sync
    changes the version, and an edit in the admin touches ``updated_at``
    (:class:`stride.glossary.admin.TermAdmin`), so a stale list is never served once the
    course row read by the request says otherwise.
    """
    return list(_terms_of(course.pk, course.version, course.updated_at))


@lru_cache(maxsize=128)
def _terms_of(course_id: int, version: str, updated_at: object) -> tuple[LinkTerm, ...]:
    rows = Term.objects.filter(course_id=course_id, retired=False).order_by("position", "pk")
    return tuple(
        LinkTerm(key=row.key, names=tuple(row.names()), definition=short_definition(row.definition)) for row in rows
    )

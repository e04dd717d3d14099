"""OpenAPI description of the glossary endpoints (merged into stride.api.schema)."""

from __future__ import annotations

from typing import Any

from stride.api.spec import json_body, obj, ref, responses

MAX_QUERY_LENGTH = 200  # characters of ?q=; GET /api/glossary answers 400 beyond
KEY = {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$", "description": "the term's stable id in the course package"}

SCHEMAS: dict[str, Any] = {
    "GlossaryTerm": obj(
        {
            "id": {"type": "integer", "minimum": 1, "description": "database id"},
            "key": KEY,
            "course": {"type": "string", "description": "the slug of the course the term belongs to"},
            "term": {"type": "string", "description": "the term itself, e.g. feature map"},
            "aliases": {
                "type": "array",
                "items": {"type": "string"},
                "description": "other names, e.g. activation map",
            },
            "keras": {"type": "string", "description": "the matching Keras API name (may be empty)"},
            "definition_html": {
                "type": "string",
                "description": (
                    "the definition rendered to sanitized HTML; the first mention of each other term of the "
                    'course is a link <a class="term" href="/glossary/#term-<key>" data-term="<key>" '
                    'title="<short definition>">'
                ),
            },
            "see_also": {"type": "array", "items": KEY, "description": "keys of related terms of the same course"},
        },
        example={
            "id": 2,
            "key": "feature-map",
            "course": "cnn-features",
            "term": "feature map",
            "aliases": ["activation map"],
            "keras": "Conv2D output",
            "definition_html": "<p>The 2D grid produced by one kernel ...</p>",
            "see_also": ["kernel", "channel"],
        },
    ),
    "GlossaryList": obj(
        {
            "terms": {
                "type": "array",
                "items": ref("schemas", "GlossaryTerm"),
                "description": "in glossary order (course, then the author's order), or best match first with q",
            }
        }
    ),
}

PARAMETERS: dict[str, Any] = {
    "glossary_q": {
        "name": "q",
        "in": "query",
        "required": False,
        "description": (
            f"search words (at most {MAX_QUERY_LENGTH} characters; 400 beyond). A term matches when every word "
            "starts a word of its term, an alias or its definition, case-insensitively. Best first: the exact "
            "term, an exact alias, term prefix, alias prefix, words inside the names, then definition matches. "
            "Empty or blank: every term."
        ),
        "schema": {"type": "string", "maxLength": MAX_QUERY_LENGTH},
        "example": "feature",
    },
    "glossary_course": {
        "name": "course",
        "in": "query",
        "required": False,
        "description": "only the terms of this course (its slug); 404 when there is no such course",
        "schema": {"type": "string", "pattern": "^[-a-zA-Z0-9_]{1,50}$"},
        "example": "cnn-features",
    },
}

PATHS: dict[str, Any] = {
    "/api/glossary": {
        "get": {
            "operationId": "listGlossary",
            "summary": "The glossary: every current term, or a search",
            "description": (
                "Every term that is not retired, of every course or of one (course), with its definition "
                "rendered and linked to the other terms. With q, only the matching terms, best match first. "
                "The glossary is reference material: any authenticated user may read it, enrolled or not."
            ),
            "parameters": [ref("parameters", "glossary_q"), ref("parameters", "glossary_course")],
            "responses": responses(
                json_body(ref("schemas", "GlossaryList"), "The terms"),
                "400",
                "401",
                "404",
            ),
        }
    }
}

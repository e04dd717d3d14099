"""OpenAPI description of the flashcards endpoints (merged into stride.api.schema)."""

from __future__ import annotations

from typing import Any

from stride.api.spec import JSON, TIMESTAMP, json_body, nullable, obj, ref, responses

# Written out rather than imported: stride.api.schema loads this module while the views
# (which flashcards.api and flashcards.scheduling import) are still being loaded.
MAX_ID = 2**63 - 1
RATINGS = ["again", "hard", "good", "easy"]
STATES = ["new", "learning", "review", "relearning"]
DUE_LIMIT_DEFAULT = 50
# ReviewLog.review_duration_ms is a PositiveIntegerField: 32 bits on every database.
MAX_DURATION_MS = 2**31 - 1

STATE = {
    "type": "string",
    "enum": STATES,
    "description": "new (never reviewed), then FSRS's learning, review, and relearning after a lapse",
}
FRACTION_OR_NULL = {"type": ["number", "null"], "minimum": 0, "maximum": 1}
COUNT = {"type": "integer", "minimum": 0}

PARAMETERS: dict[str, Any] = {
    "flashcard_id": {
        "name": "card_id",
        "in": "path",
        "required": True,
        "description": "the flashcard's id (``id`` in the due queue)",
        "schema": {"type": "integer", "format": "int64", "minimum": 1, "maximum": MAX_ID},
    },
    "flashcard_course": {
        "name": "course",
        "in": "query",
        "required": False,
        "description": "only this course's deck (its slug); without it, every course the caller studies",
        "schema": {"type": "string", "pattern": "^[-a-zA-Z0-9_]{1,50}$"},
        "example": "cnn-features",
    },
    "flashcard_limit": {
        "name": "limit",
        "in": "query",
        "required": False,
        "description": "how many cards of the queue to send",
        "schema": {"type": "integer", "minimum": 1, "maximum": 200, "default": DUE_LIMIT_DEFAULT},
    },
}

SCHEDULE = {
    "stability": {
        "type": ["number", "null"],
        "description": "FSRS stability: days until the chance of recall falls to 90%",
    },
    "difficulty": {"type": ["number", "null"], "description": "FSRS difficulty, 1 (easy) to 10 (hard)"},
    "reps": {**COUNT, "description": "reviews of the card so far"},
    "lapses": {**COUNT, "description": "times the card was forgotten (Again) after reaching review"},
}

SCHEMAS: dict[str, Any] = {
    "DueCard": obj(
        {
            "id": {"type": "integer", "minimum": 1, "description": "POST /api/flashcards/{id}/review rates it"},
            "key": {"type": "string", "description": "stable key in the course package; term-<key> for glossary terms"},
            "course": {"type": "string", "description": "the course's slug"},
            "front_html": {"type": "string", "description": "the question, rendered Markdown (safe HTML)"},
            "back_html": {"type": "string", "description": "the answer, rendered Markdown (safe HTML)"},
            "tags": {"type": "array", "items": {"type": "string"}},
            "state": STATE,
            "due": {**nullable(TIMESTAMP), "description": "when it fell due; null for a new card (due from the start)"},
        }
    ),
    "DueQueue": obj(
        {
            "total_due": {**COUNT, "description": "every card due now, however many ``cards`` lists"},
            "cards": {
                "type": "array",
                "items": ref("schemas", "DueCard"),
                "description": "overdue studied cards first (longest overdue first), then new cards in deck order",
            },
        }
    ),
    "ReviewRequest": {
        "type": "object",
        "required": ["rating"],
        "properties": {
            "rating": {"type": "string", "enum": RATINGS, "description": "how well the answer was recalled"},
            "duration_ms": {
                "type": "integer",
                "minimum": 0,
                "maximum": MAX_DURATION_MS,
                "description": "how long the student took to answer, for the review log",
            },
        },
        "example": {"rating": "good", "duration_ms": 4200},
    },
    "Schedule": obj(
        {
            "card": {"type": "integer", "minimum": 1},
            "state": STATE,
            "step": {"type": ["integer", "null"], "minimum": 0, "description": "learning step; null in review"},
            "due": {**TIMESTAMP, "description": "when the card is next due"},
            "last_review": TIMESTAMP,
            "interval_seconds": {**COUNT, "description": "from this review to the next due time"},
            "interval_days": {"type": "number", "minimum": 0, "description": "the same, in days"},
            **SCHEDULE,
        }
    ),
    "DeckStats": obj(
        {
            "course": {"type": "string"},
            "title": {"type": "string"},
            "total": {**COUNT, "description": "cards in the deck (retired ones left out)"},
            "new": {**COUNT, "description": "cards never reviewed"},
            "due_now": COUNT,
            "due_today": {**COUNT, "description": "due before day_ends_at, new cards included"},
            "day_ends_at": {**TIMESTAMP, "description": "the next midnight UTC: the day ends then for everyone"},
            "learning": COUNT,
            "review": COUNT,
            "relearning": COUNT,
            "reviews_30d": {**COUNT, "description": "reviews in the last 30 days"},
            "retention": {
                **FRACTION_OR_NULL,
                "description": (
                    "share of the last 30 days' reviews of already-studied cards not rated again; "
                    "null without any such review"
                ),
            },
            "mean_retrievability": {
                **FRACTION_OR_NULL,
                "description": "FSRS chance of recalling a studied card now, averaged; null with none studied",
            },
        }
    ),
    "DeckList": obj({"decks": {"type": "array", "items": ref("schemas", "DeckStats")}}),
}

PATHS: dict[str, Any] = {
    "/api/flashcards/due": {
        "get": {
            "operationId": "listDueFlashcards",
            "summary": "The caller's due flashcards",
            "description": (
                "Studied cards whose due time has come, then the cards never reviewed (all due from the "
                "start, so a new student gets the whole deck). Without ``course``: the decks of every "
                "course of the caller's offerings (every course for site staff)."
            ),
            "parameters": [ref("parameters", "flashcard_course"), ref("parameters", "flashcard_limit")],
            "responses": {
                **responses(json_body(ref("schemas", "DueQueue"), "The due queue"), "400", "401", "403"),
                "404": json_body(ref("schemas", "Error"), "No course has this slug"),
            },
        }
    },
    "/api/flashcards/decks": {
        "get": {
            "operationId": "listFlashcardDecks",
            "summary": "The caller's statistics for the deck of each course they study",
            "responses": responses(json_body(ref("schemas", "DeckList"), "One entry per course"), "401"),
        }
    },
    "/api/flashcards/{card_id}/review": {
        "parameters": [ref("parameters", "flashcard_id")],
        "post": {
            "operationId": "reviewFlashcard",
            "summary": "Rate how well the caller recalled a card; answers its new schedule",
            "description": (
                "FSRS schedules the card from the rating. The same rating sent again within 10 seconds, "
                "while the card is not due, counts once (the answer is the schedule already made). "
                "Needs a bearer token; 403 for a course the caller does not study, 404 for an unknown "
                "or retired card."
            ),
            "requestBody": {"required": True, "content": {JSON: {"schema": ref("schemas", "ReviewRequest")}}},
            "responses": responses(
                json_body(ref("schemas", "Schedule"), "The card's new schedule"),
                "400",
                "401",
                "403",
                "404",
                "413",
                "415",
            ),
        },
    },
}

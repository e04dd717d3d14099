"""OpenAPI description of the gradebook endpoints (to be merged into stride.api.schema)."""

from __future__ import annotations

from typing import Any

from stride.api.spec import TIMESTAMP, json_body, nullable, obj, ref

NUMBER = {"type": "number"}
POINTS = {"type": "number", "minimum": 0}

PARAMETERS: dict[str, Any] = {
    "offering_slug": {
        "name": "slug",
        "in": "path",
        "required": True,
        "description": "the offering's slug",
        "schema": {"type": "string", "pattern": "^[-a-zA-Z0-9_]{1,50}$"},
        "example": "demo",
    },
}

SCHEMAS: dict[str, Any] = {
    "GradebookItem": obj(
        {
            "id": {"type": "integer"},
            "key": {"type": "string", "description": "exercise:<slug> or quiz:<key>"},
            "kind": {"type": "string", "enum": ["exercise", "quiz"]},
            "title": {"type": "string"},
            "label": {"type": "string", "description": "the column header in the CSV exports (unique)"},
            "points": {**POINTS, "description": "what the item is worth"},
            "opens_at": nullable(TIMESTAMP),
            "due_at": nullable(TIMESTAMP),
            "closes_at": nullable({**TIMESTAMP, "description": "the hard cutoff"}),
            "late_policy": {"type": "string", "enum": ["no_late", "penalty", "cutoff"]},
            "penalty_per_day": {"type": "number", "minimum": 0, "maximum": 100, "description": "percent"},
            "penalty_cap": {"type": "number", "minimum": 0, "maximum": 100, "description": "percent"},
            "counts": {"type": "string", "enum": ["best", "last"]},
            "max_attempts": nullable({"type": "integer", "minimum": 0, "description": "null: unlimited"}),
        }
    ),
    "GradebookAttempt": obj(
        {
            "kind": {"type": "string", "enum": ["submission", "quiz_attempt"]},
            "id": {"type": "integer", "description": "the submission's or quiz attempt's id"},
            "number": {"type": "integer", "minimum": 1},
            "submitted_at": TIMESTAMP,
            "status": {"type": "string", "enum": ["queued", "running", "graded", "error"]},
            "verdict": nullable({"type": "string"}),
            "score": nullable({"type": "number", "minimum": 0, "maximum": 1}),
            "raw_points": nullable({**POINTS, "description": "before the late penalty"}),
            "days_late": {"type": "integer", "minimum": 0, "description": "started 24-hour periods after the due time"},
            "penalty_percent": {"type": "number", "minimum": 0, "maximum": 100},
            "points": nullable({**POINTS, "description": "after the penalty; 0 when outside the window"}),
            "accepted": {"type": "boolean", "description": "made within the student's window"},
            "counted": {"type": "boolean", "description": "the attempt whose points count"},
        }
    ),
    "GradebookGrade": obj(
        {
            "item": {"type": "integer", "description": "the item's id"},
            "points": nullable({**POINTS, "description": "what counts; null: no graded attempt counts (yet)"}),
            "raw_points": nullable(POINTS),
            "days_late": {"type": "integer", "minimum": 0},
            "penalty_percent": {"type": "number", "minimum": 0, "maximum": 100},
            "due_at": nullable({**TIMESTAMP, "description": "the student's due time (extension applied)"}),
            "closes_at": nullable({**TIMESTAMP, "description": "the student's hard cutoff"}),
            "extended": {"type": "boolean"},
            "pending": {"type": "boolean", "description": "an attempt is still being graded"},
            "attempts": {"type": "array", "items": ref("schemas", "GradebookAttempt")},
        }
    ),
    "GradebookStudent": obj(
        {
            "id": {"type": "integer"},
            "username": {"type": "string"},
            "name": {"type": "string"},
            "email": {"type": "string"},
            "student_id": {"type": "string", "description": "the institution's id; empty when unknown"},
            "total": POINTS,
            "grades": {
                "type": "array",
                "items": ref("schemas", "GradebookGrade"),
                "description": "one per item, in the order of items",
            },
        }
    ),
    "Gradebook": obj(
        {
            "offering": obj(
                {
                    "slug": {"type": "string"},
                    "title": {"type": "string"},
                    "time_zone": {"type": "string", "description": "IANA name, e.g. Europe/Berlin"},
                }
            ),
            "generated_at": TIMESTAMP,
            "possible_total": POINTS,
            "items": {"type": "array", "items": ref("schemas", "GradebookItem")},
            "students": {"type": "array", "items": ref("schemas", "GradebookStudent")},
        },
        description="An offering's grades after late policy and extensions",
    ),
}

PATHS: dict[str, Any] = {
    "/api/offerings/{slug}/grades": {
        "parameters": [ref("parameters", "offering_slug")],
        "get": {
            "operationId": "getOfferingGrades",
            "summary": "The offering's gradebook: per student and item the points that count, with every attempt",
            "description": (
                "For the offering's instructors and for site staff (exports are theirs; TAs see the table "
                "on the teaching pages); 403 for anyone else. "
                "Late penalties and extensions are applied; each call is logged as an export."
            ),
            "responses": {
                "200": json_body(ref("schemas", "Gradebook"), "The gradebook"),
                "401": ref("responses", "Unauthenticated"),
                "403": ref("responses", "Forbidden"),
                "404": ref("responses", "NotFound"),
            },
        },
    },
}

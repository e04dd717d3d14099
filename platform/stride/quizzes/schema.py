"""OpenAPI description of the quizzes endpoints (merged into stride.api.schema)."""

from __future__ import annotations

from typing import Any

from stride.api.spec import JSON, TIMESTAMP, json_body, nullable, obj, ref

MAX_ID = 2**63 - 1
QUESTION_TYPES = ["single", "multiple", "true_false", "numeric", "text", "matrix"]
ANY = {"description": "any JSON value"}

PARAMETERS: dict[str, Any] = {
    "quiz_id": {
        "name": "quiz_id",
        "in": "path",
        "required": True,
        "description": "the quiz's id (from GET /api/quizzes)",
        "schema": {"type": "integer", "format": "int64", "minimum": 1, "maximum": MAX_ID},
    },
    "quiz_course": {
        "name": "course",
        "in": "query",
        "required": False,
        "description": "only the quizzes of this course (its slug); a course the caller does not take lists none",
        "schema": {"type": "string", "pattern": "^[-a-zA-Z0-9_]{1,50}$"},
        "example": "cnn-features",
    },
    "quiz_attempts_limit": {
        "name": "limit",
        "in": "query",
        "required": False,
        "description": "how many attempts, newest first",
        "schema": {"type": "integer", "minimum": 1, "maximum": 200, "default": 50},
    },
}

_STATE = {
    "type": "string",
    "enum": ["open", "not_open", "closed"],
    "description": "by the offering's window alone: not_open before opens_at, closed from closes_at on",
}

_SUMMARY: dict[str, Any] = {
    "id": {"type": "integer"},
    "key": {"type": "string", "description": "the quiz's stable id in the course package"},
    "title": {"type": "string"},
    "course": {"type": "string", "description": "the course's slug"},
    "section": nullable({"type": "string", "description": "the section's number, e.g. 6.2.3"}),
    "question_count": {"type": "integer", "minimum": 0},
    "state": _STATE,
    "opens_at": nullable(TIMESTAMP),
    "closes_at": nullable(TIMESTAMP),
    "attempts_used": {"type": "integer", "minimum": 0},
    "attempts_allowed": nullable({"type": "integer", "minimum": 0, "description": "null: unlimited"}),
    "can_attempt": {"type": "boolean", "description": "whether POST .../attempts would be accepted now"},
    "best_score": nullable({"type": "number", "minimum": 0, "maximum": 1, "description": "null: never attempted"}),
}

SCHEMAS: dict[str, Any] = {
    "QuizSummary": obj(_SUMMARY),
    "QuizList": obj({"quizzes": {"type": "array", "items": ref("schemas", "QuizSummary")}}),
    "QuizQuestion": obj(
        {
            "key": {"type": "string"},
            "type": {"type": "string", "enum": QUESTION_TYPES},
            "prompt_html": {"type": "string", "description": "the caller's own variant, rendered"},
            "options": {"type": "array", "items": {"type": "string"}, "description": "single and multiple"},
            "points": {"type": "number", "minimum": 0},
            "shape": nullable(
                obj(
                    {"rows": {"type": "integer", "minimum": 1}, "cols": {"type": "integer", "minimum": 1}},
                    description="matrix questions: the size of the grid to enter",
                )
            ),
        },
        description="A question as the caller sees it: never its answer",
    ),
    "Quiz": obj(
        {
            **_SUMMARY,
            "description_html": {"type": "string"},
            "questions": nullable(
                {
                    "type": "array",
                    "items": ref("schemas", "QuizQuestion"),
                    "description": "null while the quiz is not open yet",
                }
            ),
        }
    ),
    "QuizAttemptRequest": {
        "type": "object",
        "required": ["answers"],
        "properties": {
            "answers": {
                "type": "object",
                "description": (
                    "question key -> answer. single: an option (string); multiple: a list of options; "
                    "true_false: a boolean; numeric: a number (or a decimal string); text: a string; matrix: "
                    "a list of rows of numbers. A missing or null answer counts as wrong; a key the quiz "
                    "does not have, or an answer of the wrong shape, is refused with 400 (no attempt used)."
                ),
                "propertyNames": {"type": "string", "maxLength": 50},
                "additionalProperties": ANY,
            }
        },
        "example": {"answers": {"q1-what-is-kernel": "A small grid of learned weights that slides over the input"}},
    },
    "QuestionResult": obj(
        {
            "key": {"type": "string"},
            "type": {"type": "string", "enum": QUESTION_TYPES},
            "correct": {"type": "boolean"},
            "points": {"type": "number", "minimum": 0},
            "max_points": {"type": "number", "minimum": 0},
            "message": {"type": "string", "description": "what is right or wrong, never the answer itself"},
            "answer": {"description": "the caller's answer as sent (null: not answered)"},
            "correct_answer": {
                "description": (
                    "the answer of the caller's variant (text: the accepted answers); null for a wrong answer "
                    "while the caller can still make another attempt"
                )
            },
            "explanation_html": nullable(
                {"type": "string", "description": "shown like correct_answer; null when there is none"}
            ),
        }
    ),
    "QuizAttempt": obj(
        {
            "id": {"type": "integer"},
            "quiz": {"type": "integer", "description": "the quiz's id"},
            "number": {"type": "integer", "minimum": 1, "description": "1 for the caller's first attempt"},
            "created_at": TIMESTAMP,
            "score": {"type": "number", "minimum": 0, "maximum": 1},
            "points": {"type": "number", "minimum": 0},
            "max_points": {"type": "number", "minimum": 0},
            "revealed": {
                "type": "boolean",
                "description": "whether correct answers of wrong answers are shown (no attempt left, or staff)",
            },
            "results": {"type": "array", "items": ref("schemas", "QuestionResult")},
        }
    ),
    "QuizAttemptList": obj({"attempts": {"type": "array", "items": ref("schemas", "QuizAttempt")}}),
}

_CONFLICT = ref("responses", "Conflict")

PATHS: dict[str, Any] = {
    "/api/quizzes": {
        "get": {
            "operationId": "listQuizzes",
            "summary": "The quizzes of the courses the caller takes, with attempts and best score",
            "description": "Site staff see the quizzes of every course.",
            "parameters": [ref("parameters", "quiz_course")],
            "responses": {
                "200": json_body(ref("schemas", "QuizList"), "The quizzes, in course order"),
                "400": ref("responses", "BadRequest"),
                "401": ref("responses", "Unauthenticated"),
            },
        }
    },
    "/api/quizzes/{quiz_id}": {
        "parameters": [ref("parameters", "quiz_id")],
        "get": {
            "operationId": "getQuiz",
            "summary": "A quiz with the caller's own variant of every question, without answers",
            "description": (
                "For callers enrolled in an offering of the quiz's course (403 otherwise) and site staff. "
                "409 when a question's generator is broken."
            ),
            "responses": {
                "200": json_body(ref("schemas", "Quiz"), "The quiz"),
                "401": ref("responses", "Unauthenticated"),
                "403": ref("responses", "Forbidden"),
                "404": ref("responses", "NotFound"),
                "409": _CONFLICT,
            },
        },
    },
    "/api/quizzes/{quiz_id}/attempts": {
        "parameters": [ref("parameters", "quiz_id")],
        "get": {
            "operationId": "listQuizAttempts",
            "summary": "The caller's own attempts at the quiz, newest first, with their feedback",
            "parameters": [ref("parameters", "quiz_attempts_limit")],
            "responses": {
                "200": json_body(ref("schemas", "QuizAttemptList"), "The attempts"),
                "400": ref("responses", "BadRequest"),
                "401": ref("responses", "Unauthenticated"),
                "403": ref("responses", "Forbidden"),
                "404": ref("responses", "NotFound"),
            },
        },
        "post": {
            "operationId": "attemptQuiz",
            "summary": "Answer the quiz: graded at once against the caller's variants",
            "description": (
                "Refused with 403 before the offering's opens_at (not_open), from its closes_at on (closed) "
                "and once its max_attempts are used (attempt_limit); instructors, TAs and site staff are not "
                "held to these. Needs a bearer token (a browser session is not enough for POST)."
            ),
            "requestBody": {"required": True, "content": {JSON: {"schema": ref("schemas", "QuizAttemptRequest")}}},
            "responses": {
                "201": json_body(ref("schemas", "QuizAttempt"), "The graded attempt"),
                "400": ref("responses", "BadRequest"),
                "401": ref("responses", "Unauthenticated"),
                "403": ref("responses", "Forbidden"),
                "404": ref("responses", "NotFound"),
                "409": _CONFLICT,
                "413": ref("responses", "TooLarge"),
                "415": ref("responses", "UnsupportedMediaType"),
            },
        },
    },
}

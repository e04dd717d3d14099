"""The OpenAPI 3.1 document of the JSON API, written by hand; served at GET /api/openapi.json.

Request schemas state what the views accept (a request that fits them is never refused
with a 400) and response schemas what they send; the test suite validates every response
it sees against this document and runs schemathesis against the live application.
"""

from __future__ import annotations

from typing import Any

from grader.grade import MAX_CODE_BYTES
from stride.api.spec import JSON, json_body, nullable, ref
from stride.courses import schema as courses_schema
from stride.flashcards import schema as flashcards_schema
from stride.glossary import schema as glossary_schema
from stride.gradebook import schema as gradebook_schema
from stride.quizzes import schema as quizzes_schema

# The learning-content endpoints describe themselves next to their views.
CONTENT_SCHEMAS = (courses_schema, glossary_schema, flashcards_schema, quizzes_schema, gradebook_schema)

MAX_ID = 2**63 - 1
MAX_CODE_CHARACTERS = MAX_CODE_BYTES  # an upper bound: the limit is in UTF-8 bytes


TIMESTAMP = {"type": "string", "format": "date-time"}
STATUS = {
    "type": "string",
    "enum": ["queued", "running", "graded", "error"],
    "description": "queued -> running -> graded, or error when the grader could not grade it",
}
VERDICT = {
    "type": ["string", "null"],
    "description": (
        "null until graded; passed, failed, or a whole-submission verdict (syntax_error, import_error, "
        "missing_function, timeout, memory_limit, crashed, output_limit, empty, too_large, encoding_error, "
        "package_error, grader_error)"
    ),
}
NUMBER_OR_NULL = {"type": ["number", "null"]}

SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object",
        "required": ["error", "detail"],
        "additionalProperties": False,
        "properties": {
            "error": {
                "type": "string",
                "description": "machine-readable code",
                "enum": [
                    "invalid_json",
                    "invalid_encoding",
                    "invalid_body",
                    "invalid_field",
                    "invalid_parameter",
                    "unauthenticated",
                    "invalid_credentials",
                    "not_found",
                    "method_not_allowed",
                    "too_large",
                    "unsupported_media_type",
                    "rate_limited",
                    "forbidden",
                    "conflict",
                    "not_open",
                    "closed",
                    "attempt_limit",
                ],
            },
            "detail": {"type": "string", "description": "what went wrong, for people"},
        },
    },
    "TokenRequest": {
        "type": "object",
        "required": ["username", "password"],
        "properties": {"username": {"type": "string"}, "password": {"type": "string"}},
        "example": {"username": "student", "password": "the password"},
    },
    "Token": {
        "type": "object",
        "required": ["token"],
        "additionalProperties": False,
        "properties": {
            "token": {"type": "string", "description": "send as Authorization: Bearer <token>; shown only once"}
        },
    },
    "ExerciseSummary": {
        "type": "object",
        "required": ["slug", "title", "max_points", "version"],
        "additionalProperties": False,
        "properties": {
            "slug": {"type": "string"},
            "title": {"type": "string"},
            "max_points": {"type": "number"},
            "version": {"type": "string", "description": "content hash of the exercise package"},
        },
    },
    "ExerciseList": {
        "type": "object",
        "required": ["exercises"],
        "additionalProperties": False,
        "properties": {"exercises": {"type": "array", "items": ref("schemas", "ExerciseSummary")}},
    },
    "Exercise": {
        "type": "object",
        "required": ["slug", "title", "max_points", "version", "function", "statement", "starter"],
        "additionalProperties": False,
        "properties": {
            "slug": {"type": "string"},
            "title": {"type": "string"},
            "max_points": {"type": "number"},
            "version": {"type": "string"},
            "function": {"type": "string", "description": "the function the submission must define"},
            "statement": {"type": "string", "description": "Markdown"},
            "starter": {"type": "string", "description": "Python code to start from"},
        },
    },
    "SubmissionRequest": {
        "type": "object",
        "required": ["code"],
        "properties": {
            "code": {
                "type": "string",
                "maxLength": MAX_CODE_CHARACTERS,
                "pattern": "^[^\\x00]*$",
                "description": (
                    f"Python source, at most {MAX_CODE_BYTES} bytes in UTF-8 (413 beyond), without NUL "
                    "characters; empty code is accepted and graded with the verdict empty"
                ),
            }
        },
        "example": {"code": "import numpy as np\n\n\ndef conv2d(image, kernel):\n    ...\n"},
    },
    "SubmissionAccepted": {
        "type": "object",
        "required": ["id", "status"],
        "additionalProperties": False,
        "properties": {"id": {"type": "integer", "minimum": 1}, "status": STATUS},
    },
    "SubmissionSummary": {
        "type": "object",
        "required": ["id", "status", "verdict", "score", "points", "max_points", "created_at", "finished_at"],
        "additionalProperties": False,
        "properties": {
            "id": {"type": "integer", "minimum": 1},
            "status": STATUS,
            "verdict": VERDICT,
            "score": NUMBER_OR_NULL,
            "points": NUMBER_OR_NULL,
            "max_points": NUMBER_OR_NULL,
            "created_at": TIMESTAMP,
            "finished_at": nullable(TIMESTAMP),
        },
    },
    "SubmissionList": {
        "type": "object",
        "required": ["submissions"],
        "additionalProperties": False,
        "properties": {"submissions": {"type": "array", "items": ref("schemas", "SubmissionSummary")}},
    },
    "Submission": {
        "type": "object",
        "required": [
            "id",
            "exercise",
            "status",
            "verdict",
            "score",
            "points",
            "max_points",
            "created_at",
            "started_at",
            "finished_at",
            "feedback",
        ],
        "additionalProperties": False,
        "properties": {
            "id": {"type": "integer", "minimum": 1},
            "exercise": {"type": "string", "description": "the exercise's slug"},
            "status": STATUS,
            "verdict": VERDICT,
            "score": {"type": ["number", "null"], "minimum": 0, "maximum": 1, "description": "0..1"},
            "points": NUMBER_OR_NULL,
            "max_points": NUMBER_OR_NULL,
            "created_at": TIMESTAMP,
            "started_at": nullable(TIMESTAMP),
            "finished_at": nullable(TIMESTAMP),
            "feedback": nullable(ref("schemas", "Feedback")),
        },
    },
    "Feedback": {
        "type": "object",
        "description": (
            "The grader's result without what a student may not see (null until graded). Hidden tests "
            "carry only the kind of failure and the author's hint, never inputs or outputs."
        ),
        "not": {"required": ["seed"]},
        "properties": {
            "exercise": {"type": "string"},
            "version": {"type": "string"},
            "verdict": {"type": "string"},
            "message": {"type": "string"},
            "score": {"type": "number"},
            "points": {"type": "number"},
            "max_points": {"type": "number"},
            "tests": {"type": "array", "items": ref("schemas", "TestResult")},
            "stdout": {"type": "string", "description": "what the code printed, at most 8 KiB"},
            "duration_ms": {"type": "number"},
        },
    },
    "TestResult": {
        "type": "object",
        "required": ["name", "visible", "passed", "verdict"],
        "properties": {
            "name": {"type": "string"},
            "visible": {"type": "boolean"},
            "passed": {"type": "boolean"},
            "verdict": {"type": "string"},
            "points": {"type": "number"},
            "max_points": {"type": "number"},
            "message": {"type": "string"},
            "hint": {"type": "string"},
            "call": {"type": "string", "description": "visible tests: the arguments"},
            "expected": {"type": "array", "description": "visible tests: the expected array (small ones)"},
            "actual": {"type": "array", "description": "visible tests: the returned array (small ones)"},
        },
    },
}


def error_response(description: str, headers: dict[str, Any] | None = None) -> dict[str, Any]:
    response = json_body(ref("schemas", "Error"), description)
    if headers:
        response["headers"] = headers
    return response


RESPONSES: dict[str, Any] = {
    "BadRequest": error_response(
        "Malformed JSON, a body that is not an object, a missing or mistyped member, text that is not "
        "valid UTF-8 (or holds unpaired surrogates or NUL characters), or a bad query parameter"
    ),
    "Unauthenticated": error_response(
        "No credentials, or an invalid bearer token (a browser session counts only for GET)",
        {"WWW-Authenticate": {"required": True, "schema": {"type": "string"}}},
    ),
    "NotFound": error_response("No such resource, or one the caller may not see"),
    "Forbidden": error_response(
        "The caller may not do this: not enrolled in the course (forbidden), the item is not open yet "
        "(not_open) or any more (closed), or no attempts are left (attempt_limit)"
    ),
    "Conflict": error_response("The request cannot be carried out in the resource's current state"),
    "TooLarge": error_response(f"The code is over {MAX_CODE_BYTES} bytes, or the body far over that"),
    "UnsupportedMediaType": error_response("The body is not sent as application/json (UTF-8)"),
    "RateLimited": error_response(
        "Too many requests in the window: submissions (STRIDE_SUBMISSION_RATE), or wrong passwords for one account",
        {
            "Retry-After": {
                "required": True,
                "description": "seconds until a new attempt is accepted",
                "schema": {"type": "integer", "minimum": 1},
            }
        },
    ),
}

PARAMETERS: dict[str, Any] = {
    "slug": {
        "name": "slug",
        "in": "path",
        "required": True,
        "description": "the exercise's slug",
        "schema": {"type": "string", "pattern": "^[-a-zA-Z0-9_]{1,50}$"},
        "example": "conv2d",
    },
    "submission_id": {
        "name": "submission_id",
        "in": "path",
        "required": True,
        "schema": {"type": "integer", "format": "int64", "minimum": 1, "maximum": MAX_ID},
    },
    "limit": {
        "name": "limit",
        "in": "query",
        "required": False,
        "description": "how many submissions, newest first",
        "schema": {"type": "integer", "minimum": 1, "maximum": 200, "default": 50},
    },
}

SECURED = [{"bearerAuth": []}]

PATHS: dict[str, Any] = {
    "/api/openapi.json": {
        "get": {
            "operationId": "openapi",
            "summary": "This document",
            "security": [],
            "responses": {"200": json_body({"type": "object"}, "The OpenAPI document")},
        }
    },
    "/api/token": {
        "post": {
            "operationId": "createToken",
            "summary": "Trade a username and password for a bearer token",
            "description": "Each call creates a new token; only its SHA-256 is stored.",
            "security": [],
            "requestBody": {"required": True, "content": {JSON: {"schema": ref("schemas", "TokenRequest")}}},
            "responses": {
                "200": json_body(ref("schemas", "Token"), "A new token"),
                "400": ref("responses", "BadRequest"),
                "401": error_response(
                    "Wrong username or password, or an inactive account",
                    {"WWW-Authenticate": {"required": True, "schema": {"type": "string"}}},
                ),
                "413": ref("responses", "TooLarge"),
                "415": ref("responses", "UnsupportedMediaType"),
                "429": ref("responses", "RateLimited"),
            },
        }
    },
    "/api/exercises": {
        "get": {
            "operationId": "listExercises",
            "summary": "Every exercise, in course order",
            "responses": {
                "200": json_body(ref("schemas", "ExerciseList"), "The exercises"),
                "401": ref("responses", "Unauthenticated"),
            },
        }
    },
    "/api/exercises/{slug}": {
        "parameters": [ref("parameters", "slug")],
        "get": {
            "operationId": "getExercise",
            "summary": "One exercise with its statement and starter code",
            "responses": {
                "200": json_body(ref("schemas", "Exercise"), "The exercise"),
                "401": ref("responses", "Unauthenticated"),
                "404": ref("responses", "NotFound"),
            },
        },
    },
    "/api/exercises/{slug}/submissions": {
        "parameters": [ref("parameters", "slug")],
        "get": {
            "operationId": "listSubmissions",
            "summary": "The caller's own submissions for the exercise, newest first (no code, no feedback)",
            "parameters": [ref("parameters", "limit")],
            "responses": {
                "200": json_body(ref("schemas", "SubmissionList"), "The submissions"),
                "400": ref("responses", "BadRequest"),
                "401": ref("responses", "Unauthenticated"),
                "404": ref("responses", "NotFound"),
            },
        },
        "post": {
            "operationId": "submit",
            "summary": "Submit code for grading",
            "description": (
                "Stores the submission and queues its grading once stored; poll the Location. In an "
                "offering that grades the exercise, a student is refused (403) before it opens, after it "
                "closes and once the attempts are used up. "
                "Needs a bearer token (a browser session is not enough for POST)."
            ),
            "requestBody": {"required": True, "content": {JSON: {"schema": ref("schemas", "SubmissionRequest")}}},
            "responses": {
                "202": {
                    **json_body(ref("schemas", "SubmissionAccepted"), "Stored and queued"),
                    "headers": {
                        "Location": {
                            "required": True,
                            "description": "the submission: /api/submissions/{id}",
                            "schema": {"type": "string"},
                        }
                    },
                },
                "400": ref("responses", "BadRequest"),
                "401": ref("responses", "Unauthenticated"),
                "403": ref("responses", "Forbidden"),
                "404": ref("responses", "NotFound"),
                "413": ref("responses", "TooLarge"),
                "415": ref("responses", "UnsupportedMediaType"),
                "429": ref("responses", "RateLimited"),
            },
        },
    },
    "/api/submissions/{submission_id}": {
        "parameters": [ref("parameters", "submission_id")],
        "get": {
            "operationId": "getSubmission",
            "summary": "A submission's status, score and feedback",
            "description": (
                "Visible to its author, to instructors and TAs of an offering the author takes, and to "
                "site staff; 404 for everyone else."
            ),
            "responses": {
                "200": json_body(ref("schemas", "Submission"), "The submission"),
                "401": ref("responses", "Unauthenticated"),
                "404": ref("responses", "NotFound"),
            },
        },
    },
}

for _module in CONTENT_SCHEMAS:
    PATHS.update(_module.PATHS)
    SCHEMAS.update(_module.SCHEMAS)
    PARAMETERS.update(getattr(_module, "PARAMETERS", {}))

OPENAPI: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "Stride API",
        "version": "1.0.0",
        "description": (
            "Follow Stride's courses (lessons, glossary, flashcards, quizzes), submit code to its exercises "
            "and read the grading. Authenticate with a bearer token from "
            'POST /api/token. Every error is JSON: {"error": code, "detail": text}. Any method a path '
            "does not list is answered 405 with an Allow header."
        ),
    },
    "paths": PATHS,
    "security": SECURED,
    "components": {
        "securitySchemes": {
            "bearerAuth": {"type": "http", "scheme": "bearer", "description": "a token from POST /api/token"}
        },
        "schemas": SCHEMAS,
        "responses": RESPONSES,
        "parameters": PARAMETERS,
    },
}

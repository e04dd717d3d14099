"""OpenAPI description of the course and lesson endpoints (merged into stride.api.schema)."""

from __future__ import annotations

from typing import Any

from stride.api.spec import json_body, nullable, obj, ref, responses

MAX_ID = 2**63 - 1
LAYER = {"type": "string", "enum": ["input", "conv", "relu", "pool", "conv2", "relu2", "pool2", "global-pool", "dense"]}

SCHEMAS: dict[str, Any] = {
    "Progress": nullable(
        obj(
            {"completed_steps": {"type": "integer", "minimum": 0}, "steps": {"type": "integer", "minimum": 0}},
            description="the caller's completed steps over all lessons (null when not enrolled)",
        )
    ),
    "MapLayer": obj(
        {
            "layer": LAYER,
            "label": {"type": "string"},
            "keras": {"type": "string", "description": "the Keras layer it stands for"},
            "unlocked": {"type": "boolean"},
        }
    ),
    "CourseSummary": obj(
        {
            "slug": {"type": "string"},
            "title": {"type": "string"},
            "number": {"type": "string", "description": "e.g. 6"},
            "summary_html": {"type": "string", "description": "sanitized HTML"},
            "enrolled": {"type": "boolean", "description": "enrolled in an offering of the course (or site staff)"},
            "progress": ref("schemas", "Progress"),
        }
    ),
    "CourseList": obj({"courses": {"type": "array", "items": ref("schemas", "CourseSummary")}}),
    "LessonSummary": obj(
        {
            "id": {"type": "integer", "minimum": 1},
            "key": {"type": "string"},
            "number": {"type": "string", "description": "e.g. 6.2.2.2"},
            "title": {"type": "string"},
            "steps": {"type": "integer", "minimum": 0},
            "completed_steps": {"type": "integer", "minimum": 0},
        }
    ),
    "QuizLink": obj({"id": {"type": "integer", "minimum": 1}, "key": {"type": "string"}, "title": {"type": "string"}}),
    "Course": obj(
        {
            "slug": {"type": "string"},
            "title": {"type": "string"},
            "number": {"type": "string"},
            "summary_html": {"type": "string"},
            "enrolled": {"type": "boolean"},
            "progress": ref("schemas", "Progress"),
            "modules": {
                "type": "array",
                "items": obj(
                    {
                        "key": {"type": "string"},
                        "number": {"type": "string"},
                        "title": {"type": "string"},
                        "sections": {
                            "type": "array",
                            "items": obj(
                                {
                                    "key": {"type": "string"},
                                    "number": {"type": "string"},
                                    "title": {"type": "string"},
                                    "lessons": {"type": "array", "items": ref("schemas", "LessonSummary")},
                                    "quizzes": {"type": "array", "items": ref("schemas", "QuizLink")},
                                }
                            ),
                        },
                    }
                ),
            },
            "architecture_map": {"type": "array", "items": ref("schemas", "MapLayer")},
        }
    ),
    "LessonStep": obj(
        {
            "number": {"type": "integer", "minimum": 1, "description": "1-based place in the lesson"},
            "key": {"type": "string"},
            "type": {
                "type": "string",
                "enum": [
                    "tutor",
                    "article",
                    "dialogue",
                    "overview",
                    "explanation",
                    "faq",
                    "memory_aid",
                    "visualization",
                    "check",
                    "exercise",
                ],  # fmt: skip
            },
            "complete": {"type": "string", "enum": ["read", "check", "exercise"], "description": "what completes it"},
            "unlocks": nullable(LAYER),
            "completed": {"type": "boolean"},
            "unlocked": {"type": "boolean"},
            "content": {
                "type": ["object", "null"],
                "description": (
                    "null while locked; otherwise the step type's fields with Markdown sent as <field>_html "
                    "(sanitized HTML), a check step's question without its answer, a visualization's params "
                    "with its kernel and expected output"
                ),
            },
        }
    ),
    "Lesson": obj(
        {
            "id": {"type": "integer", "minimum": 1},
            "key": {"type": "string"},
            "course": {"type": "string", "description": "the course's slug"},
            "number": {"type": "string"},
            "title": {"type": "string"},
            "tutor": {"type": "string"},
            "steps": {"type": "array", "items": ref("schemas", "LessonStep")},
            "next_step": {"type": ["integer", "null"], "description": "the first step not completed yet"},
            "architecture_map": {"type": "array", "items": ref("schemas", "MapLayer")},
        }
    ),
    "StepCompletion": {
        "type": "object",
        "properties": {"answer": {"description": "check steps: the answer, shaped as the question's type asks"}},
        "example": {"answer": 5},
    },
    "StepCompleted": obj(
        {
            "completed": {"type": "boolean", "description": "false when a check step's answer was wrong"},
            "feedback": {
                "type": ["object", "null"],
                "description": "check steps: correct, message and (when correct) explanation_html",
            },
            "step": ref("schemas", "LessonStep"),
            "next_step": {"type": ["integer", "null"]},
            "architecture_map": {"type": "array", "items": ref("schemas", "MapLayer")},
        }
    ),
}

PARAMETERS: dict[str, Any] = {
    "course_slug": {
        "name": "slug",
        "in": "path",
        "required": True,
        "description": "the course's slug",
        "schema": {"type": "string", "pattern": "^[-a-zA-Z0-9_]{1,50}$"},
        "example": "cnn-features",
    },
    "lesson_id": {
        "name": "lesson_id",
        "in": "path",
        "required": True,
        "schema": {"type": "integer", "format": "int64", "minimum": 1, "maximum": MAX_ID},
    },
    "step_number": {
        "name": "number",
        "in": "path",
        "required": True,
        "description": "1-based place of the step in the lesson",
        "schema": {"type": "integer", "minimum": 1, "maximum": 999999},
    },
}

PATHS: dict[str, Any] = {
    "/api/courses": {
        "get": {
            "operationId": "listCourses",
            "summary": "Every course, with the caller's progress where enrolled",
            "responses": responses(json_body(ref("schemas", "CourseList"), "The courses"), "401"),
        }
    },
    "/api/courses/{slug}": {
        "parameters": [ref("parameters", "course_slug")],
        "get": {
            "operationId": "getCourse",
            "summary": "A course's modules, sections, lessons and quizzes, with the caller's progress",
            "responses": responses(json_body(ref("schemas", "Course"), "The course"), "401", "404"),
        },
    },
    "/api/lessons/{lesson_id}": {
        "parameters": [ref("parameters", "lesson_id")],
        "get": {
            "operationId": "getLesson",
            "summary": "A lesson's steps with the caller's unlock state",
            "description": "Needs an enrolment in an offering of the course (403 otherwise).",
            "responses": responses(json_body(ref("schemas", "Lesson"), "The lesson"), "401", "403", "404"),
        },
    },
    "/api/lessons/{lesson_id}/steps/{number}/complete": {
        "parameters": [ref("parameters", "lesson_id"), ref("parameters", "step_number")],
        "post": {
            "operationId": "completeStep",
            "summary": "Complete a step of a lesson",
            "description": (
                "A read step is completed at once (the body may be empty); a check step needs a correct "
                '"answer" (a wrong one is answered 200 with completed false and feedback); an exercise step '
                "needs a graded submission with full marks (409 otherwise). A locked step is 409. "
                "Completing a completed step again changes nothing."
            ),
            "requestBody": {
                "required": False,
                "content": {"application/json": {"schema": ref("schemas", "StepCompletion")}},
            },
            "responses": responses(
                json_body(ref("schemas", "StepCompleted"), "The step's state after the request"),
                "400",
                "401",
                "403",
                "404",
                "409",
                "413",
                "415",
            ),
        },
    },
}

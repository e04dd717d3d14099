"""Small builders for the OpenAPI document, shared by every module that describes endpoints."""

from __future__ import annotations

from typing import Any

JSON = "application/json"
TIMESTAMP = {"type": "string", "format": "date-time"}


def ref(kind: str, name: str) -> dict[str, str]:
    return {"$ref": f"#/components/{kind}/{name}"}


def json_body(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {JSON: {"schema": schema}}}


def nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


def obj(properties: dict[str, Any], required: list[str] | None = None, **extra: Any) -> dict[str, Any]:
    """A closed object schema; every property is required unless ``required`` says otherwise."""
    return {
        "type": "object",
        "required": list(properties) if required is None else required,
        "additionalProperties": False,
        "properties": properties,
        **extra,
    }


def responses(ok: dict[str, Any], *errors: str) -> dict[str, Any]:
    """``{"200": ok}`` plus the shared error responses by status: "400", "401", "403", "404", "409", ..."""
    names = {"400": "BadRequest", "401": "Unauthenticated", "403": "Forbidden", "404": "NotFound",
             "409": "Conflict", "413": "TooLarge", "415": "UnsupportedMediaType", "429": "RateLimited"}  # fmt: skip
    return {"200": ok, **{status: ref("responses", names[status]) for status in errors}}

"""The API test base: a client that checks every answer against the served OpenAPI document.

:class:`ApiClient` is Django's test client with an optional bearer token; every response
to a path under ``/api/`` is validated against ``GET /api/openapi.json`` (status
documented for the operation, required headers present and well-formed, JSON body valid
for its schema; undocumented methods must be a JSON 405 with ``Allow``, unknown paths a
JSON 404). A test that got an undocumented answer fails even if it asserted nothing else.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

import jsonschema
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpResponse
from django.test import Client
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

DOCUMENT_URI = "urn:stride:openapi"
JSON_TYPE = "application/json"
FORMATS = jsonschema.FormatChecker()


@FORMATS.checks("date-time", raises=ValueError)
def _is_datetime(value: object) -> bool:
    return not isinstance(value, str) or datetime.fromisoformat(value).tzinfo is not None


@cache
def served_document() -> dict[str, Any]:
    """The OpenAPI document as the application serves it (fetched once)."""
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200, response.content
    return response.json()


@cache
def _registry() -> Registry:
    return Registry().with_resource(DOCUMENT_URI, Resource.from_contents(served_document(), DRAFT202012))


def _pointer(base: str, *parts: str) -> str:
    """``base`` (an escaped JSON pointer) extended by ``parts`` (plain names)."""
    return base + "".join("/" + part.replace("~", "~0").replace("/", "~1") for part in parts)


def _resolve(node: dict[str, Any], pointer: str) -> tuple[dict[str, Any], str]:
    """Follow a local ``$ref`` (one level is all the document uses); returns the node and its pointer."""
    if "$ref" in node:
        target = node["$ref"].removeprefix("#")
        found: Any = served_document()
        for part in target.strip("/").split("/"):
            found = found[part.replace("~1", "/").replace("~0", "~")]
        return found, target
    return node, pointer


def validate_instance(instance: Any, pointer: str) -> None:
    """Validate ``instance`` against the schema at ``pointer`` in the served document."""
    validator = jsonschema.Draft202012Validator(
        {"$ref": f"{DOCUMENT_URI}#{pointer}"}, registry=_registry(), format_checker=FORMATS
    )
    errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path))
    assert not errors, f"not valid for {pointer}: " + "; ".join(
        f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]
    )


def match_operation(path: str) -> tuple[str | None, dict[str, Any] | None]:
    for template, item in served_document()["paths"].items():
        pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template))
        if re.fullmatch(pattern, path):
            return template, item
    return None, None


def _json(response: HttpResponse) -> Any:
    assert response["Content-Type"].split(";")[0].strip() == JSON_TYPE, response["Content-Type"]
    return json.loads(response.content)


def validate_response(method: str, path: str, response: HttpResponse) -> None:
    """Check one response of the application against the served document."""
    error_schema = "/components/schemas/Error"
    template, item = match_operation(path)
    has_body = method != "HEAD"
    if item is None:
        assert response.status_code == 404, f"{method} {path}: unknown path answered {response.status_code}"
        if has_body:
            validate_instance(_json(response), error_schema)
        return
    operation = item.get("head" if method == "HEAD" and "head" in item else method.lower())
    if operation is None and method == "HEAD":
        operation = item.get("get")
    if operation is None:
        assert response.status_code == 405, f"{method} {template}: undocumented method answered {response.status_code}"
        allowed = {m.strip().lower() for m in response["Allow"].split(",")}
        assert allowed - {"head"} == set(item) - {"parameters"}, response["Allow"]
        validate_instance(_json(response), error_schema)
        return
    status = str(response.status_code)
    base = _pointer("", "paths", template, method.lower() if method != "HEAD" else "get", "responses")
    documented = operation["responses"].get(status)
    assert documented is not None, f"{method} {template}: status {status} is not documented"
    spec, spec_pointer = _resolve(documented, f"{base}/{status}")
    for name, header in spec.get("headers", {}).items():
        if header.get("required"):
            assert response.has_header(name), f"{method} {template} {status}: header {name} missing"
        if response.has_header(name):
            value: Any = response[name]
            if header["schema"].get("type") == "integer":
                assert re.fullmatch(r"[0-9]+", value), f"header {name}: {value!r} is not an integer"
                value = int(value)
            validate_instance(value, _pointer(spec_pointer, "headers", name, "schema"))
    content = spec.get("content")
    if has_body and content:
        assert JSON_TYPE in content
        validate_instance(_json(response), _pointer(spec_pointer, "content", JSON_TYPE, "schema"))
    elif has_body:
        assert not response.content, f"{method} {template} {status}: undocumented body"


class ApiClient(Client):
    """Django's test client, with a bearer token when given one, checking every API answer."""

    def __init__(self, token: str | None = None, **defaults: Any) -> None:
        super().__init__(**defaults)
        self.token = token
        self.checked = 0

    def request(self, **request: Any) -> HttpResponse:
        if self.token is not None and "HTTP_AUTHORIZATION" not in request:
            request["HTTP_AUTHORIZATION"] = f"Bearer {self.token}"
        response = super().request(**request)
        path = request.get("PATH_INFO", "")
        if path.startswith("/api/"):
            validate_response(request.get("REQUEST_METHOD", "GET"), path, response)
            self.checked += 1
        return response

    def post_json(self, path: str, data: Any, **extra: Any) -> HttpResponse:
        return self.post(path, json.dumps(data), content_type=JSON_TYPE, **extra)


@dataclass
class Persona:
    """Someone calling the API: ``user`` is None for the anonymous caller."""

    name: str
    user: AbstractBaseUser | None
    password: str | None
    api: ApiClient

    def __str__(self) -> str:
        return self.name


def assert_error(response: HttpResponse, status: int, error: str | None = None) -> dict[str, Any]:
    """The response is a JSON error with this status (and code); returns the body."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"] == JSON_TYPE
    body = response.json()
    assert set(body) == {"error", "detail"}
    assert isinstance(body["detail"], str) and body["detail"]
    if error is not None:
        assert body["error"] == error, body
    if status == 401:
        assert response["WWW-Authenticate"].startswith("Bearer")
    return body


def sample_result(slug: str = "conv2d", seed: int = 1234567890123) -> dict[str, Any]:
    """A grading result in the grader's format: one visible test passed, one hidden test failed."""
    return {
        "exercise": slug,
        "version": "0123456789abcdef",
        "seed": seed,
        "verdict": "failed",
        "message": "1 of 2 tests failed",
        "score": 0.5,
        "points": 1.0,
        "max_points": 2.0,
        "tests": [
            {
                "name": "example: 3x3 image, 2x2 kernel",
                "visible": True,
                "passed": True,
                "verdict": "passed",
                "points": 1.0,
                "max_points": 1.0,
                "message": "passed",
                "call": "(array(shape=(3, 3), dtype=float64), array(shape=(2, 2), dtype=float64))",
                "expected": [[1.0, 2.0], [3.0, 4.0]],
                "actual": [[1.0, 2.0], [3.0, 4.0]],
            },
            {
                "name": "hidden: non-square kernel",
                "visible": False,
                "passed": False,
                "verdict": "wrong_shape",
                "points": 0.0,
                "max_points": 1.0,
                "message": "the output has the wrong shape",
                "hint": "the output has H - kh + 1 rows and W - kw + 1 columns",
            },
        ],
        "stdout": "",
        "duration_ms": 21.5,
    }

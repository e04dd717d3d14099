"""GET /api/openapi.json, and the document itself."""

from __future__ import annotations

import json
import re
from typing import Any

import jsonschema
import pytest
from django.test import Client
from django.urls import resolve

from stride.api.schema import OPENAPI
from tests.api.support import ApiClient, assert_error, served_document, validate_response


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["$ref"]] if "$ref" in node else []
        return own + [r for value in node.values() for r in _refs(value)]
    if isinstance(node, list):
        return [r for value in node for r in _refs(value)]
    return []


def test_it_serves_the_document_to_anyone(client: Client) -> None:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == json.loads(json.dumps(OPENAPI))


def test_it_answers_head(client: Client) -> None:
    assert client.head("/api/openapi.json").status_code == 200


def test_it_answers_other_methods_with_405() -> None:
    response = ApiClient().post("/api/openapi.json")
    assert_error(response, 405, "method_not_allowed")
    assert response["Allow"] == "GET, HEAD"


def test_it_is_a_valid_openapi_3_1_document() -> None:
    from schemathesis.specs.openapi.definitions import OPENAPI_31_VALIDATOR

    assert served_document()["openapi"] == "3.1.0"
    OPENAPI_31_VALIDATOR.validate(served_document())


def test_it_has_only_references_that_resolve() -> None:
    document = served_document()
    refs = _refs(document)
    assert refs
    for ref in refs:
        node = document
        for part in ref.removeprefix("#/").split("/"):
            node = node[part]


def test_it_uses_every_component() -> None:
    document = served_document()
    refs = set(_refs(document))
    for kind, components in document["components"].items():
        if kind != "securitySchemes":
            assert {f"#/components/{kind}/{name}" for name in components} <= refs, kind


def test_it_has_valid_json_schemas() -> None:
    for schema in served_document()["components"]["schemas"].values():
        jsonschema.Draft202012Validator.check_schema(schema)


def test_it_describes_only_paths_the_application_routes() -> None:
    for template in served_document()["paths"]:
        match = resolve(re.sub(r"\{[^}]+\}", "1", template))
        assert match.url_name, f"{template} falls through to the catch-all"


def test_it_names_every_route_of_the_api() -> None:
    from stride.api import urls

    routed = {str(pattern.pattern) for pattern in urls.urlpatterns if pattern.name}
    documented = {re.sub(r"\{([^}]+)\}", r"<str:\1>", path.removeprefix("/api/")) for path in OPENAPI["paths"]}
    assert routed == documented


def test_it_protects_every_operation_but_the_document_and_the_token() -> None:
    document = served_document()
    assert document["security"] == [{"bearerAuth": []}]
    assert document["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "a token from POST /api/token",
    }
    public = {
        (path, method)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method != "parameters" and operation.get("security") == []
    }
    assert public == {("/api/openapi.json", "get"), ("/api/token", "post")}
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method != "parameters" and (path, method) not in public:
                assert "401" in operation["responses"], (path, method)


def test_it_documents_the_error_statuses_the_issue_names() -> None:
    submit = served_document()["paths"]["/api/exercises/{slug}/submissions"]["post"]["responses"]
    assert {"202", "400", "401", "404", "413", "415", "429"} <= set(submit)


def test_it_is_what_the_test_client_checks_answers_against() -> None:
    from django.http import JsonResponse

    with pytest.raises(AssertionError, match="not documented"):
        validate_response("GET", "/api/exercises", JsonResponse({}, status=418))
    with pytest.raises(AssertionError, match="not valid"):
        validate_response("GET", "/api/exercises", JsonResponse({"exercises": [{"slug": 1}]}))
    with pytest.raises(AssertionError, match="Retry-After"):
        response = JsonResponse({"error": "rate_limited", "detail": "slow down"}, status=429)
        validate_response("POST", "/api/exercises/conv2d/submissions", response)

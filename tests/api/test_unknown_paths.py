"""Paths under /api/ that name no endpoint: a JSON 404 whatever the method."""

from __future__ import annotations

import pytest

from tests.api.support import ApiClient, assert_error


@pytest.mark.parametrize(
    "path",
    [
        "/api/",
        "/api/nope",
        "/api/token/",
        "/api/exercises/",
        "/api/exercises/conv2d/",
        "/api/submissions",
        "/api/a/b/c",
    ],
)
@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_it_answers_unknown_api_paths_with_a_json_404(db, path: str, method: str) -> None:
    assert_error(getattr(ApiClient(), method)(path), 404, "not_found")

"""GET /healthz."""

from __future__ import annotations

import pytest
from django.db import DatabaseError
from django.test import Client


@pytest.mark.django_db
def test_it_reports_the_database_ok(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"database": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_it_answers_head(client: Client) -> None:
    assert client.head("/healthz").status_code == 200


def test_it_refuses_other_methods(client: Client) -> None:
    assert client.post("/healthz").status_code == 405


class _UnreachableDatabase:
    def cursor(self):
        raise DatabaseError("connection refused")


def test_it_reports_a_broken_database_with_503(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    from stride.core import views

    monkeypatch.setattr(views, "connection", _UnreachableDatabase())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "error"}

"""GET /healthz: the database, the broker and the workers, each reported; 503 when any is down."""

from __future__ import annotations

import socket
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import DatabaseError
from django.test import Client, override_settings
from django.utils import timezone

from grader import broker
from stride.core import health
from stride.core.models import WorkerHeartbeat

ALL_OK = {"database": "ok", "broker": "ok", "workers": {"grader": "ok", "results": "ok"}}


@pytest.fixture
def embedded_broker(tmp_path: Path):
    """An embedded broker in a fresh folder, whatever REDIS_URL the suite runs with."""
    with override_settings(
        CELERY_BROKER_URL=broker.URL, CELERY_BROKER_TRANSPORT_OPTIONS=broker.transport_options(tmp_path / "broker")
    ):
        yield tmp_path / "broker"


@pytest.fixture
def workers_alive(db) -> None:
    WorkerHeartbeat.beat("grader@host", "grader")
    WorkerHeartbeat.beat("results@host", "results")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def make_stale(name: str, seconds: float) -> None:
    WorkerHeartbeat.objects.filter(name=name).update(last_seen=timezone.now() - timedelta(seconds=seconds))


@pytest.mark.django_db
def test_it_reports_every_part_ok_with_200(client: Client, embedded_broker: Path, workers_alive: None) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == ALL_OK
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_it_answers_head(client: Client, embedded_broker: Path, workers_alive: None) -> None:
    assert client.head("/healthz").status_code == 200


def test_it_refuses_other_methods(client: Client) -> None:
    assert client.post("/healthz").status_code == 405


@pytest.mark.django_db
def test_it_checks_a_real_redis_broker(client: Client, redis_url: str, workers_alive: None) -> None:
    with override_settings(CELERY_BROKER_URL=redis_url):
        response = client.get("/healthz")
    assert (response.status_code, response.json()) == (200, ALL_OK)


@pytest.mark.django_db
def test_a_redis_that_does_not_answer_is_reported_fast_with_503(client: Client, workers_alive: None) -> None:
    with override_settings(CELERY_BROKER_URL=f"redis://127.0.0.1:{free_port()}/0"):
        started = time.monotonic()
        response = client.get("/healthz")
        elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert response.json() == {**ALL_OK, "broker": "down"}
    assert elapsed < 1.0


def test_a_redis_that_accepts_but_never_answers_costs_at_most_the_timeout() -> None:
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        started = time.monotonic()
        state = health.broker_state(f"redis://127.0.0.1:{silent.getsockname()[1]}/0", timeout=0.3)
        elapsed = time.monotonic() - started
    assert state == "down"
    assert elapsed < 1.0


@pytest.mark.django_db
def test_an_embedded_broker_that_cannot_be_written_is_down(client: Client, tmp_path: Path, workers_alive: None) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    options = broker.transport_options(blocker / "broker")
    with override_settings(CELERY_BROKER_URL=broker.URL, CELERY_BROKER_TRANSPORT_OPTIONS=options):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"] == "down"


def test_the_embedded_broker_check_creates_the_folder_and_leaves_no_message(tmp_path: Path) -> None:
    options = broker.transport_options(tmp_path / "broker")
    assert health.broker_state(broker.URL, options) == "ok"
    assert list(Path(options["data_folder_in"]).iterdir()) == []


@pytest.mark.django_db
def test_no_heartbeat_at_all_means_both_kinds_of_worker_are_down(client: Client, embedded_broker: Path) -> None:
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {**ALL_OK, "workers": {"grader": "down", "results": "down"}}


@pytest.mark.django_db
@pytest.mark.parametrize("stale, fresh", [("grader", "results"), ("results", "grader")])
def test_a_stale_heartbeat_means_that_kind_of_worker_is_down(
    client: Client, embedded_broker: Path, workers_alive: None, settings, stale: str, fresh: str
) -> None:
    settings.STRIDE_WORKER_STALE_SECONDS = 30
    make_stale(f"{stale}@host", 31)
    make_stale(f"{fresh}@host", 29)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["workers"] == {stale: "down", fresh: "ok"}


@pytest.mark.django_db
def test_one_live_worker_of_a_kind_is_enough(client: Client, embedded_broker: Path, workers_alive: None) -> None:
    WorkerHeartbeat.beat("grader@other", "grader")
    make_stale("grader@host", 3600)
    assert client.get("/healthz").status_code == 200


class _UnreachableDatabase:
    def cursor(self):
        raise DatabaseError("connection refused")


@pytest.mark.django_db
def test_a_broken_database_is_reported_with_503(
    client: Client, embedded_broker: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(health, "connection", _UnreachableDatabase())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "database": "down",
        "broker": "ok",
        "workers": {"grader": "unknown", "results": "unknown"},
    }


def test_worker_states_say_unknown_when_the_database_cannot_tell(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(**_: object) -> set[str]:
        raise DatabaseError("gone")

    monkeypatch.setattr(WorkerHeartbeat, "alive_kinds", broken)
    assert health.worker_states() == {"grader": "unknown", "results": "unknown"}

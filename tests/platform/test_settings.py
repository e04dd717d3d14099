"""stride.settings read from the environment, checked in fresh interpreters."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from grader import broker

SHOW = """
import json
from stride import settings as s
db = s.DATABASES["default"]
print(json.dumps({
    "DEBUG": s.DEBUG,
    "SECRET_KEY": s.SECRET_KEY,
    "ALLOWED_HOSTS": s.ALLOWED_HOSTS,
    "ENGINE": db["ENGINE"],
    "NAME": str(db["NAME"]),
    "HOST": db.get("HOST"),
    "BROKER_URL": s.CELERY_BROKER_URL,
    "BROKER_TRANSPORT": s.CELERY_BROKER_TRANSPORT,
    "BROKER_TRANSPORT_OPTIONS": s.CELERY_BROKER_TRANSPORT_OPTIONS,
    "RESULT_BACKEND": s.CELERY_RESULT_BACKEND,
    "ACKS_LATE": s.CELERY_TASK_ACKS_LATE,
    "PREFETCH": s.CELERY_WORKER_PREFETCH_MULTIPLIER,
    "REJECT_ON_WORKER_LOST": s.CELERY_TASK_REJECT_ON_WORKER_LOST,
    "SERIALIZERS": [s.CELERY_TASK_SERIALIZER, s.CELERY_RESULT_SERIALIZER, s.CELERY_ACCEPT_CONTENT],
    "RETRY_ON_STARTUP": s.CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP,
    "CACHE": s.CACHES["default"]["BACKEND"] if hasattr(s, "CACHES") else None,
    "TIME_ZONE": s.TIME_ZONE,
    "USE_TZ": s.USE_TZ,
}))
"""


@pytest.fixture
def load_settings(tmp_path: Path, production_env: Callable[..., dict]) -> Callable[..., subprocess.CompletedProcess]:
    """Import stride.settings in a fresh interpreter with only the given STRIDE/DB/Redis variables."""

    def load(**env: str) -> subprocess.CompletedProcess:
        clean = production_env(
            STRIDE_SECRET_KEY=None,
            STRIDE_DEBUG=None,
            DATABASE_URL=None,
            REDIS_URL=None,
            STRIDE_VAR_DIR=str(tmp_path / "var"),
        )
        clean = {name: value for name, value in clean.items() if not name.startswith("STRIDE_")} | {
            "STRIDE_VAR_DIR": str(tmp_path / "var"),
            **env,
        }
        return subprocess.run([sys.executable, "-c", SHOW], env=clean, capture_output=True, text=True, timeout=60)

    return load


def shown(completed: subprocess.CompletedProcess) -> dict:
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


def test_it_defaults_to_sqlite_and_the_embedded_broker_in_development(load_settings, tmp_path: Path) -> None:
    settings = shown(load_settings(STRIDE_DEBUG="1"))
    assert settings["DEBUG"] is True
    assert settings["SECRET_KEY"].startswith("django-insecure-")
    assert settings["ENGINE"] == "django.db.backends.sqlite3"
    assert settings["NAME"] == str(tmp_path / "var" / "stride.sqlite3")
    assert settings["BROKER_URL"] == broker.URL
    assert settings["BROKER_TRANSPORT"] == broker.TRANSPORT
    assert settings["BROKER_TRANSPORT_OPTIONS"]["data_folder_in"] == str(tmp_path / "var" / "broker" / "queue")
    assert settings["RESULT_BACKEND"] is None
    assert settings["CACHE"] is None
    assert "localhost" in settings["ALLOWED_HOSTS"]
    assert (settings["TIME_ZONE"], settings["USE_TZ"]) == ("UTC", True)


def test_it_follows_celery_good_practice(load_settings) -> None:
    settings = shown(load_settings(STRIDE_DEBUG="1"))
    assert settings["ACKS_LATE"] is True
    assert settings["REJECT_ON_WORKER_LOST"] is True
    assert settings["PREFETCH"] == 1
    assert settings["RETRY_ON_STARTUP"] is True
    assert settings["SERIALIZERS"] == ["json", "json", ["json"]]


def test_it_uses_postgres_and_redis_from_urls(load_settings) -> None:
    settings = shown(
        load_settings(
            STRIDE_SECRET_KEY="k" * 50,
            DATABASE_URL="postgres://stride:pw@db.example:5432/stride",
            REDIS_URL="redis://cache.example:6379/2",
            STRIDE_ALLOWED_HOSTS="stride.example, www.stride.example",
        )
    )
    assert settings["DEBUG"] is False
    assert settings["SECRET_KEY"] == "k" * 50
    assert settings["ENGINE"] == "django.db.backends.postgresql"
    assert (settings["NAME"], settings["HOST"]) == ("stride", "db.example")
    assert settings["BROKER_URL"] == "redis://cache.example:6379/2"
    assert settings["BROKER_TRANSPORT"] is None
    assert settings["BROKER_TRANSPORT_OPTIONS"] == {"visibility_timeout": 3600}
    assert settings["CACHE"] == "django.core.cache.backends.redis.RedisCache"
    assert settings["ALLOWED_HOSTS"] == ["stride.example", "www.stride.example"]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"STRIDE_DEBUG": "maybe"}, "STRIDE_DEBUG='maybe' is not a boolean"),
        ({}, "STRIDE_SECRET_KEY must be set"),
        ({"STRIDE_DEBUG": "0"}, "STRIDE_SECRET_KEY must be set"),
        (
            {"STRIDE_DEBUG": "1", "STRIDE_DB_CONN_MAX_AGE": "1m", "DATABASE_URL": "postgres://h/db"},
            "STRIDE_DB_CONN_MAX_AGE",
        ),
        ({"STRIDE_DEBUG": "1", "DATABASE_URL": "nosuchdb://x/y"}, "DATABASE_URL"),
        ({"STRIDE_DEBUG": "1", "STRIDE_BROKER_VISIBILITY_TIMEOUT": "5"}, "below the minimum 60"),
        ({"STRIDE_DEBUG": "1", "STRIDE_LOG_LEVEL": "loud"}, "STRIDE_LOG_LEVEL='LOUD'"),
    ],
)
def test_it_stops_loudly_on_bad_configuration(load_settings, env: dict[str, str], message: str) -> None:
    completed = load_settings(**env)
    assert completed.returncode != 0
    last_line = completed.stderr.strip().splitlines()[-1]
    assert last_line.startswith("django.core.exceptions.ImproperlyConfigured: "), completed.stderr
    assert message in last_line

"""Health checks behind ``GET /healthz``: the database, the broker and the workers.

Each check answers ``"ok"`` or ``"down"`` quickly: the broker gets short socket timeouts
so that a Redis that does not answer costs well under a second, and the workers are
judged from the heartbeats they send through the broker (:class:`WorkerHeartbeat`), so
a fresh heartbeat proves the worker, the broker and the results worker all work.
"""

from __future__ import annotations

import logging
import tempfile
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection

from stride.core.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

OK, DOWN, UNKNOWN = "ok", "down", "unknown"
#: The kinds of worker a working platform needs (see grader/worker.py and stride/celery.py).
WORKER_KINDS = ("grader", "results")
#: Seconds the broker check may spend connecting and waiting for an answer.
BROKER_TIMEOUT_S = 0.5


def database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.warning("health check: the database does not answer", exc_info=True)
        return DOWN
    return OK


def broker_state(
    url: str | None = None,
    transport_options: dict | None = None,
    timeout: float = BROKER_TIMEOUT_S,
) -> str:
    """Redis: a PING round trip; the embedded broker: its queue folder takes a file."""
    url = settings.CELERY_BROKER_URL if url is None else url
    if transport_options is None:
        transport_options = settings.CELERY_BROKER_TRANSPORT_OPTIONS or {}
    if url.startswith(("redis://", "rediss://", "unix://")):
        return _redis_state(url, timeout)
    if url.startswith("filesystem:"):
        return _folder_state(transport_options.get("data_folder_in"))
    return _kombu_state(url, timeout)


def _redis_state(url: str, timeout: float) -> str:
    import redis

    client = redis.Redis.from_url(
        url, socket_connect_timeout=timeout, socket_timeout=timeout, retry_on_timeout=False, retry=None
    )
    try:
        client.ping()
    except (redis.RedisError, OSError) as exc:
        logger.warning("health check: the broker does not answer at %s: %s", _redacted(url), exc)
        return DOWN
    finally:
        client.close()
    return OK


def _folder_state(folder: str | None) -> str:
    if not folder:
        logger.warning("health check: the embedded broker has no queue folder configured")
        return DOWN
    try:
        # Created as the broker itself would on first use; then a hidden name it never
        # reads as a message (messages end in .msg).
        Path(folder).mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=Path(folder), prefix=".healthz-", suffix=".tmp"):
            pass
    except OSError as exc:
        logger.warning("health check: the embedded broker folder %s is not writable: %s", folder, exc)
        return DOWN
    return OK


def _kombu_state(url: str, timeout: float) -> str:  # pragma: no cover - Stride configures Redis or embedded
    from kombu import Connection

    try:
        with Connection(url, connect_timeout=timeout) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=timeout)
    except Exception as exc:
        logger.warning("health check: the broker does not answer at %s: %s", _redacted(url), exc)
        return DOWN
    return OK


def _redacted(url: str) -> str:
    """The URL without its password, for logs."""
    scheme, sep, rest = url.partition("://")
    if "@" in rest:
        rest = "***@" + rest.split("@", 1)[1]
    return f"{scheme}{sep}{rest}"


def worker_states(stale_seconds: int | None = None) -> dict[str, str]:
    """``{"grader": "ok" | "down", "results": ...}``; ``unknown`` when the database cannot tell."""
    stale = settings.STRIDE_WORKER_STALE_SECONDS if stale_seconds is None else stale_seconds
    try:
        alive = WorkerHeartbeat.alive_kinds(within=timedelta(seconds=stale))
    except DatabaseError:
        return dict.fromkeys(WORKER_KINDS, UNKNOWN)
    return {kind: OK if kind in alive else DOWN for kind in WORKER_KINDS}


def report() -> tuple[dict, bool]:
    """The whole report and whether every part is ok."""
    database = database_state()
    checks = {
        "database": database,
        "broker": broker_state(),
        "workers": worker_states() if database == OK else dict.fromkeys(WORKER_KINDS, UNKNOWN),
    }
    healthy = checks["database"] == OK and checks["broker"] == OK and all(s == OK for s in checks["workers"].values())
    return checks, healthy

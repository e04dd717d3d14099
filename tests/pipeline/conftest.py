"""Fixtures of the pipeline tests: real worker processes, a private Redis, the test database.

These tests run the grading pipeline the way production runs it, each part in its own
process: the grading worker (``python -m stride.worker --app grader.worker:app``, no
Django, no database credentials), the results worker (``python -m stride.worker --queues
results``), the sweeper's scheduler (``celery -A stride beat``), and a Redis server of
the test's own, so that killing or restarting it never touches a shared one.

The workers must see what the test writes, so every test here uses the transactional
test database (``django_db(transaction=True)``: rows are committed) and the workers are
pointed at that same database: PostgreSQL through ``DATABASE_URL`` built from the test
process's connection, or SQLite through a file. pytest-django keeps a SQLite test
database in memory, which no other process can open, so this conftest gives it a file
(``TEST.NAME``) before the test database is created; the workers find the file through
``STRIDE_VAR_DIR`` and get the settings module's own SQLite options (lock timeout, WAL).

Every process is started in its own session and killed with its whole process group at
teardown; the logs of all of them are attached to the report of a failing test. The parts
that need no fixture (processes, polling, the private Redis, preconditions) live in
tests/stack.py, shared with the browser tests; they are imported here under their old names.
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.db import connection, connections

from tests.stack import (  # noqa: F401 - names the pipeline tests import from here
    EXERCISES_DIR,
    GRADING_QUEUE,
    PLATFORM_DIR,
    READY_TIMEOUT,
    REPO_ROOT,
    RESULTS_QUEUE,
    SQLITE_FILE_NAME,
    STOP_TIMEOUT,
    UNACKED_INDEX_KEY,
    UNACKED_KEY,
    PrivateRedis,
    Proc,
    QueuedTask,
    children_of,
    environ_of,
    family,
    free_port,
    grading_unavailable,
    is_alive,
    remove_slot_cgroups,
    require,
    services_required,
    slot_cgroups,
    wait_for,
)

# --- SQLite: a test database other processes can open -------------------------------------


def _file_based_sqlite_test_database() -> None:
    """Give an SQLite test database a file name (before pytest-django creates it)."""
    settings_dict = connections["default"].settings_dict
    if settings_dict["ENGINE"] != "django.db.backends.sqlite3":
        return
    test = settings_dict.setdefault("TEST", {})
    if test.get("NAME"):
        return
    folder = tempfile.mkdtemp(prefix="stride-pipeline-db-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    test["NAME"] = str(Path(folder) / SQLITE_FILE_NAME)


_file_based_sqlite_test_database()


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[PrivateRedis]:
    """A redis-server of this test's own on a free port, killed at teardown."""
    require(None if shutil.which("redis-server") else "redis-server is not installed (make system-deps)")
    server = PrivateRedis(folder=tmp_path / "redis")
    server.start()
    yield server
    server.kill()


def _reset_broker_connections(app) -> None:
    """Forget every pooled broker connection of this process (the next send reconnects)."""
    from kombu import pools

    pools.reset()
    app._pool = None
    amqp = app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None


@pytest.fixture
def broker(private_redis: PrivateRedis) -> Iterator[PrivateRedis]:
    """The test process's Celery app (``stride.celery``, what the web tier sends with) uses the private Redis."""
    from stride.celery import app

    # The app reads the Django settings with the namespace CELERY, and a CELERY_BROKER_URL
    # there wins over a plain broker_url: override both spellings in the app's changes.
    overrides: dict[str, Any] = {}
    for name, value in (("broker_url", private_redis.url), ("broker_transport", None),
                        ("broker_transport_options", {})):  # fmt: skip
        overrides[name] = overrides[f"CELERY_{name.upper()}"] = value
    changes = app.conf.maps[0]
    saved = {name: changes[name] for name in overrides if name in changes}
    _reset_broker_connections(app)
    changes.update(overrides)
    assert app.conf.broker_url == private_redis.url, "the Celery app did not take the private broker"
    assert app.connection_for_write().transport.driver_type == "redis", "the Celery app did not take Redis"
    yield private_redis
    _reset_broker_connections(app)
    for name in overrides:
        changes.pop(name, None)
    changes.update(saved)


# --- The database as other processes see it ---------------------------------------------------


@pytest.fixture
def database_env(transactional_db: None) -> dict[str, str]:
    """Environment variables that point a Django process at the test database of this process."""
    settings_dict = connection.settings_dict
    if connection.vendor == "postgresql":
        user = quote(settings_dict.get("USER") or "", safe="")
        password = quote(settings_dict.get("PASSWORD") or "", safe="")
        credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
        host = quote(settings_dict.get("HOST") or "", safe="")
        port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
        name = quote(settings_dict["NAME"], safe="")
        return {"DATABASE_URL": f"postgres://{credentials}{host}{port}/{name}"}
    if connection.vendor == "sqlite":
        path = Path(str(settings_dict["NAME"]))
        if connection.is_in_memory_db() or path.name != SQLITE_FILE_NAME or not path.is_file():
            pytest.fail(
                f"the SQLite test database is {settings_dict['NAME']!r}: worker processes need a file named "
                f"{SQLITE_FILE_NAME} (tests/pipeline/conftest.py sets TEST.NAME; was it overridden?)"
            )
        return {"STRIDE_VAR_DIR": str(path.parent)}
    pytest.fail(f"the pipeline tests support PostgreSQL and SQLite, not {connection.vendor}")


@dataclass
class Audit:
    """Every UPDATE of a submission row, written by a database trigger the test installs.

    Conditional updates that match no row fire no trigger, so these rows are exactly the
    state moves that happened, whichever process made them.
    """

    table: str = "stride_test_audit"
    columns: tuple[str, ...] = ("status", "finished_at", "started_at", "score", "deliveries", "grading_token")

    def install(self) -> None:
        from stride.submissions.models import Submission

        target = Submission._meta.db_table
        olds = ", ".join(self._cast(f"OLD.{c}") for c in self.columns)
        news = ", ".join(self._cast(f"NEW.{c}") for c in self.columns)
        names = ", ".join([*(f"old_{c}" for c in self.columns), *(f"new_{c}" for c in self.columns)])
        fields = ", ".join(f"{prefix}_{c} text" for prefix in ("old", "new") for c in self.columns)
        insert = f"INSERT INTO {self.table} (submission_id, {names}) VALUES (NEW.id, {olds}, {news});"
        self.uninstall()
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"CREATE TABLE {self.table} (id bigserial PRIMARY KEY, submission_id bigint, {fields})")
                cursor.execute(
                    f"CREATE FUNCTION {self.table}_row() RETURNS trigger LANGUAGE plpgsql AS "
                    f"$$ BEGIN {insert} RETURN NEW; END $$"
                )
                cursor.execute(
                    f"CREATE TRIGGER {self.table} AFTER UPDATE ON {target} "
                    f"FOR EACH ROW EXECUTE FUNCTION {self.table}_row()"
                )
            else:
                cursor.execute(
                    f"CREATE TABLE {self.table} (id INTEGER PRIMARY KEY AUTOINCREMENT, submission_id integer, {fields})"
                )
                cursor.execute(f"CREATE TRIGGER {self.table} AFTER UPDATE ON {target} FOR EACH ROW BEGIN {insert} END")

    def uninstall(self) -> None:
        from stride.submissions.models import Submission

        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS {self.table} ON {Submission._meta.db_table}")
                cursor.execute(f"DROP FUNCTION IF EXISTS {self.table}_row()")
            else:
                cursor.execute(f"DROP TRIGGER IF EXISTS {self.table}")
            cursor.execute(f"DROP TABLE IF EXISTS {self.table}")

    @staticmethod
    def _cast(column: str) -> str:
        return f"CAST({column} AS text)"

    def moves(self, submission_id: int) -> list[dict[str, str | None]]:
        """The updates of one submission, oldest first: ``{"old_status": ..., "new_status": ..., ...}``."""
        names = [*(f"old_{c}" for c in self.columns), *(f"new_{c}" for c in self.columns)]
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {', '.join(names)} FROM {self.table} WHERE submission_id = %s ORDER BY id",
                           [submission_id])  # fmt: skip
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def recordings(self, submission_id: int) -> list[dict[str, str | None]]:
        """The updates that recorded a result: finished_at went from empty to set."""
        return [m for m in self.moves(submission_id) if m["old_finished_at"] is None and m["new_finished_at"]]

    def changes_after_recording(self, submission_id: int) -> list[dict[str, str | None]]:
        """Updates of an already finished row, other than filling in a missing started_at."""
        changed = []
        for move in self.moves(submission_id):
            if move["old_finished_at"] is None:
                continue
            differs = {c for c in self.columns if move[f"old_{c}"] != move[f"new_{c}"]}
            if differs - {"started_at"} or (differs and move["old_started_at"] is not None):
                changed.append(move)
        return changed

    def describe(self, submission_id: int) -> str:
        return "\n".join(
            f"  {m['old_status']} -> {m['new_status']}, deliveries {m['old_deliveries']} -> {m['new_deliveries']}, "
            f"finished_at {m['old_finished_at']} -> {m['new_finished_at']}"
            for m in self.moves(submission_id)
        )


@pytest.fixture
def audit(transactional_db: None) -> Iterator[Audit]:
    trail = Audit()
    trail.install()
    yield trail
    trail.uninstall()


# --- The stack of processes -------------------------------------------------------------------


STACK = pytest.StashKey["Stack"]()


class Stack:
    """The pipeline's processes for one test, each with a clean environment of its own."""

    def __init__(self, folder: Path, redis: PrivateRedis, database_env: dict[str, str], audit: Audit) -> None:
        self.folder = folder
        self.redis = redis
        self.database_env = database_env
        self.audit = audit
        self.procs: list[Proc] = []

    def _base_env(self, var_dir: Path) -> dict[str, str]:
        var_dir.mkdir(parents=True, exist_ok=True)
        return {
            "PATH": os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin"),
            "LANG": "C.UTF-8",
            "HOME": str(var_dir),
            "PYTHONPATH": str(PLATFORM_DIR),
            "PYTHONUNBUFFERED": "1",
            "PYTHONDONTWRITEBYTECODE": "1",
            "REDIS_URL": self.redis.url,
            "STRIDE_VAR_DIR": str(var_dir),
            "STRIDE_LOG_LEVEL": "INFO",
        }

    def start(self, name: str, argv: list[str], env: dict[str, str]) -> Proc:
        if any(p.name == name for p in self.procs):
            raise ValueError(f"a process named {name} was started already")
        log_path = self.folder / f"{name}.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                argv, cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        proc = Proc(name=name, process=process, log_path=log_path)
        self.procs.append(proc)
        return proc

    def grader(self, name: str = "grader", *, visibility_timeout: int = 3600, **env: str) -> Proc:
        """A grading worker: ``grader.worker`` imports no Django and gets no database credentials."""
        require(grading_unavailable())
        environment = {
            **self._base_env(self.folder / f"{name}-var"),
            "STRIDE_BROKER_VISIBILITY_TIMEOUT": str(visibility_timeout),
            **env,
        }
        argv = [sys.executable, "-m", "stride.worker", "--app", "grader.worker:app", "--queues", GRADING_QUEUE]
        return self.start(name, [*argv, "--name", name], environment)

    def django_env(self, *, sweep_after: int = 300, sweep_interval: int = 1, **env: str) -> dict[str, str]:
        return {
            **self._base_env(self.folder / "django-var"),
            **self.database_env,
            "STRIDE_SECRET_KEY": "stride-pipeline-tests-not-secret",
            "STRIDE_SWEEP_AFTER_SECONDS": str(sweep_after),
            "STRIDE_SWEEP_INTERVAL_SECONDS": str(sweep_interval),
            **env,
        }

    def results(self, name: str = "results", **settings: Any) -> Proc:
        """The results worker (Django): records results, marks gradings started, runs the sweep task."""
        argv = [sys.executable, "-m", "stride.worker", "--queues", RESULTS_QUEUE, "--name", name]
        return self.start(name, argv, self.django_env(**settings))

    def beat(self, name: str = "beat", **settings: Any) -> Proc:
        """The sweeper's scheduler, as ``make run`` starts it: ``celery -A stride beat``."""
        schedule = self.folder / f"{name}-schedule"
        argv = [sys.executable, "-m", "celery", "-A", "stride", "beat", "--loglevel=INFO", f"--schedule={schedule}"]
        return self.start(name, argv, self.django_env(**settings))

    def wait_ready(self, *procs: Proc) -> None:
        """Wait until the given workers (default: all started ones) say they are ready."""
        for proc in procs or [p for p in self.procs if p.name != "beat" and not p.ended]:
            proc.wait_log(" ready.")

    def check_running(self) -> None:
        for proc in self.procs:
            if not proc.ended and not proc.running():
                raise AssertionError(f"{proc.name} exited with {proc.process.returncode} (logs below)")

    def stop(self) -> None:
        """Warm shutdown of everything still running, then SIGKILL for what is left."""
        for proc in self.procs:
            proc.terminate()
        deadline = time.monotonic() + STOP_TIMEOUT
        for proc in self.procs:
            proc.reap(deadline)
        remove_slot_cgroups({pid for proc in self.procs for pid in proc.pids})


@pytest.fixture
def stack(
    request: pytest.FixtureRequest, tmp_path: Path, broker: PrivateRedis, database_env: dict[str, str], audit: Audit
) -> Iterator[Stack]:
    """Start pipeline processes with ``stack.grader()``, ``stack.results()``, ``stack.beat()``.

    All of them are stopped before the test database is flushed (this fixture depends on
    it), so no worker writes after the test.
    """
    processes = Stack(tmp_path / "stack", broker, database_env, audit)
    processes.folder.mkdir()
    request.node.stash[STACK] = processes
    yield processes
    processes.stop()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    """Attach the log of every process of a failing test's stack to its report."""
    report = yield
    processes = item.stash.get(STACK, None)
    if processes is not None and report.failed:
        for proc in processes.procs:
            state = "running" if proc.running() else f"exited with {proc.process.returncode}"
            report.sections.append((f"log of {proc.name} (pid {proc.pid}, {state})", proc.tail()))
    return report


# --- Data -------------------------------------------------------------------------------------


@pytest.fixture
def conv2d(transactional_db: None):
    """The conv2d exercise, synchronised from its package as ``manage.py sync_exercises`` does."""
    from stride.exercises.models import Exercise

    Exercise.sync_from_packages()
    return Exercise.objects.get(slug="conv2d")


STUDENT_PASSWORD = "pipeline-student-password"  # noqa: S105 - a throw-away account of the test database


@pytest.fixture
def student(transactional_db: None):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user("pipeline-student", password=STUDENT_PASSWORD)


def solution(name: str) -> str:
    return (EXERCISES_DIR / "conv2d" / "solutions" / name).read_text(encoding="utf-8")

"""Fixtures shared by the whole suite (platform side; the grader has its own)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from stride import services

REPO_ROOT = Path(__file__).resolve().parents[1]
PLATFORM_DIR = REPO_ROOT / "platform"


def services_required() -> bool:
    """CI (and .ci/run) must not skip tests because a server is missing: they fail instead."""
    return os.environ.get("STRIDE_REQUIRE_SERVICES") == "1" or os.environ.get("CI") == "true"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def redis_url() -> str:
    """The Redis the suite may use: REDIS_URL, else the local test database 15.

    Skips when it does not answer, except in CI where that is a failure.
    """
    url = os.environ.get("REDIS_URL") or services.TEST_REDIS_URL
    if not services.redis_answers(url):
        message = f"Redis does not answer at {url}"
        if services_required():
            pytest.fail(message)
        pytest.skip(message)
    return url


@pytest.fixture
def production_env() -> Callable[..., dict[str, str]]:
    """Build the environment of a subprocess started as production starts it.

    ``PYTHONPATH`` holds only ``platform/`` and the process runs from the repository root,
    like ``make run`` and the container image. Keyword arguments override variables; a
    value of ``None`` removes one.
    """

    def build(**overrides: str | None) -> dict[str, str]:
        env = {name: value for name, value in os.environ.items() if not name.startswith("PYTEST_")}
        env["PYTHONPATH"] = str(PLATFORM_DIR)
        env.setdefault("STRIDE_SECRET_KEY", "stride-test-suite-not-secret")
        env["PYTHONUNBUFFERED"] = "1"
        for name, value in overrides.items():
            if value is None:
                env.pop(name, None)
            else:
                env[name] = value
        return env

    return build


@dataclass
class WorkerProcess:
    """A Celery worker started with ``python -m stride.worker``."""

    process: subprocess.Popen[bytes]
    log_path: Path
    queue: str
    name: str
    extra: dict[str, object] = field(default_factory=dict)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if " ready." in self.log():
                return
            if self.process.poll() is not None:
                raise AssertionError(f"worker exited with {self.process.returncode}:\n{self.log()}")
            time.sleep(0.1)
        raise AssertionError(f"worker not ready after {timeout} s:\n{self.log()}")

    def stop(self, timeout: float = 30.0) -> int:
        """Warm shutdown (SIGTERM), as a process manager does; returns the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                raise AssertionError(f"worker did not stop within {timeout} s:\n{self.log()}") from None
        return self.process.returncode


@pytest.fixture
def start_worker(
    tmp_path: Path, production_env: Callable[..., dict[str, str]]
) -> Iterator[Callable[..., WorkerProcess]]:
    """Start real worker processes on a queue of their own; stopped (killed if need be) at teardown."""
    started: list[WorkerProcess] = []

    def start(env: Mapping[str, str | None] | None = None, *args: str, queue: str | None = None) -> WorkerProcess:
        queue = queue or f"test-{uuid.uuid4().hex[:12]}"
        name = f"{queue}-{len(started)}"
        log_path = tmp_path / f"{name}.log"
        command = [sys.executable, "-m", "stride.worker", "--queues", queue, "--name", name, *args]
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                command,
                cwd=REPO_ROOT,
                env=production_env(**dict(env or {})),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        worker = WorkerProcess(process=process, log_path=log_path, queue=queue, name=name)
        started.append(worker)
        return worker

    yield start

    for worker in started:
        if worker.process.poll() is None:
            os.killpg(worker.process.pid, signal.SIGKILL)
            worker.process.wait()

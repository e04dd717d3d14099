"""Real processes for the tests that run Stride as production does (pipeline and browser tests).

What both need, with no pytest fixture in it: starting a process in a session of its own
and killing it with its whole process group (sandboxes included), polling with a clear
message on time-out, a ``redis-server`` of the test's own, and the preconditions that skip
a test here or fail it in CI. tests/pipeline/conftest.py and tests/browser/conftest.py
build their fixtures on it.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
PLATFORM_DIR = REPO_ROOT / "platform"
EXERCISES_DIR = REPO_ROOT / "exercises"
# The file name the settings module gives a SQLite database in STRIDE_VAR_DIR.
SQLITE_FILE_NAME = "stride.sqlite3"
# Names of the Redis keys that kombu's Redis transport keeps unacknowledged messages in.
UNACKED_KEY, UNACKED_INDEX_KEY = "unacked", "unacked_index"
GRADING_QUEUE, RESULTS_QUEUE = "grading", "results"
READY_TIMEOUT = 60.0
STOP_TIMEOUT = 10.0


class Supervised(Protocol):
    """Anything that can tell whether one of its processes died (a stack of processes)."""

    def check_running(self) -> None: ...


# --- Preconditions --------------------------------------------------------------------------


def services_required() -> bool:
    """CI must not skip because something is missing: it fails instead (as tests/conftest.py)."""
    return os.environ.get("STRIDE_REQUIRE_SERVICES") == "1" or os.environ.get("CI") == "true"


def require(problem: str | None) -> None:
    if problem is None:
        return
    if services_required():
        pytest.fail(problem)
    pytest.skip(problem)


def grading_unavailable() -> str | None:
    from grader.sandbox import SandboxUnavailable, check_available

    try:
        check_available()
    except SandboxUnavailable as exc:
        return f"the grading worker cannot run here: {exc}"
    return None


# --- Polling ----------------------------------------------------------------------------------


def wait_for(what: str, predicate: Callable[[], Any], timeout: float = 30.0, interval: float = 0.05,
             stack: Supervised | None = None) -> Any:  # fmt: skip
    """Poll ``predicate`` until it returns something true; fail naming ``what`` after ``timeout`` s.

    With ``stack``, fail at once when one of its processes exited without being told to.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if stack is not None:
            stack.check_running()
        if time.monotonic() >= deadline:
            raise AssertionError(f"gave up after {timeout:g} s waiting for {what} (worker logs below)")
        time.sleep(interval)


# --- Processes --------------------------------------------------------------------------------


def _children_by_parent() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    return children


def family(pid: int) -> set[int]:
    """``pid`` and all its descendants (sandboxes included: bubblewrap starts its own session)."""
    children = _children_by_parent()
    found, todo = {pid}, [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def children_of(pid: int) -> set[int]:
    return set(_children_by_parent().get(pid, []))


def is_alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie waiting to be reaped counts as gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def environ_of(pid: int) -> dict[str, str] | None:
    """The environment ``pid`` started with, or None if it is gone."""
    try:
        raw = Path(f"/proc/{pid}/environ").read_bytes()
    except (FileNotFoundError, ProcessLookupError):
        return None
    pairs = (item.split(b"=", 1) for item in raw.split(b"\0") if b"=" in item)
    return {name.decode(errors="replace"): value.decode(errors="replace") for name, value in pairs}


def slot_cgroups(pids: set[int]) -> list[Path]:
    """The sandbox cgroups (``stride-slot-<pid>-<slot>``, one per controller) made by ``pids``."""
    bases: list[Path] = []
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _, controllers, path = line.split(":", 2)
        for controller in controllers.split(",") if controllers else [""]:
            bases.append(Path("/sys/fs/cgroup") / controller / path.lstrip("/"))
    return sorted({slot for base in bases for pid in pids for slot in base.glob(f"stride-slot-{pid}-*")})


def remove_slot_cgroups(pids: set[int]) -> None:
    """Remove the (empty) sandbox cgroups left by grading processes that were SIGKILLed.

    A sandbox removes its cgroup when it closes; a process killed with SIGKILL cannot, and
    nothing else does (see test_faults.py), so the test that killed it cleans up after it.
    """
    for slot in slot_cgroups(pids):
        for leaf in (slot / "job", slot / "zygote", slot):
            with contextlib.suppress(OSError):
                leaf.rmdir()


@dataclass
class Proc:
    """One process of the stack, started in its own session, output in ``log_path``."""

    name: str
    process: subprocess.Popen[bytes]
    log_path: Path
    #: Stopped or killed on purpose: its exit is no failure.
    ended: bool = False
    #: Every pid seen in its family (for cleanup after a SIGKILL).
    pids: set[int] = field(default_factory=set)

    @property
    def pid(self) -> int:
        return self.process.pid

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def running(self) -> bool:
        return self.process.poll() is None

    def family(self) -> set[int]:
        pids = family(self.pid) if self.running() else set()
        self.pids |= pids
        return pids

    def wait_log(self, text: str, timeout: float = READY_TIMEOUT, count: int = 1) -> None:
        def seen() -> bool:
            if self.log().count(text) >= count:
                return True
            if not self.running():
                raise AssertionError(f"{self.name} exited with {self.process.returncode} before logging {text!r}")
            return False

        wait_for(f"{self.name} to log {text!r}" + (f" {count} times" if count > 1 else ""), seen, timeout)

    def kill(self) -> set[int]:
        """SIGKILL the whole process group at once; returns the pids of the family before."""
        pids = self.family()
        self.ended = True
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, signal.SIGKILL)
        self.process.wait(timeout=STOP_TIMEOUT)
        return pids

    def terminate(self) -> None:
        """Ask for a warm shutdown (SIGTERM to the main process), as a process manager does."""
        self.family()
        self.ended = True
        if self.running():
            self.process.send_signal(signal.SIGTERM)

    def reap(self, deadline: float) -> None:
        """Wait for the exit until ``deadline``, then SIGKILL what is left of the group and family."""
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=max(0.1, deadline - time.monotonic()))
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, signal.SIGKILL)
        self.process.wait()
        for pid in self.pids:
            if is_alive(pid):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)

    def tail(self, characters: int = 12_000) -> str:
        text = self.log()
        return text if len(text) <= characters else "[...]\n" + text[-characters:]


def start_proc(name: str, argv: list[str], env: dict[str, str], log_path: Path) -> Proc:
    """Start ``argv`` from the repository root in a session of its own, all its output in ``log_path``."""
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            argv, cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    return Proc(name=name, process=process, log_path=log_path)


def stop_procs(procs: list[Proc]) -> None:
    """Warm shutdown of every process, then SIGKILL for what is left (groups, sandboxes, their cgroups)."""
    for proc in procs:
        proc.terminate()
    deadline = time.monotonic() + STOP_TIMEOUT
    for proc in procs:
        proc.reap(deadline)
    remove_slot_cgroups({pid for proc in procs for pid in proc.pids})


def process_env(home: Path, var_dir: Path, redis_url: str | None) -> dict[str, str]:
    """The clean environment a Stride process starts with: no variable of the test process leaks in."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "HOME": str(home),
        "PYTHONPATH": str(PLATFORM_DIR),
        "PYTHONUNBUFFERED": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
        "STRIDE_VAR_DIR": str(var_dir),
        "STRIDE_LOG_LEVEL": "INFO",
    }
    if redis_url is not None:
        env["REDIS_URL"] = redis_url
    return env


# --- Redis ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class QueuedTask:
    task: str
    id: str
    args: list


def _decode(raw: bytes | str) -> QueuedTask:
    message = json.loads(raw)
    body = message["body"]
    if message.get("properties", {}).get("body_encoding") == "base64":
        body = base64.b64decode(body)
    args = json.loads(body)[0]
    return QueuedTask(task=message["headers"]["task"], id=message["headers"]["id"], args=args)


@dataclass
class PrivateRedis:
    """A redis-server of one test that keeps nothing on disk (a restart loses every queue)."""

    folder: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    starts: int = 0

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.starts += 1
        self.folder.mkdir(parents=True, exist_ok=True)
        with (self.folder / f"redis-{self.starts}.log").open("wb") as log:
            self.process = subprocess.Popen(
                [
                    *(shutil.which("redis-server") or "redis-server", "--port", str(self.port)),
                    *("--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no"),
                    *("--dir", str(self.folder), "--loglevel", "warning"),
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

        def answers() -> bool:
            if self.process.poll() is not None:
                log_text = (self.folder / f"redis-{self.starts}.log").read_text(errors="replace")
                raise AssertionError(f"redis-server exited with {self.process.returncode}:\n{log_text}")
            with contextlib.suppress(Exception), self.client() as client:
                return bool(client.ping())
            return False

        wait_for(f"redis-server on port {self.port}", answers, timeout=10)

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
        if self.process is not None:
            self.process.wait()

    def client(self):
        import redis

        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=5, socket_connect_timeout=2)

    def queued(self, queue: str) -> list[QueuedTask]:
        """The tasks waiting in ``queue`` (kombu keeps a queue as a Redis list of that name)."""
        with self.client() as client:
            return [_decode(raw) for raw in client.lrange(queue, 0, -1)]

    def unacked(self) -> list[tuple[QueuedTask, float]]:
        """Tasks delivered to a worker and not acknowledged yet, with the time of delivery."""
        with self.client() as client:
            delivered = dict(client.zrange(UNACKED_INDEX_KEY, 0, -1, withscores=True))
            found = []
            for tag, raw in client.hgetall(UNACKED_KEY).items():
                message, _exchange, _routing_key = json.loads(raw)
                found.append((_decode(json.dumps(message)), delivered.get(tag, 0.0)))
            return found

"""python -m stride.run: what it starts, how it supervises, and the whole platform end to end."""

from __future__ import annotations

import io
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest

from stride import run
from stride.run import Child, Supervisor, plan

REPO_ROOT = Path(__file__).resolve().parents[2]
GOOD_CONV2D = REPO_ROOT / "exercises" / "conv2d" / "solutions" / "good_vectorized.py"
PY = sys.executable


def children_by_name(environ: dict[str, str], reason: str | None = None) -> tuple[dict[str, Child], list[str]]:
    children, notes = plan(environ, python="python", why_no_grading=lambda: reason)
    return {child.name: child for child in children}, notes


# --- What it starts ---------------------------------------------------------------------


def test_it_starts_web_grader_results_and_beat() -> None:
    found, notes = children_by_name({"PORT": "8123"})
    assert list(found) == ["web", "grader", "results", "beat"]
    assert notes == []
    assert found["web"].argv == [
        *("python", "-m", "gunicorn", "stride.wsgi:application"),
        *("--bind=0.0.0.0:8123", "--workers=2", "--access-logfile=-"),
    ]
    assert found["grader"].argv == [
        *("python", "-m", "stride.worker", "--app", "grader.worker:app", "--queues", "grading", "--name", "grader"),
        *("--concurrency", "1"),
    ]
    assert found["results"].argv == ["python", "-m", "stride.worker", "--queues", "results", "--name", "results"]
    assert found["beat"].argv == ["python", "-m", "celery", "-A", "stride", "beat", "--loglevel=INFO"]


def test_debug_gives_runserver_signalled_as_a_group_and_port_8000_by_default() -> None:
    found, _ = children_by_name({"STRIDE_DEBUG": "1"})
    assert found["web"].argv == ["python", "manage.py", "runserver", "0.0.0.0:8000"]
    assert found["web"].signal_group


def test_the_grader_gets_its_concurrency_and_no_database_credentials() -> None:
    environ = {
        "STRIDE_GRADER_CONCURRENCY": "3",
        "DATABASE_URL": "postgres://u:secret@db/stride",
        "STRIDE_SECRET_KEY": "k",
        "STRIDE_DEMO_PASSWORD": "p",
        "DJANGO_SETTINGS_MODULE": "stride.settings",
        "REDIS_URL": "redis://r:6379/0",
        "STRIDE_VAR_DIR": "/srv/var",
    }
    found, _ = children_by_name(environ)
    assert found["grader"].argv[-2:] == ["--concurrency", "3"]
    grader_env = found["grader"].env
    assert not {"DATABASE_URL", "STRIDE_SECRET_KEY", "STRIDE_DEMO_PASSWORD", "DJANGO_SETTINGS_MODULE"} & set(grader_env)
    assert grader_env["REDIS_URL"] == "redis://r:6379/0"
    assert grader_env["STRIDE_VAR_DIR"] == "/srv/var"
    # Everyone else gets the whole configuration, with platform/ on the path.
    for name in ("web", "results", "beat"):
        assert found[name].env["DATABASE_URL"] == environ["DATABASE_URL"], name
        assert str(REPO_ROOT / "platform") in found[name].env["PYTHONPATH"].split(os.pathsep), name
        assert found[name].env["PYTHONUNBUFFERED"] == "1"


def test_without_a_sandbox_it_runs_no_grader_and_says_why(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    reason = run.grading_unavailable()
    assert reason is not None and "root" in reason
    found, notes = children_by_name({}, reason)
    assert list(found) == ["web", "results", "beat"]
    assert len(notes) == 1
    assert notes[0].startswith("grading is disabled (") and reason in notes[0]


def test_grader_concurrency_zero_turns_grading_off() -> None:
    found, notes = children_by_name({"STRIDE_GRADER_CONCURRENCY": "0"})
    assert "grader" not in found
    assert "STRIDE_GRADER_CONCURRENCY=0" in notes[0]


def test_a_malformed_variable_stops_it_naming_the_variable() -> None:
    result = subprocess.run(
        [PY, "-m", "stride.run", "--no-setup"],
        cwd=REPO_ROOT,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT / "platform"), "PORT": "eighty"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "PORT='eighty' is not an integer" in result.stdout


# --- How it supervises (small stand-in children) ---------------------------------------


def python_child(name: str, code: str) -> Child:
    return Child(name, [PY, "-c", code], dict(os.environ))


SLEEPER = "import time; print('up', flush=True); time.sleep(60)"
STUBBORN = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); print('up', flush=True); time.sleep(60)"


def signal_soon(supervisor: Supervisor, delay: float = 0.5) -> None:
    """What the signal handler does on Ctrl-C, without touching the test process's handlers."""
    threading.Timer(delay, lambda: setattr(supervisor, "signals", supervisor.signals + 1)).start()


def test_it_prefixes_every_line_with_the_process_name() -> None:
    out = io.StringIO()
    supervisor = Supervisor(out, poll_interval=0.02)
    code = supervisor.run_once(python_child("hello", "print('one'); import sys; print('two', file=sys.stderr)"))
    assert code == 0
    assert sorted(out.getvalue().splitlines()) == ["hello   | one", "hello   | two"]


def test_a_signal_stops_every_child_and_gives_exit_code_zero() -> None:
    out = io.StringIO()
    supervisor = Supervisor(out, poll_interval=0.02)
    children = [python_child("a", SLEEPER), python_child("b", SLEEPER)]
    signal_soon(supervisor)
    started = time.monotonic()
    assert supervisor.run(children) == 0
    assert time.monotonic() - started < 5
    assert all(child.process.returncode == -signal.SIGTERM for child in children)
    assert "run     | stopping" in out.getvalue()


def test_a_child_that_ignores_sigterm_is_killed_after_the_timeout() -> None:
    out = io.StringIO()
    supervisor = Supervisor(out, stop_timeout=0.5, poll_interval=0.02)
    stubborn = python_child("stubborn", STUBBORN)
    polite = python_child("polite", SLEEPER)
    signal_soon(supervisor, delay=1.0)  # after the child has installed its handler
    assert supervisor.run([stubborn, polite]) == 0
    assert stubborn.process.returncode == -signal.SIGKILL
    assert polite.process.returncode == -signal.SIGTERM
    assert "run     | stubborn did not stop in time: killed" in out.getvalue()


def test_a_second_signal_kills_at_once() -> None:
    out = io.StringIO()
    supervisor = Supervisor(out, stop_timeout=30, poll_interval=0.02)
    stubborn = python_child("stubborn", STUBBORN)
    signal_soon(supervisor, delay=1.0)
    signal_soon(supervisor, delay=1.5)
    started = time.monotonic()
    assert supervisor.run([stubborn]) == 0
    assert time.monotonic() - started < 5
    assert stubborn.process.returncode == -signal.SIGKILL


def test_a_child_that_dies_stops_the_others_and_gives_a_nonzero_exit() -> None:
    out = io.StringIO()
    supervisor = Supervisor(out, poll_interval=0.02)
    survivor = python_child("survivor", SLEEPER)
    dying = python_child("dying", "import time; time.sleep(0.5); raise SystemExit(3)")
    assert supervisor.run([survivor, dying]) == 1
    assert survivor.process.returncode == -signal.SIGTERM
    assert "run     | dying exited unexpectedly (exit code 3); stopping everything" in out.getvalue()


def test_it_sweeps_what_a_child_leaves_behind_in_its_group(tmp_path: Path) -> None:
    pid_file = tmp_path / "grandchild.pid"
    code = (
        "import subprocess, sys, time;"
        f"p = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)']);"
        f"open({str(pid_file)!r}, 'w').write(str(p.pid));"
        "print('up', flush=True); time.sleep(60)"
    )
    supervisor = Supervisor(io.StringIO(), poll_interval=0.02)
    parent = python_child("parent", code)
    supervisor.start(parent)
    deadline = time.monotonic() + 10
    while not pid_file.exists() or not pid_file.read_text():
        assert time.monotonic() < deadline
        time.sleep(0.05)
    grandchild = int(pid_file.read_text())
    supervisor.stop([parent])  # SIGTERM reaches only the leader; the grandchild is swept
    assert wait_gone([grandchild], 5) == []


# --- End to end ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def process_table() -> dict[int, tuple[int, str]]:
    """pid -> (parent pid, state) for every process."""
    table = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        table[int(entry)] = (int(fields[1]), fields[0])
    return table


def descendants(pid: int) -> list[int]:
    table = process_table()
    found, frontier = [], [pid]
    while frontier:
        parent = frontier.pop()
        children = [p for p, (ppid, _) in table.items() if ppid == parent]
        found += children
        frontier += children
    return found


def wait_gone(pids: list[int], timeout: float) -> list[int]:
    """The pids still alive (zombies count as gone) after up to ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        table = process_table()
        alive = [pid for pid in pids if pid in table and table[pid][1] != "Z"]
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.1)


def healthz(port: int) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.mark.slow
def test_make_run_grades_a_submission_and_stops_cleanly_on_ctrl_c(
    tmp_path: Path, production_env: Callable[..., dict[str, str]]
) -> None:
    if (reason := run.grading_unavailable()) is not None:
        pytest.skip(reason)
    port = free_port()
    var = tmp_path / "var"
    env = production_env(
        DATABASE_URL=None,
        REDIS_URL=None,
        STRIDE_VAR_DIR=str(var),
        PORT=str(port),
        STRIDE_DEBUG="0",
        STRIDE_ALLOWED_HOSTS="127.0.0.1,localhost",
        STRIDE_DEMO_PASSWORD="demo-password",
        WEB_CONCURRENCY="1",
    )
    log_path = tmp_path / "run.log"
    with log_path.open("wb") as log:
        supervisor = subprocess.Popen(
            [PY, "-m", "stride.run"], cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    spawned: list[int] = []

    def log() -> str:
        return log_path.read_text(errors="replace")

    try:
        # Healthy: database, embedded broker, and a heartbeat from each kind of worker.
        deadline = time.monotonic() + 90
        state: tuple[int, dict] = (0, {})
        while time.monotonic() < deadline:
            assert supervisor.poll() is None, f"stride.run exited with {supervisor.returncode}:\n{log()}"
            try:
                state = healthz(port)
            except OSError:
                state = (0, {})
            if state[0] == 200:
                break
            time.sleep(0.25)
        assert state == (200, {"database": "ok", "broker": "ok", "workers": {"grader": "ok", "results": "ok"}}), (
            f"{state}\n{log()}"
        )
        spawned = descendants(supervisor.pid)
        assert len(spawned) >= 4

        # A submission through the ORM of the running platform's database.
        script = (
            "from django.contrib.auth import get_user_model;"
            "from stride.exercises.models import Exercise;"
            "from stride.submissions.models import create_submission;"
            f"code = open({str(GOOD_CONV2D)!r}).read();"
            "user = get_user_model().objects.get(username='student');"
            "print('submission', create_submission(user, Exercise.objects.get(slug='conv2d'), code).pk)"
        )
        made = subprocess.run(
            [PY, "manage.py", "shell", "-c", script], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=60
        )
        assert made.returncode == 0, made.stderr
        submission_id = int(made.stdout.split("submission ")[-1].split()[0])

        row = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with sqlite3.connect(var / "stride.sqlite3", timeout=5) as db:
                row = db.execute(
                    "SELECT status, score, verdict FROM submissions_submission WHERE id = ?", (submission_id,)
                ).fetchone()
            if row and row[0] in ("graded", "error"):
                break
            time.sleep(0.2)
        assert row == ("graded", 1.0, "passed"), f"{row}\n{log()}"
    finally:
        if supervisor.poll() is None:
            supervisor.send_signal(signal.SIGINT)  # what Ctrl-C in a terminal sends
        stopping = time.monotonic()
        try:
            code = supervisor.wait(timeout=30)
        except subprocess.TimeoutExpired:
            code = None
        stopped_in = time.monotonic() - stopping
        left = wait_gone(spawned, 5)
        for pid in left:
            os.kill(pid, signal.SIGKILL)
        if code is None:
            supervisor.kill()
            supervisor.wait()

    assert code == 0, log()
    # Celery's warm shutdown takes a few seconds; the kill comes after run.DEFAULT_STOP_TIMEOUT.
    assert stopped_in < run.DEFAULT_STOP_TIMEOUT, log()
    assert left == [], f"still running after stride.run exited: {left}\n{log()}"
    output = log()
    for name in ("migrate", "seed", "web", "grader", "results", "beat"):
        assert f"\n{name:<7} | " in output, name
    assert "run     | stopped" in output

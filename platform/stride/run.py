"""Run the whole platform in the foreground: ``python -m stride.run`` (what ``make run`` does).

    python -m stride.run                # migrate, seed_demo, then web + workers + beat
    python -m stride.run --no-setup     # skip migrate and seed_demo
    python -m stride.run --setup-only   # only migrate and seed_demo (docker-compose's one-shot)

First ``manage.py migrate`` and ``manage.py seed_demo``, then, each in its own process
with its output prefixed by its name:

==========  ==================================================================================
web         ``manage.py runserver`` with ``STRIDE_DEBUG``, else ``gunicorn stride.wsgi``; ``PORT``
grader      ``python -m stride.worker --app grader.worker:app --queues grading --name grader``,
            ``STRIDE_GRADER_CONCURRENCY`` processes (0: none); no database credentials
results     ``python -m stride.worker --queues results --name results``
beat        ``celery -A stride beat``: schedules the sweeper (schedule file in ``var/``)
==========  ==================================================================================

``REDIS_URL``, ``DATABASE_URL`` and the rest of the configuration reach every process
through the environment. Ctrl-C, SIGTERM or SIGHUP stops them all (SIGTERM, a wait, then
SIGKILL for what is left) and exits 0; a second Ctrl-C kills at once. If one of them
exits on its own, the others are stopped and this exits 1.

The grading worker needs root and bubblewrap: without them it is not started and one
line says why; the grader would refuse to run student code unsandboxed anyway, so
submissions stay queued until a grading worker runs somewhere.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

PLATFORM_DIR = Path(__file__).resolve().parents[1]
REPO_ROOT = PLATFORM_DIR.parent

#: Never handed to the grading worker: it must not be able to reach the database, and
#: with DJANGO_SETTINGS_MODULE set Celery's Django fix-up would load Django into it.
GRADER_WITHHELD = ("DATABASE_URL", "STRIDE_SECRET_KEY", "STRIDE_DEMO_PASSWORD", "PGPASSWORD", "DJANGO_SETTINGS_MODULE")
DEFAULT_STOP_TIMEOUT = 10.0
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
_COLOURS = ("36", "33", "35", "32", "34", "31")


@dataclass
class Child:
    """One supervised process."""

    name: str
    argv: list[str]
    env: dict[str, str]
    #: Deliver the stop signal to the whole process group, not only to the leader
    #: (for runserver, whose autoreloader runs the server in a child process).
    signal_group: bool = False
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)
    reader: threading.Thread | None = field(default=None, repr=False)

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None


# --- What to run ------------------------------------------------------------------------


def base_environment(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of every child: ours, with ``platform/`` on the path and unbuffered output."""
    env = dict(os.environ if environ is None else environ)
    paths = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    if str(PLATFORM_DIR) not in paths:
        paths.insert(0, str(PLATFORM_DIR))
    env["PYTHONPATH"] = os.pathsep.join(paths)
    env["PYTHONUNBUFFERED"] = "1"
    return env


def setup_commands(python: str = sys.executable) -> list[tuple[str, list[str]]]:
    return [
        ("migrate", [python, "manage.py", "migrate", "--noinput"]),
        ("seed", [python, "manage.py", "seed_demo"]),
    ]


def web_port(env: Mapping[str, str] | None = None) -> int:
    from stride.env import env_int

    return env_int("PORT", 8000, minimum=1, maximum=65535, environ=env)


def web_command(env: Mapping[str, str], python: str = sys.executable) -> tuple[list[str], bool]:
    """The web server's argv, and whether it needs group signalling (runserver's reloader)."""
    from stride.env import env_bool, env_int

    port = web_port(env)
    if env_bool("STRIDE_DEBUG", False, environ=env):
        return [python, "manage.py", "runserver", f"0.0.0.0:{port}"], True
    workers = env_int("WEB_CONCURRENCY", 2, minimum=1, environ=env)
    return [
        python,
        "-m",
        "gunicorn",
        "stride.wsgi:application",
        f"--bind=0.0.0.0:{port}",
        f"--workers={workers}",
        "--access-logfile=-",
    ], False


def grader_command(concurrency: int, python: str = sys.executable) -> list[str]:
    return [
        *(python, "-m", "stride.worker", "--app", "grader.worker:app", "--queues", "grading", "--name", "grader"),
        *("--concurrency", str(concurrency)),
    ]


def results_command(python: str = sys.executable) -> list[str]:
    return [python, "-m", "stride.worker", "--queues", "results", "--name", "results"]


def beat_command(env: Mapping[str, str], python: str = sys.executable) -> list[str]:
    level = (env.get("STRIDE_LOG_LEVEL") or "INFO").strip().upper()
    return [python, "-m", "celery", "-A", "stride", "beat", f"--loglevel={level}"]


def grading_unavailable() -> str | None:
    """Why this machine cannot grade (not root, no bubblewrap), or None when it can."""
    from grader.sandbox import SandboxUnavailable, check_available

    try:
        check_available()
    except SandboxUnavailable as exc:
        return str(exc)
    return None


def plan(
    environ: Mapping[str, str] | None = None,
    *,
    python: str = sys.executable,
    why_no_grading: Callable[[], str | None] = grading_unavailable,
) -> tuple[list[Child], list[str]]:
    """The processes to start, and lines to print about what is left out."""
    from stride.env import env_int

    env = base_environment(environ)
    notes: list[str] = []
    web, web_group = web_command(env, python)
    children = [Child("web", web, env, signal_group=web_group)]
    concurrency = env_int("STRIDE_GRADER_CONCURRENCY", 1, minimum=0, environ=env)
    reason = why_no_grading() if concurrency else "STRIDE_GRADER_CONCURRENCY=0"
    if reason is None:
        grader_env = {name: value for name, value in env.items() if name not in GRADER_WITHHELD}
        children.append(Child("grader", grader_command(concurrency, python), grader_env))
    else:
        notes.append(f"grading is disabled ({reason}); submissions stay queued until a grading worker runs")
    children.append(Child("results", results_command(python), env))
    children.append(Child("beat", beat_command(env, python), env))
    return children, notes


# --- Running it -------------------------------------------------------------------------


class Supervisor:
    """Starts children in their own sessions, prefixes their output, stops them together."""

    def __init__(
        self,
        out: TextIO | None = None,
        *,
        stop_timeout: float = DEFAULT_STOP_TIMEOUT,
        poll_interval: float = 0.1,
        cwd: Path = REPO_ROOT,
        width: int = 7,
    ) -> None:
        self.out = out or sys.stdout
        self.stop_timeout = stop_timeout
        self.poll_interval = poll_interval
        self.cwd = cwd
        self.width = width
        self.signals = 0
        self.children: list[Child] = []
        self._lock = threading.Lock()
        self._colour = self.out.isatty() and not os.environ.get("NO_COLOR")
        self._colours: dict[str, str] = {}

    # -- output ------------------------------------------------------------------------

    def say(self, line: str, name: str = "run") -> None:
        prefix = f"{name:<{self.width}} |"
        if self._colour:
            code = self._colours.setdefault(name, _COLOURS[len(self._colours) % len(_COLOURS)])
            prefix = f"\033[{code}m{prefix}\033[0m"
        with self._lock:
            self.out.write(f"{prefix} {line}\n")
            self.out.flush()

    def _pump(self, child: Child) -> None:
        assert child.process is not None and child.process.stdout is not None
        for raw in iter(child.process.stdout.readline, b""):
            self.say(raw.decode("utf-8", errors="replace").rstrip("\r\n"), child.name)
        child.process.stdout.close()

    # -- signals -----------------------------------------------------------------------

    def _on_signal(self, signum: int, _frame: object) -> None:
        self.signals += 1

    def install_signal_handlers(self) -> dict[int, object]:
        return {signum: signal.signal(signum, self._on_signal) for signum in STOP_SIGNALS}

    # -- processes ---------------------------------------------------------------------

    def start(self, child: Child) -> None:
        child.process = subprocess.Popen(
            child.argv,
            cwd=self.cwd,
            env=child.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            # Own session: a terminal's Ctrl-C reaches only us, and we stop the children
            # in order; a process group to sweep afterwards.
            start_new_session=True,
        )
        child.reader = threading.Thread(target=self._pump, args=(child,), name=f"output-{child.name}", daemon=True)
        child.reader.start()
        self.children.append(child)

    def run_once(self, child: Child) -> int | None:
        """Run a child to its end; its exit code, or None when a stop signal came first."""
        self.start(child)
        assert child.process is not None
        while child.process.poll() is None:
            if self.signals:
                self.stop([child])
                return None
            time.sleep(self.poll_interval)
        self._finish([child])
        return child.process.returncode

    def run(self, children: Sequence[Child]) -> int:
        """Start every child, supervise until a signal (exit 0) or an unexpected exit (1)."""
        for child in children:
            if self.signals:
                break
            self.start(child)
        while not self.signals:
            for child in children:
                if child.process is not None and child.process.poll() is not None:
                    self.say(
                        f"{child.name} exited unexpectedly ({describe_exit(child.process.returncode)}); "
                        "stopping everything"
                    )
                    self.stop(children)
                    return 1
            time.sleep(self.poll_interval)
        self.say("stopping")
        self.stop(children)
        self.say("stopped")
        return 0

    def stop(self, children: Sequence[Child]) -> None:
        """SIGTERM, wait up to ``stop_timeout``, SIGKILL what is left; every group swept."""
        signals_before = self.signals
        for child in children:
            if child.running():
                self._signal(child, signal.SIGTERM, group=child.signal_group)
        deadline = time.monotonic() + self.stop_timeout
        while any(child.running() for child in children):
            # A second Ctrl-C (or any signal during the stop) means: do not wait.
            if time.monotonic() >= deadline or self.signals > signals_before:
                for child in children:
                    if child.running():
                        self.say(f"{child.name} did not stop in time: killed")
                        self._signal(child, signal.SIGKILL, group=True)
                break
            time.sleep(self.poll_interval / 2)
        for child in children:
            if child.process is not None:
                child.process.wait()
                # Whatever the leader left behind in its group (reloader children, pool
                # processes orphaned by a crash) goes too.
                self._signal(child, signal.SIGKILL, group=True)
        self._finish(children)

    def _finish(self, children: Sequence[Child]) -> None:
        for child in children:
            if child.reader is not None:
                child.reader.join(timeout=2)

    @staticmethod
    def _signal(child: Child, signum: int, *, group: bool) -> None:
        assert child.process is not None
        try:
            if group:
                os.killpg(child.process.pid, signum)
            else:
                child.process.send_signal(signum)
        except (ProcessLookupError, PermissionError):
            pass


def describe_exit(code: int) -> str:
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m stride.run", description=__doc__.split("\n\n")[0])
    what = parser.add_mutually_exclusive_group()
    what.add_argument("--no-setup", action="store_true", help="skip manage.py migrate and seed_demo")
    what.add_argument("--setup-only", action="store_true", help="only run manage.py migrate and seed_demo")
    parser.add_argument(
        "--stop-timeout",
        type=float,
        default=DEFAULT_STOP_TIMEOUT,
        help="seconds to wait for the processes to stop before killing them (default %(default)s)",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    for folder in (str(PLATFORM_DIR), str(REPO_ROOT)):
        if folder not in sys.path:
            sys.path.insert(0, folder)
    from stride.env import ImproperlyConfigured

    supervisor = Supervisor(stop_timeout=args.stop_timeout)
    try:
        children, notes = ([], []) if args.setup_only else plan()
    except ImproperlyConfigured as exc:
        supervisor.say(f"cannot start: {exc}")
        return 2
    supervisor.install_signal_handlers()

    if not args.no_setup:
        env = base_environment()
        for name, command in setup_commands():
            code = supervisor.run_once(Child(name, command, env))
            if code is None:
                return 0
            if code != 0:
                supervisor.say(f"{' '.join(command[1:])} failed ({describe_exit(code)}); not starting")
                return code if code > 0 else 1
    if args.setup_only:
        return 0

    for note in notes:
        supervisor.say(note)
    names = ", ".join(child.name for child in children)
    supervisor.say(f"starting {names}: http://localhost:{web_port()}/ ; Ctrl-C stops everything")
    return supervisor.run(children)


if __name__ == "__main__":
    raise SystemExit(main())

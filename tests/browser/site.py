"""The whole platform for the browser tests, each part a real process as ``make run`` starts it.

One folder per test module holds everything the site writes: the SQLite database
(``STRIDE_VAR_DIR/stride.sqlite3``, created by ``manage.py migrate`` and filled by
``manage.py seed_demo``: the exercises, the demo course and the offering that teaches it),
the embedded broker's queues when no ``redis-server`` is installed, and every process's log.

The processes:

==========  ===========================================================================
redis       ``redis-server`` of the site's own on a free port (when installed), no disk
web         ``gunicorn stride.wsgi`` with debug off, as ``make run`` starts production;
            WhiteNoise serves ``frontend/dist/`` (STATICFILES_DIRS, through the finders)
grader      ``python -m stride.worker --app grader.worker:app --queues grading``: no Django,
            no database credentials, grades in the real sandbox
results     ``python -m stride.worker --queues results``: records the results
==========  ===========================================================================

The test process never opens the site's database: it only talks to the site through the
browser (and once through HTTP to see that the server answers). That keeps it out of the
way of Playwright's event loop, which Django's ORM refuses to run under.
"""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from tests.stack import (
    GRADING_QUEUE,
    REPO_ROOT,
    RESULTS_QUEUE,
    PrivateRedis,
    Proc,
    free_port,
    process_env,
    start_proc,
    stop_procs,
    wait_for,
)

#: The demo accounts' password (seed_demo reads it from STRIDE_DEMO_PASSWORD).
DEMO_PASSWORD = "browser-demo-password"  # noqa: S105 - an account of a throw-away database
SECRET_KEY = "stride-browser-tests-not-secret"  # noqa: S105 - a throw-away site
SETUP_TIMEOUT = 180.0
#: Never handed to the grading worker (as stride/run.py withholds them).
GRADER_WITHHELD = ("DATABASE_URL", "STRIDE_SECRET_KEY", "STRIDE_DEMO_PASSWORD", "PGPASSWORD", "DJANGO_SETTINGS_MODULE")
# No proxy for a server on localhost, whatever the environment says.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@dataclass
class Site:
    """A running Stride: its address, its processes and where they write."""

    folder: Path
    redis: PrivateRedis | None = None
    port: int = field(default_factory=free_port)
    procs: list[Proc] = field(default_factory=list)
    #: Output of the setup commands (migrate, seed_demo), for the report of a failure.
    setup_log: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def var_dir(self) -> Path:
        return self.folder / "var"

    # -- environments --------------------------------------------------------------------

    def _base_env(self) -> dict[str, str]:
        return process_env(self.folder / "home", self.var_dir, self.redis.url if self.redis is not None else None)

    def django_env(self) -> dict[str, str]:
        """What the web process, the results worker and the setup commands get."""
        return {
            **self._base_env(),
            "STRIDE_SECRET_KEY": SECRET_KEY,
            "STRIDE_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "STRIDE_DEMO_PASSWORD": DEMO_PASSWORD,
            # The flows submit a handful of times; a rate limit is tested elsewhere.
            "STRIDE_SUBMISSION_RATE": "0/1",
        }

    def grader_env(self) -> dict[str, str]:
        env = self._base_env()
        for name in GRADER_WITHHELD:
            env.pop(name, None)
        return env

    # -- processes -----------------------------------------------------------------------

    def launch(self, *, with_redis: bool) -> None:
        """Migrate and seed a new database, then start redis, web, grading and results workers.

        Call ``stop()`` afterwards even when this raises: what was started is in ``procs``.
        """
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / "home").mkdir(exist_ok=True)
        self.var_dir.mkdir(exist_ok=True)
        if with_redis:
            self.redis = PrivateRedis(folder=self.folder / "redis")
            self.redis.start()

        python = sys.executable
        self.run_setup("migrate", [python, "manage.py", "migrate", "--noinput"])
        self.run_setup("seed_demo", [python, "manage.py", "seed_demo"])

        grading = [python, "-m", "stride.worker", "--app", "grader.worker:app", "--queues", GRADING_QUEUE]
        grader = self.start("grader", [*grading, "--name", "grader"], self.grader_env())
        results = self.start(
            "results",
            [python, "-m", "stride.worker", "--queues", RESULTS_QUEUE, "--name", "results"],
            self.django_env(),
        )
        web = [python, "-m", "gunicorn", "stride.wsgi:application", f"--bind=127.0.0.1:{self.port}"]
        self.start("web", [*web, "--workers=2", "--graceful-timeout=5", "--access-logfile=-"], self.django_env())
        wait_for(f"the web server to answer at {self.url}", self.answers, timeout=60, interval=0.1, stack=self)
        grader.wait_log(" ready.")
        results.wait_log(" ready.")

    def run_setup(self, name: str, argv: list[str]) -> None:
        """Run one setup command to its end; fail with its output if it does not succeed."""
        started = time.monotonic()
        completed = subprocess.run(
            argv, cwd=REPO_ROOT, env=self.django_env(), capture_output=True, text=True, timeout=SETUP_TIMEOUT
        )
        output = completed.stdout + completed.stderr
        self.setup_log.append(f"$ {' '.join(argv[1:])}  ({time.monotonic() - started:.1f} s)\n{output}")
        if completed.returncode != 0:
            raise AssertionError(f"{name} failed with exit code {completed.returncode}:\n{output}")

    def start(self, name: str, argv: list[str], env: dict[str, str]) -> Proc:
        proc = start_proc(name, argv, env, self.folder / f"{name}.log")
        self.procs.append(proc)
        return proc

    def check_running(self) -> None:
        for proc in self.procs:
            if not proc.ended and not proc.running():
                raise AssertionError(f"{proc.name} exited with {proc.process.returncode}:\n{proc.tail()}")

    def answers(self, path: str = "/accounts/login/") -> bool:
        try:
            with OPENER.open(self.url + path, timeout=5) as response:
                return response.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def log(self, name: str) -> str:
        """Everything the process ``name`` (web, grader, results) has written so far."""
        return next(proc.log() for proc in self.procs if proc.name == name)

    def stop(self) -> None:
        """Warm shutdown of every process, then SIGKILL for what is left (groups and sandboxes)."""
        stop_procs(self.procs)
        if self.redis is not None:
            self.redis.kill()

    def report(self) -> list[tuple[str, str]]:
        """Sections for the report of a failing test: setup output and the tail of every log."""
        sections = [("site setup", "\n".join(self.setup_log))]
        for proc in self.procs:
            state = "running" if proc.running() else f"exited with {proc.process.returncode}"
            sections.append((f"log of {proc.name} (pid {proc.pid}, {state})", proc.tail()))
        return sections

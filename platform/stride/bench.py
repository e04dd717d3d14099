"""Pipeline benchmark: ``make bench`` (``python -m stride.bench``).

Starts the real stack on this machine in a temporary folder: a private Redis, the web
tier under gunicorn, two grading processes, a results worker; PostgreSQL when one
answers on 127.0.0.1:5432 (a database ``stride_bench`` is created), SQLite otherwise.
Then it measures, through the HTTP API as a client would:

1. submit-to-graded latency of a correct conv2d submission at low load;
2. a burst of submissions: throughput until the last is graded, how many were lost,
   and where the time went (queue wait, grading, recording) from the stored timestamps;
3. the submission-status endpoint under 50 concurrent clients (wrk).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PY = sys.executable
GOOD = (REPO / "exercises" / "conv2d" / "solutions" / "good_vectorized.py").read_text()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))]


def postgres_url() -> str | None:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=0.5):
            pass
    except OSError:
        return None
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = 'stride_bench'").fetchone():
            conn.execute("CREATE DATABASE stride_bench")
    return "postgres://postgres@127.0.0.1:5432/stride_bench"


class Stack:
    """Every process of the platform, each in its own process group, stopped on exit."""

    def __init__(self, var: Path, grading_processes: int, web_workers: int, web_threads: int = 4):
        self.var = var
        self.processes: list[tuple[str, subprocess.Popen]] = []
        self.redis_port, self.web_port = free_port(), free_port()
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "PYTHONPATH": f"{REPO / 'platform'}:{REPO}",
            "STRIDE_VAR_DIR": str(var),
            "STRIDE_SECRET_KEY": "bench-" + os.urandom(8).hex(),
            "STRIDE_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "STRIDE_SUBMISSION_RATE": "0/1",
            "STRIDE_LOG_LEVEL": "WARNING",
            "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
        }
        database = postgres_url()
        if database:
            self.env["DATABASE_URL"] = database
        self.database = "PostgreSQL" if database else "SQLite"
        self.grading_processes, self.web_workers, self.web_threads = grading_processes, web_workers, web_threads

    def spawn(self, name: str, args: list[str], env: dict | None = None) -> None:
        log = open(self.var / f"{name}.log", "w")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(args, cwd=REPO, env=env or self.env, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)  # fmt: skip
        self.processes.append((name, process))

    def manage(self, *args: str) -> None:
        subprocess.run([PY, "manage.py", *args], cwd=REPO, env=self.env, check=True, stdout=subprocess.DEVNULL)

    def start(self) -> None:
        self.spawn("redis", ["redis-server", "--port", str(self.redis_port), "--save", "", "--appendonly", "no"])
        self.manage("migrate", "--noinput")
        self.manage("sync_exercises")
        grader_env = {k: v for k, v in self.env.items() if k not in ("DATABASE_URL", "STRIDE_SECRET_KEY")}
        grader = ["--app", "grader.worker:app", "--queues", "grading", "--name", "grader"]
        self.spawn(
            "grader", [PY, "-m", "stride.worker", *grader, "--concurrency", str(self.grading_processes)], grader_env
        )
        self.spawn("results", [PY, "-m", "stride.worker", "--queues", "results", "--name", "results",
                               "--concurrency", "2"])  # fmt: skip
        web = ["--workers", str(self.web_workers), "--worker-class", "gthread", "--threads", str(self.web_threads)]
        self.spawn("web", [PY, "-m", "gunicorn", "stride.wsgi", "--bind", f"127.0.0.1:{self.web_port}", *web,
                           "--log-level", "warning"])  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.web_port}/healthz", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.5)
        raise SystemExit(f"the stack did not become healthy; logs in {self.var}")

    def stop(self) -> None:
        for _, process in reversed(self.processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for _, process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


class Client:
    def __init__(self, base: str):
        self.base = base
        self.token = ""

    def call(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"{}")

    def login(self, username: str, password: str) -> None:
        status, body = self.call("POST", "/api/token", {"username": username, "password": password})
        assert status == 200, body
        self.token = body["token"]

    def submit(self, code: str) -> int:
        status, body = self.call("POST", "/api/exercises/conv2d/submissions", {"code": code})
        assert status == 202, (status, body)
        return body["id"]

    def status(self, submission_id: int) -> dict:
        return self.call("GET", f"/api/submissions/{submission_id}")[1]


def wait_graded(client: Client, submission_id: int, timeout: float = 30) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = client.status(submission_id)
        if body.get("status") in ("graded", "error"):
            return body
        time.sleep(0.005)
    raise AssertionError(f"submission {submission_id} not graded within {timeout} s")


def latency(client: Client, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        body = wait_graded(client, client.submit(GOOD))
        times.append((time.perf_counter() - start) * 1000)
        assert body["score"] == 1.0, body
    return times


def burst(stack: Stack, client: Client, count: int, timeout: float) -> dict:
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = list(pool.map(lambda _: client.submit(GOOD), range(count)))
    submitted = time.perf_counter() - start
    from stride.submissions.models import Submission

    deadline = time.monotonic() + timeout
    in_flight = Submission.objects.filter(id__in=ids, status__in=["queued", "running"])
    while in_flight.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    fields = ("status", "score", "created_at", "started_at", "finished_at")
    rows = list(Submission.objects.filter(id__in=ids).values(*fields))
    graded = [r for r in rows if r["status"] == "graded" and r["score"] == 1.0]
    first = min(r["created_at"] for r in rows)
    last = max(r["finished_at"] for r in graded)
    drained = (last - first).total_seconds()
    return {
        "submitted_s": submitted,
        "drained_s": drained,
        "throughput": len(graded) / drained,
        "lost": count - len(graded),
        "queue_wait_ms": [(r["started_at"] - r["created_at"]).total_seconds() * 1000 for r in graded],
        "grading_ms": [(r["finished_at"] - r["started_at"]).total_seconds() * 1000 for r in graded],
    }


def _proc_table() -> dict[int, tuple[int, str, float]]:
    """pid -> (parent pid, command name, CPU seconds used so far) for every process."""
    table = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            raw = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        name = raw[raw.index("(") + 1 : raw.rindex(")")]
        fields = raw[raw.rindex(")") + 2 :].split()
        # utime + stime of the process, plus cutime + cstime of the children it has reaped
        # (the sandbox's short-lived jobs are only counted that way).
        used = sum(int(fields[i]) for i in (11, 12, 13, 14))
        table[int(entry)] = (int(fields[1]), name, used / tick)
    return table


def cpu_by_part(stack: Stack) -> dict[str, float]:
    """CPU seconds used so far by each part of the stack (process trees, plus the servers)."""
    table = _proc_table()
    children: dict[int, list[int]] = {}
    for pid, (ppid, _, _) in table.items():
        children.setdefault(ppid, []).append(pid)
    parts: dict[str, float] = {}
    for name, process in stack.processes:
        todo, total = [process.pid], 0.0
        while todo:
            pid = todo.pop()
            total += table.get(pid, (0, "", 0.0))[2]
            todo += children.get(pid, [])
        parts[name] = total
    parts["postgres"] = sum(cpu for _, comm, cpu in table.values() if comm.startswith("postgres"))
    parts["bench client"] = sum(cpu for pid, (_, _, cpu) in table.items() if pid == os.getpid())
    return parts


def burst_report(stack: Stack, client: Client, count: int) -> None:
    before = cpu_by_part(stack)
    report = burst(stack, client, count, timeout=300)
    after = cpu_by_part(stack)
    print(
        f"burst of {count}: submitted in {report['submitted_s']:.1f} s, all graded after "
        f"{report['drained_s']:.1f} s: {report['throughput']:.1f} gradings/s, lost {report['lost']}"
    )
    print(summary("  queue wait (created -> started)", report["queue_wait_ms"]))
    print(summary("  grading (started -> recorded)", report["grading_ms"]))
    used = {part: after[part] - before.get(part, 0.0) for part in after}
    total = sum(used.values())
    ranked = sorted(used.items(), key=lambda kv: -kv[1])
    shares = ", ".join(f"{part} {seconds:.1f} ({seconds / total:.0%})" for part, seconds in ranked)
    busy = total / report["drained_s"] / (os.cpu_count() or 1)
    print(f"  CPU seconds during the burst: {shares}; the cores were {busy:.0%} busy")


def status_load(stack: Stack, client: Client, submission_id: int, seconds: int) -> str:
    if shutil.which("wrk") is None:
        return "wrk is not installed (apt-get install wrk): status endpoint not measured"
    result = subprocess.run(
        ["wrk", "-t2", "-c50", f"-d{seconds}s", "--latency", "-H", f"Authorization: Bearer {client.token}",
         f"http://127.0.0.1:{stack.web_port}/api/submissions/{submission_id}"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    lines = result.stdout.splitlines()
    rps = next(line.split()[1] for line in lines if line.startswith("Requests/sec"))
    p50 = next(line.split()[1] for line in lines if line.strip().startswith("50%"))
    p99 = next(line.split()[1] for line in lines if line.strip().startswith("99%"))
    errors = [line.strip() for line in lines if "Non-2xx" in line or "Socket errors" in line]
    return f"{rps} requests/s, p50 {p50}, p99 {p99}" + (f" ({'; '.join(errors)})" if errors else "")


def summary(label: str, values: list[float]) -> str:
    return (
        f"{label:38} p50 {statistics.median(values):7.1f} ms  p95 {percentile(values, 95):7.1f} ms"
        f"  p99 {percentile(values, 99):7.1f} ms  (n={len(values)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency-runs", type=int, default=100)
    parser.add_argument("--burst", type=int, default=500)
    parser.add_argument("--status-seconds", type=int, default=10)
    parser.add_argument("--grading-processes", type=int, default=2)
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--web-threads", type=int, default=2)
    args = parser.parse_args()
    var = Path(tempfile.mkdtemp(prefix="stride-bench-"))
    stack = Stack(var, args.grading_processes, args.web_workers, args.web_threads)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}")
    print(
        f"stack: gunicorn ({args.web_workers} workers x {args.web_threads} threads), "
        f"{args.grading_processes} grading processes, 1 results worker (2 processes), Redis, {stack.database}; "
        f"logs in {var}"
    )
    threading.excepthook = lambda hook: None
    try:
        stack.start()
        # This process reads the stack's database directly (timestamps of the burst).
        os.environ.update(stack.env, DJANGO_SETTINGS_MODULE="stride.settings")
        import django

        django.setup()
        from django.contrib.auth.models import User

        if not User.objects.filter(username="bench").exists():
            User.objects.create_user("bench", password="bench-pass")
        client = Client(f"http://127.0.0.1:{stack.web_port}")
        client.login("bench", "bench-pass")
        latency(client, 5)  # warm up every process
        print(summary("submit-to-graded at low load", latency(client, args.latency_runs)))
        if args.burst:
            burst_report(stack, client, args.burst)
        last = client.submit(GOOD)
        wait_graded(client, last)
        print(f"{'status of a graded one, 50 clients':38} {status_load(stack, client, last, args.status_seconds)}")
        # A submission that stays queued (stored, never sent): every poll reads the database.
        from stride.exercises.models import Exercise
        from stride.submissions.models import Submission

        waiting = Submission.objects.create(
            user=User.objects.get(username="bench"), exercise=Exercise.objects.get(slug="conv2d"),
            exercise_version="bench", code=GOOD,
        )  # fmt: skip
        print(
            f"{'status of a queued one, 50 clients':38} {status_load(stack, client, waiting.pk, args.status_seconds)}"
        )
    finally:
        stack.stop()


if __name__ == "__main__":
    main()

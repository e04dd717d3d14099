"""Grader benchmark: ``make bench-grader`` (or ``python -m grader.bench``).

Everything is measured in one run on this machine, so the figures can be compared with
each other: a bare ``python3 -c 'import numpy'`` start, an empty sandbox job, complete
gradings of conv2d and conv-layer with a correct vectorized solution in a long-lived
process (as a worker grades), and throughput with two grader processes.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import statistics
import subprocess
import sys
import time

from grader import jail
from grader.grade import grade_submission
from grader.package import find_exercise
from grader.sandbox import Sandbox

SOLUTIONS = {"conv2d": "good_vectorized.py", "conv-layer": "good_vectorized.py"}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def summary(label: str, values: list[float]) -> str:
    return (
        f"{label:44} median {statistics.median(values):7.1f} ms   p95 {percentile(values, 95):7.1f} ms"
        f"   (n={len(values)})"
    )


def bare_numpy_start(runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import numpy"], check=True)
        times.append((time.perf_counter() - start) * 1000)
    return times


def empty_jobs(sandbox: Sandbox, runs: int) -> list[float]:
    blobs: list = []
    request = {"code": "def f():\n    return 0\n", "function": "f", "tests": jail.encode_value([], blobs)}
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run = sandbox.run(request, blobs)
        times.append((time.perf_counter() - start) * 1000)
        assert run.exit_code == 0, run
    return times


def gradings(sandbox: Sandbox, slug: str, runs: int) -> list[float]:
    exercise = find_exercise(slug)
    code = (exercise.path / "solutions" / SOLUTIONS[slug]).read_bytes()
    times = []
    for seed in range(runs):
        start = time.perf_counter()
        result = grade_submission(exercise, code, sandbox, seed=seed)
        times.append((time.perf_counter() - start) * 1000)
        assert result["score"] == 1.0, result["message"]
    return times


def _throughput_worker(slot: int, seconds: float, queue: multiprocessing.Queue) -> None:
    exercise = find_exercise("conv2d")
    code = (exercise.path / "solutions" / SOLUTIONS["conv2d"]).read_bytes()
    done = 0
    with Sandbox(reaper=True) as sandbox:
        grade_submission(exercise, code, sandbox, seed=0)  # warm up
        queue.put(("ready", slot))
        start = time.perf_counter()
        while time.perf_counter() - start < seconds:
            result = grade_submission(exercise, code, sandbox, seed=done)
            assert result["score"] == 1.0
            done += 1
        queue.put(("done", done, time.perf_counter() - start))


def throughput(processes: int, seconds: float) -> float:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    workers = [context.Process(target=_throughput_worker, args=(20 + i, seconds, queue)) for i in range(processes)]
    for worker in workers:
        worker.start()
    reports = [queue.get(timeout=120) for _ in range(2 * processes)]
    for worker in workers:
        worker.join()
    finished = [r for r in reports if r[0] == "done"]
    return sum(r[1] for r in finished) / max(r[2] for r in finished)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--seconds", type=float, default=8.0, help="duration of the throughput run")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}")
    print(f"python {platform.python_version()}, numpy {__import__('numpy').__version__}")
    print(summary("bare `python3 -c 'import numpy'` process", bare_numpy_start(max(10, args.runs // 3))))
    with Sandbox(reaper=True) as sandbox:
        empty_jobs(sandbox, 5)
        empty = empty_jobs(sandbox, args.runs)
        print(summary("sandbox overhead (empty job, start to exit)", empty))
        for slug in SOLUTIONS:
            gradings(sandbox, slug, 3)
            print(summary(f"{slug} grading, correct vectorized, all tests", gradings(sandbox, slug, args.runs)))
    one = throughput(1, args.seconds)
    two = throughput(2, args.seconds)
    print(f"{'conv2d gradings per second, 1 process':44} {one:7.1f}")
    print(f"{'conv2d gradings per second, 2 processes':44} {two:7.1f}   (x{two / one:.2f})")


if __name__ == "__main__":
    main()

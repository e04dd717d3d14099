"""End to end: the API takes a submission, real workers grade it, the API shows the result.

Web (pytest-django's live server), a grading worker, a results worker and a private
Redis, each in its own process as in production. The stored score must be the one the
grader's command line gives for the same code and the seed the grading used.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from stride.submissions.models import Submission
from tests.pipeline.conftest import (
    EXERCISES_DIR,
    REPO_ROOT,
    STUDENT_PASSWORD,
    children_of,
    environ_of,
    solution,
    wait_for,
)

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

WITHHELD_FROM_THE_GRADER = ("DATABASE_URL", "STRIDE_SECRET_KEY", "PGPASSWORD")
# No proxy for the live server on localhost, whatever the environment says.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def call(method: str, url: str, body: dict | None = None, token: str | None = None) -> tuple[int, dict]:
    headers = {"Accept": "application/json"}
    data = None
    if body is not None:
        data = json.dumps(body).encode("utf-8")
        headers["Content-Type"] = "application/json"
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with OPENER.open(request, timeout=15) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def grade_with_the_cli(file_name: str, seed: int) -> dict:
    path = EXERCISES_DIR / "conv2d" / "solutions" / file_name
    completed = subprocess.run(
        [sys.executable, "-m", "grader", "grade", "conv2d", str(path), "--seed", str(seed)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


def outcome(result: dict) -> dict:
    """What a grading decided, without what differs between two runs (timings, output)."""
    return {
        "exercise": result["exercise"],
        "version": result["version"],
        "seed": result["seed"],
        "verdict": result["verdict"],
        "score": result["score"],
        "points": result["points"],
        "max_points": result["max_points"],
        "tests": [(t["name"], t["passed"], t["verdict"]) for t in result["tests"]],
    }


def test_it_grades_api_submissions_with_the_score_the_grader_cli_gives(stack, conv2d, student, live_server) -> None:
    grader = stack.grader()
    results = stack.results()
    stack.wait_ready()

    status, body = call(
        "POST", live_server + "/api/token", {"username": student.username, "password": STUDENT_PASSWORD}
    )
    assert status == 200, body
    token = body["token"]

    files = ("good_vectorized.py", "bad_flipped_kernel.py")
    ids = {}
    for name in files:
        status, body = call(
            "POST", live_server + "/api/exercises/conv2d/submissions", {"code": solution(name)}, token=token
        )
        assert status == 202, body
        assert body["status"] == "queued"
        ids[name] = body["id"]

    def answers() -> dict[str, dict] | None:
        seen = {name: call("GET", live_server + f"/api/submissions/{pk}", token=token) for name, pk in ids.items()}
        for status, body in seen.values():
            assert status == 200, body
        if all(body["status"] in ("graded", "error") for _, body in seen.values()):
            return {name: body for name, (_, body) in seen.items()}
        return None

    shown = wait_for("both submissions graded, as GET /api/submissions/{id} shows", answers, timeout=30, stack=stack)

    # The grading worker did it all without database credentials: not even in its environment
    # (main process, pool process, and the sandbox below them, whose environment is empty).
    processes = grader.family()
    for pid in processes:
        leaked = sorted(set(WITHHELD_FROM_THE_GRADER) & set(environ_of(pid) or {}))
        assert not leaked, f"grading worker process {pid} has {leaked} in its environment"
    for pid in {grader.pid} | children_of(grader.pid):
        assert (environ_of(pid) or {}).get("REDIS_URL") == stack.redis.url  # the check reads the right processes
    assert (environ_of(results.pid) or {}).get("STRIDE_SECRET_KEY")  # the results worker is the one with secrets
    # Stop it before grading again below: the command line grades in slot 0 of this machine.
    grader.terminate()
    grader.reap(deadline=time.monotonic() + 10)

    for name in files:
        row = Submission.objects.get(pk=ids[name])
        assert row.status == Submission.Status.GRADED, (name, row.status, row.result)
        assert row.deliveries == 1
        assert row.started_at is not None and row.finished_at is not None
        assert row.created_at <= row.started_at <= row.finished_at
        assert row.graded_version == row.exercise_version == conv2d.version
        assert len(stack.audit.recordings(row.pk)) == 1, stack.audit.describe(row.pk)

        seed = row.result["seed"]
        assert isinstance(seed, int)
        expected = grade_with_the_cli(name, seed)
        assert outcome(row.result) == outcome(expected)
        assert (row.score, row.points, row.max_points, row.verdict) == (
            expected["score"],
            expected["points"],
            expected["max_points"],
            expected["verdict"],
        )

        # What the API shows is the stored grading, minus the seed of the hidden tests.
        body = shown[name]
        assert (body["status"], body["score"], body["points"], body["verdict"]) == (
            "graded",
            row.score,
            row.points,
            row.verdict,
        )
        assert "seed" not in body["feedback"]
        assert [t["name"] for t in body["feedback"]["tests"]] == [t["name"] for t in expected["tests"]]

    good, bad = (Submission.objects.get(pk=ids[name]) for name in files)
    assert (good.verdict, good.score) == ("passed", 1.0)
    assert bad.verdict == "failed" and bad.score < 1.0

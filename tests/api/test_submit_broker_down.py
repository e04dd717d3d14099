"""POST /api/exercises/{slug}/submissions while the broker does not answer.

The submission is committed before its grading is sent; when sending fails the client
still gets its 202 (the sweeper sends the grading later), never a 500. Run in a process
of its own whose broker is a closed port, with its own SQLite database.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

SCRIPT = """
import json
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.contrib.auth import get_user_model
from django.test import Client
from stride.api.models import ApiToken
from stride.exercises.models import Exercise
from stride.submissions.models import Submission

user = get_user_model().objects.create_user("student", password="not-used")
Exercise.objects.create(slug="conv2d", title="2D convolution", function="conv2d", version="v1",
                        statement="", starter="")
_, token = ApiToken.issue(user)
client = Client(HTTP_AUTHORIZATION=f"Bearer {token}", raise_request_exception=False)
response = client.post("/api/exercises/conv2d/submissions", '{"code": "x = 1"}', content_type="application/json")
print(json.dumps({
    "status": response.status_code,
    "body": response.json(),
    "location": response.get("Location"),
    "stored": list(Submission.objects.values("id", "status", "deliveries")),
}))
"""


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.slow
def test_it_answers_202_and_keeps_the_submission_when_the_broker_is_down(
    tmp_path: Path, production_env: Callable[..., dict[str, str]], repo_root: Path
) -> None:
    env = production_env(
        DJANGO_SETTINGS_MODULE="stride.settings",
        DATABASE_URL=None,
        REDIS_URL=f"redis://127.0.0.1:{_closed_port()}/0",
        STRIDE_VAR_DIR=str(tmp_path),
        STRIDE_ALLOWED_HOSTS="testserver",
        STRIDE_DEBUG="0",
    )
    run = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=repo_root, env=env, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr[-3000:]
    outcome = json.loads(run.stdout.strip().splitlines()[-1])
    assert outcome["status"] == 202, outcome
    submission_id = outcome["body"]["id"]
    assert outcome["body"] == {"id": submission_id, "status": "queued"}
    assert outcome["location"] == f"/api/submissions/{submission_id}"
    assert outcome["stored"] == [{"id": submission_id, "status": "queued", "deliveries": 1}]
    assert "stored but not sent to the broker" in run.stderr

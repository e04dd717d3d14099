"""The grading worker's tasks when the sandbox fails or time runs out: retried, then reported.

The tasks run eagerly in this process (a retry runs again at once); the sandbox and the
broker are stand-ins, so what is checked is the tasks' own handling of failures.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from celery.exceptions import SoftTimeLimitExceeded

from grader import worker
from grader.sandbox import SandboxError


class FailingSlot:
    """A sandbox slot that is closed by the worker after a failure."""

    closed = False

    def close(self) -> None:
        self.closed = True


@pytest.fixture
def sent(monkeypatch) -> list[tuple[str, list]]:
    messages: list[tuple[str, list]] = []
    monkeypatch.setattr(worker.app, "send_task", lambda name, args, **_: messages.append((name, args)))
    monkeypatch.setattr(worker, "exercise", lambda slug: SimpleNamespace(version="v1"))
    return messages


def failing_sandbox(monkeypatch, error: BaseException) -> list[FailingSlot]:
    """Every task's sandbox fails with ``error``; returns the slots handed out (each one closed after)."""
    slots: list[FailingSlot] = []

    def sandbox() -> None:
        slots.append(FailingSlot())
        monkeypatch.setattr(worker, "_sandbox", slots[-1])
        raise error

    monkeypatch.setattr(worker, "sandbox", sandbox)
    return slots


def test_a_grading_whose_sandbox_keeps_failing_is_retried_then_recorded_as_a_grader_error(monkeypatch, sent) -> None:
    slots = failing_sandbox(monkeypatch, SandboxError("slot died"))
    worker.grade.apply(args=[3, "conv2d", "def conv2d(): ...", "token"])
    assert len(slots) == worker.MAX_RETRIES + 1
    assert all(slot.closed for slot in slots) and worker._sandbox is None
    results = [args for name, args in sent if name == worker.RESULT_TASK]
    assert results == [[3, "token", {"exercise": "conv2d", "verdict": "grader_error", "message": "slot died",
                                     "score": 0.0, "tests": []}]]  # fmt: skip


def test_a_validation_whose_sandbox_keeps_failing_is_retried_then_reported_as_an_error(monkeypatch, sent) -> None:
    slots = failing_sandbox(monkeypatch, SandboxError("slot died"))
    worker.validate.apply(args=[7, "conv2d", "token"])
    assert len(slots) == worker.MAX_RETRIES + 1 and all(slot.closed for slot in slots)
    name, (run_id, token, report) = sent[-1]
    assert (name, run_id, token) == (worker.VALIDATION_RESULT_TASK, 7, "token")
    assert report["status"] == "error" and report["message"] == "the checks could not run: slot died"


def test_a_validation_out_of_time_is_reported_at_once_without_a_retry(monkeypatch, sent) -> None:
    slots = failing_sandbox(monkeypatch, SoftTimeLimitExceeded("late"))
    worker.validate.apply(args=[7, "conv2d", "token"])
    assert len(slots) == 1 and slots[0].closed and worker._sandbox is None
    assert [report["status"] for _, (_, _, report) in sent] == ["running", "error"]

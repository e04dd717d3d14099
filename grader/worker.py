"""The grading worker: a Celery app that imports no Django and holds no database credentials.

    python -m stride.worker --app grader.worker:app --queues grading --name grader

It consumes ``stride.grade`` from the ``grading`` queue, grades in this process's own
sandbox slot, and hands the outcome back as ``stride.record_result`` on the ``results``
queue, where a Django-aware worker records it. ``stride.validate`` (an instructor's
"Validate" button) runs ``grader.validate`` on a package in the same sandbox and answers
with ``stride.record_validation``, once on starting and once with the report. The broker is Redis when ``REDIS_URL``
is set, otherwise the embedded broker in ``$STRIDE_VAR_DIR/broker`` (the same folder the
platform uses).

Delivery: tasks are acknowledged after they finish (``acks_late``) and re-queued when the
worker process is lost, so a grading can run twice; the results side records a grading
once. A student's failing code is a verdict, never a task failure: only infrastructure
errors (the sandbox could not run) are retried, with exponential backoff.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from pathlib import Path

from celery import Celery, signals
from celery.exceptions import SoftTimeLimitExceeded

from grader import broker
from grader.grade import GRADING_BUDGET_S, grade_submission
from grader.package import EXERCISES_DIR, Exercise, PackageError, find_exercise, package_version
from grader.sandbox import Sandbox, SandboxError, SandboxUnavailable
from grader.validate import validate_exercise

logger = logging.getLogger("grader.worker")

GRADE_TASK = "stride.grade"
STARTED_TASK = "stride.grading_started"
RESULT_TASK = "stride.record_result"
HEARTBEAT_TASK = "stride.worker_heartbeat"
VALIDATE_TASK = "stride.validate"
VALIDATION_RESULT_TASK = "stride.record_validation"
GRADING_QUEUE, RESULTS_QUEUE = "grading", "results"
HEARTBEAT_SECONDS = 10
# A grading stops itself after GRADING_BUDGET_S; the soft limit is a backstop, and the
# hard limit (which kills the process) sits a little above it.
SOFT_TIME_LIMIT = int(GRADING_BUDGET_S + 30)
HARD_TIME_LIMIT = SOFT_TIME_LIMIT + 15
MAX_RETRIES = 5
# A validation grades the reference and every sample with a few seeds: many gradings in one task.
VALIDATION_SEEDS = 3
VALIDATION_SOFT_TIME_LIMIT = 900
VALIDATION_HARD_TIME_LIMIT = VALIDATION_SOFT_TIME_LIMIT + 30


def _repo_var_dir() -> Path:
    return Path(os.environ.get("STRIDE_VAR_DIR") or Path(__file__).resolve().parents[1] / "var").resolve()


def configure(app: Celery) -> None:
    redis_url = os.environ.get("REDIS_URL", "")
    visibility = int(os.environ.get("STRIDE_BROKER_VISIBILITY_TIMEOUT", "3600"))
    app.conf.update(
        broker_url=redis_url or broker.URL,
        broker_transport=None if redis_url else broker.TRANSPORT,
        broker_transport_options=(
            {"visibility_timeout": visibility} if redis_url else broker.transport_options(_repo_var_dir() / "broker")
        ),
        broker_connection_retry_on_startup=True,
        task_serializer="json",
        accept_content=["json"],
        task_ignore_result=True,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_default_queue=GRADING_QUEUE,
        task_routes={RESULT_TASK: {"queue": RESULTS_QUEUE}, STARTED_TASK: {"queue": RESULTS_QUEUE},
                     HEARTBEAT_TASK: {"queue": RESULTS_QUEUE}, GRADE_TASK: {"queue": GRADING_QUEUE},
                     VALIDATION_RESULT_TASK: {"queue": RESULTS_QUEUE}, VALIDATE_TASK: {"queue": GRADING_QUEUE}},
        worker_hijack_root_logger=False,
    )  # fmt: skip


app = Celery("stride-grader")
configure(app)

_sandbox: Sandbox | None = None
_exercises: dict[str, Exercise] = {}


def sandbox() -> Sandbox:
    """This process's sandbox slot, started on first use and kept for the process's life."""
    global _sandbox
    if _sandbox is None:
        _sandbox = Sandbox(reaper=True)
        _sandbox.start()
    return _sandbox


def exercise(slug: str) -> Exercise:
    """The exercise package, reloaded when any of its files changed (its version hash)."""
    cached = _exercises.get(slug)
    if cached is not None and package_version(cached.path) == cached.version:
        return cached
    fresh = find_exercise(slug, Path(os.environ.get("STRIDE_EXERCISES_DIR") or EXERCISES_DIR))
    _exercises[slug] = fresh
    return fresh


@signals.worker_process_init.connect
def _start_sandbox(**_: object) -> None:
    # Fail at start, loudly, rather than at the first submission.
    try:
        sandbox()
    except SandboxUnavailable as exc:
        logger.critical("this worker cannot grade: %s", exc)
        raise


@signals.worker_process_shutdown.connect  # a prefork child
@signals.worker_shutdown.connect  # the solo pool grades in the main process
def _stop_sandbox(**_: object) -> None:
    if _sandbox is not None:
        _sandbox.close()


@signals.worker_ready.connect
def _start_heartbeat(sender=None, **_: object) -> None:
    name = getattr(sender, "hostname", None) or "grader"

    def beat() -> None:
        while True:
            try:
                app.send_task(HEARTBEAT_TASK, args=[name, "grader"], expires=3 * HEARTBEAT_SECONDS)
            except Exception:  # the broker is down: the health check will say so
                logger.warning("heartbeat not sent", exc_info=True)
            stop.wait(HEARTBEAT_SECONDS)

    stop = threading.Event()
    threading.Thread(target=beat, name="stride-heartbeat", daemon=True).start()


@app.task(
    name=GRADE_TASK,
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=MAX_RETRIES,
    soft_time_limit=SOFT_TIME_LIMIT,
    time_limit=HARD_TIME_LIMIT,
)
def grade(self, submission_id: int, slug: str, code: str, token: str) -> None:
    """Grade one submission and send the result to the results queue (ids and data, no models)."""
    app.send_task(STARTED_TASK, args=[submission_id, token])
    try:
        result = grade_submission(exercise(slug), code, sandbox())
    except PackageError as exc:
        # Not the student's fault and not transient: recorded as an error for the instructor.
        result = {"exercise": slug, "verdict": "package_error", "message": str(exc), "score": 0.0, "tests": []}
    except (SandboxError, SoftTimeLimitExceeded) as exc:
        _retry_after_failure(self, exc)
        result = {"exercise": slug, "verdict": "grader_error", "message": str(exc), "score": 0.0, "tests": []}
    app.send_task(RESULT_TASK, args=[submission_id, token, result])


def _retry_after_failure(task, exc: BaseException, *, retry: bool = True) -> None:
    """After the sandbox failed or the time ran out: start afresh, in a later try while tries are left.

    The sandbox is closed (the next task starts a new one); the task is retried with a growing
    delay, unless ``retry`` is false or this was the last try: then this returns, and the
    caller reports the failure.
    """
    global _sandbox
    if _sandbox is not None:
        _sandbox.close()
        _sandbox = None
    if retry and task.request.retries < MAX_RETRIES:
        raise task.retry(exc=exc, countdown=min(60, 2 ** (task.request.retries + 1))) from None


@app.task(
    name=VALIDATE_TASK,
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=MAX_RETRIES,
    soft_time_limit=VALIDATION_SOFT_TIME_LIMIT,
    time_limit=VALIDATION_HARD_TIME_LIMIT,
)
def validate(self, run_id: int, slug: str, token: str) -> None:
    """Check one package as ``python -m grader validate`` does and send the report to the results queue.

    The report: ``status`` "done" with ``passed``, ``problems``, ``lines`` and the ``version``
    checked, or "error" with a ``message`` when the sandbox could not run the checks.
    """
    app.send_task(VALIDATION_RESULT_TASK, args=[run_id, token, {"status": "running"}])
    started = time.monotonic()
    try:
        package = exercise(slug)
        problems, lines = validate_exercise(package, sandbox(), seeds=VALIDATION_SEEDS)
        report = {"status": "done", "passed": not problems, "problems": problems, "lines": lines,
                  "version": package.version}  # fmt: skip
    except PackageError as exc:
        # A broken package is the finding itself, not a failure of the check.
        report = {"status": "done", "passed": False, "problems": [str(exc)], "lines": [], "version": ""}
    except (SandboxError, SoftTimeLimitExceeded) as exc:
        # Out of time is final here: all the checks again would take as long.
        _retry_after_failure(self, exc, retry=not isinstance(exc, SoftTimeLimitExceeded))
        report = {"status": "error", "message": f"the checks could not run: {exc}"}
    except Exception as exc:  # the reference itself crashed while computing expected values
        logger.exception("validation of %s failed", slug)
        report = {"status": "error", "message": f"the checks stopped with {type(exc).__name__}: {exc}"}
    report["duration_ms"] = round((time.monotonic() - started) * 1000)
    app.send_task(VALIDATION_RESULT_TASK, args=[run_id, token, report])

"""Tasks of the results worker (Django-aware): it records what the grading workers send."""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from stride.core.models import WorkerHeartbeat
from stride.submissions.models import Submission

logger = logging.getLogger(__name__)


# A database hiccup is retried here rather than left to the sweeper (minutes later);
# recording twice is harmless, as the update is conditional.
@shared_task(
    name="stride.record_result",
    acks_late=True,
    ignore_result=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    max_retries=8,
)
def record_result(submission_id: int, token: str, result: dict) -> None:
    if not Submission.record_result(submission_id, token, result):
        logger.info("ignored a duplicate or stale result for submission %s", submission_id)


@shared_task(name="stride.grading_started", acks_late=True, ignore_result=True)
def grading_started(submission_id: int, token: str) -> None:
    Submission.mark_started(submission_id, token)


@shared_task(name="stride.worker_heartbeat", ignore_result=True)
def worker_heartbeat(name: str, kind: str) -> None:
    WorkerHeartbeat.beat(name, kind)


@shared_task(name="stride.sweep", ignore_result=True)
def sweep() -> dict[str, int]:
    report = Submission.requeue_stuck(
        older_than=timedelta(seconds=settings.STRIDE_SWEEP_AFTER_SECONDS),
        max_deliveries=settings.STRIDE_MAX_DELIVERIES,
    )
    if report["requeued"] or report["abandoned"]:
        logger.warning("sweeper: %s", report)
    # Regrades travel through the same queue with tokens of their own.
    from stride.gradebook import regrade

    regrades = regrade.requeue_stuck(
        older_than=timedelta(seconds=settings.STRIDE_SWEEP_AFTER_SECONDS),
        max_deliveries=settings.STRIDE_MAX_DELIVERIES,
    )
    if any(regrades.values()):
        logger.warning("sweeper (regrades): %s", regrades)
    return report

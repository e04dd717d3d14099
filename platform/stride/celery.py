"""The Celery application of the Django-aware processes (web, results worker).

Workers start it with ``python -m stride.worker`` (or ``celery -A stride worker``);
the configuration is the ``CELERY_*`` part of :mod:`stride.settings`.
"""

from __future__ import annotations

import logging
import os
import threading

from celery import Celery, signals

logger = logging.getLogger(__name__)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stride.settings")

app = Celery("stride")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


HEARTBEAT_SECONDS = 10


@signals.worker_ready.connect
def _start_heartbeat(sender=None, **_: object) -> None:
    """A results worker reports itself through the broker every few seconds (see /healthz)."""
    consumed = getattr(app.amqp.queues, "consume_from", None) or {}
    queues = set(consumed)
    if "results" not in queues:
        return
    name = getattr(sender, "hostname", None) or "results"

    def beat() -> None:
        while not stop.is_set():
            try:
                app.send_task("stride.worker_heartbeat", args=[name, "results"], expires=3 * HEARTBEAT_SECONDS)
            except Exception:
                logger.warning("heartbeat not sent", exc_info=True)
            stop.wait(HEARTBEAT_SECONDS)

    stop = threading.Event()
    threading.Thread(target=beat, name="stride-heartbeat", daemon=True).start()

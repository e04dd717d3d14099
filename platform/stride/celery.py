"""The Celery application of the Django-aware processes (web, results worker).

Workers start it with ``python -m stride.worker`` (or ``celery -A stride worker``);
the configuration is the ``CELERY_*`` part of :mod:`stride.settings`.
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stride.settings")

app = Celery("stride")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

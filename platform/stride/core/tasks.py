"""Infrastructure tasks."""

from __future__ import annotations

import platform

from celery import shared_task


@shared_task(name="stride.ping")
def ping() -> dict[str, str]:
    """Answer with facts about the worker's interpreter (used by health checks and tests)."""
    return {"python_version": platform.python_version(), "platform_file": platform.__file__}

"""ASGI entry point: ``uvicorn stride.asgi:application`` with ``platform/`` on ``sys.path``."""

from __future__ import annotations

import os
import sys
from pathlib import Path

# platform/ for the project, the repository root for the grader package it uses.
for _folder in (Path(__file__).resolve().parents[2], Path(__file__).resolve().parents[1]):
    if str(_folder) not in sys.path:
        sys.path.insert(0, str(_folder))

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stride.settings")

from django.core.asgi import get_asgi_application  # noqa: E402 - needs the path and settings above

application = get_asgi_application()

"""ASGI entry point: ``uvicorn stride.asgi:application`` with ``platform/`` on ``sys.path``."""

from __future__ import annotations

import os
import sys
from pathlib import Path

_PLATFORM_DIR = str(Path(__file__).resolve().parents[1])
if _PLATFORM_DIR not in sys.path:
    sys.path.insert(0, _PLATFORM_DIR)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stride.settings")

from django.core.asgi import get_asgi_application  # noqa: E402 - needs the path and settings above

application = get_asgi_application()

"""WSGI entry point: ``gunicorn stride.wsgi`` with ``platform/`` on ``sys.path``.

Servers that load this file by its path (mod_wsgi, uWSGI ``--wsgi-file``) get
``platform/`` added to ``sys.path`` here.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

# platform/ for the project, the repository root for the grader package it uses.
for _folder in (Path(__file__).resolve().parents[2], Path(__file__).resolve().parents[1]):
    if str(_folder) not in sys.path:
        sys.path.insert(0, str(_folder))

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stride.settings")

from django.core.wsgi import get_wsgi_application  # noqa: E402 - needs the path and settings above

application = get_wsgi_application()

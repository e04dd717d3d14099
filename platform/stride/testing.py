"""A pytest plugin, loaded with ``-p stride.testing`` (pyproject.toml), that sets
environment defaults before pytest-django reads the settings.

The settings refuse to start without ``STRIDE_SECRET_KEY`` unless ``STRIDE_DEBUG`` is on;
the suite runs with debug off, as production does, and a throw-away key. Runtime files
go to a temporary folder removed at exit, never to the developer's ``var/`` (where a
running ``make run`` worker would otherwise consume the suite's tasks).
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

os.environ.setdefault("STRIDE_SECRET_KEY", "stride-test-suite-not-secret")
if "STRIDE_VAR_DIR" not in os.environ:
    _var_dir = tempfile.mkdtemp(prefix="stride-test-var-")
    os.environ["STRIDE_VAR_DIR"] = _var_dir
    atexit.register(shutil.rmtree, _var_dir, ignore_errors=True)

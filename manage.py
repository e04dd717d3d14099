#!/usr/bin/env python
"""Django's command-line utility for Stride."""

import os
import sys
from pathlib import Path

# The Django project lives in platform/stride and is imported as "stride". platform/ is a
# plain folder (no __init__.py) so that "import platform" stays the standard library's.
PLATFORM_DIR = str(Path(__file__).resolve().parent / "platform")


def main() -> None:
    if PLATFORM_DIR not in sys.path:
        sys.path.insert(0, PLATFORM_DIR)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stride.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()

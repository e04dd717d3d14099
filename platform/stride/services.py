"""Probes for the local PostgreSQL and Redis servers (standard library only).

``python -m stride.services test-env`` prints shell assignments that point the test
suite at the local servers when they answer and the variables are not set already;
the Makefile evaluates them before running pytest::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test
    REDIS_URL=redis://127.0.0.1:6379/15
"""

from __future__ import annotations

import os
import shlex
import socket
import sys
from collections.abc import Mapping, Sequence
from urllib.parse import urlsplit

TEST_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/test"
TEST_REDIS_URL = "redis://127.0.0.1:6379/15"


def tcp_answers(host: str, port: int, timeout: float = 0.5) -> bool:
    """Whether something accepts TCP connections on ``host:port``."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def redis_answers(url: str, timeout: float = 0.5) -> bool:
    """Whether a Redis server at ``url`` answers PING (no password support needed here)."""
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), timeout=timeout) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(64).startswith((b"+PONG", b"-NOAUTH"))
    except OSError:
        return False


def suite_environment(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The variables to set for the test suite: only those unset whose server answers."""
    environ = os.environ if environ is None else environ
    chosen: dict[str, str] = {}
    if "DATABASE_URL" not in environ and tcp_answers("127.0.0.1", 5432):
        chosen["DATABASE_URL"] = TEST_DATABASE_URL
    if "REDIS_URL" not in environ and redis_answers(TEST_REDIS_URL):
        chosen["REDIS_URL"] = TEST_REDIS_URL
    return chosen


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv != ["test-env"]:
        print("usage: python -m stride.services test-env", file=sys.stderr)
        return 2
    for name, value in suite_environment().items():
        print(f"export {name}={shlex.quote(value)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

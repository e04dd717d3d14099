"""Probes of the local servers used by the Makefile (python -m stride.services)."""

from __future__ import annotations

import socket
import subprocess
import sys

from stride import services


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_it_sees_a_listening_port_and_a_closed_one() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        assert services.tcp_answers("127.0.0.1", server.getsockname()[1])
    assert not services.tcp_answers("127.0.0.1", _closed_port())


def test_it_does_not_take_any_server_for_redis() -> None:
    assert not services.redis_answers(f"redis://127.0.0.1:{_closed_port()}/0")
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        # Accepts but never answers PING.
        assert not services.redis_answers(f"redis://127.0.0.1:{server.getsockname()[1]}/0", timeout=0.2)


def test_it_leaves_variables_already_set_alone() -> None:
    assert services.suite_environment({"DATABASE_URL": "", "REDIS_URL": "redis://elsewhere/1"}) == {}


def test_it_prints_shell_assignments(production_env) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "stride.services", "test-env"],
        env=production_env(DATABASE_URL="sqlite:///x", REDIS_URL=""),
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert completed.returncode == 0
    assert completed.stdout == ""
    wrong = subprocess.run([sys.executable, "-m", "stride.services"], env=production_env(), capture_output=True)
    assert wrong.returncode == 2

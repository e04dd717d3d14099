"""Start a Celery worker: the one entry point of every Stride worker process.

    python -m stride.worker                                  # Django-aware, queue "default"
    python -m stride.worker --queues results --name results  # another queue, own node name
    python -m stride.worker --app some.module:app --queues grading --concurrency 2
    python -m stride.worker -- --max-tasks-per-child 100     # anything after -- goes to celery

Run it from the repository root with ``platform/`` on ``PYTHONPATH`` (the Makefile and
the container image set it); the repository root and ``platform/`` are put on
``sys.path`` here so that ``--app`` may name a module in either. With the embedded
broker (no ``REDIS_URL``) the worker runs without gossip, mingle and event heartbeats:
those broadcast to per-worker queues that a filesystem broker would keep forever.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

PLATFORM_DIR = Path(__file__).resolve().parents[1]
REPO_ROOT = PLATFORM_DIR.parent
DEFAULT_APP = "stride.celery:app"


def _ensure_import_paths() -> None:
    for folder in (str(PLATFORM_DIR), str(REPO_ROOT)):
        if folder not in sys.path:
            sys.path.insert(0, folder)


def parse_args(argv: Sequence[str] | None = None) -> tuple[argparse.Namespace, list[str]]:
    parser = argparse.ArgumentParser(prog="python -m stride.worker", description="Start a Stride Celery worker.")
    parser.add_argument("--app", default=DEFAULT_APP, help="the Celery app as module:attribute (default %(default)s)")
    parser.add_argument("--queues", "-Q", default=None, help="comma-separated queues (default: the app's default)")
    parser.add_argument("--name", "-n", default=None, help="node name before @host (default: the first queue)")
    parser.add_argument(
        "--concurrency",
        "-c",
        type=int,
        default=int(os.environ.get("STRIDE_WORKER_CONCURRENCY", "1")),
        help="child processes (default: STRIDE_WORKER_CONCURRENCY or 1)",
    )
    parser.add_argument(
        "--pool", default=None, help="celery pool (default: prefork; solo on the embedded broker with concurrency 1)"
    )
    parser.add_argument("--loglevel", "-l", default=os.environ.get("STRIDE_LOG_LEVEL", "INFO"))
    argv = list(sys.argv[1:] if argv is None else argv)
    extra: list[str] = []
    if "--" in argv:
        split = argv.index("--")
        argv, extra = argv[:split], argv[split + 1 :]
    return parser.parse_args(argv), extra


def is_embedded_broker(conf: object) -> bool:
    """Whether the app's broker is the embedded filesystem broker (grader.broker)."""
    from grader import broker

    url = str(getattr(conf, "broker_url", "") or "")
    return getattr(conf, "broker_transport", None) == broker.TRANSPORT or url.startswith("filesystem:")


def default_pool(args: argparse.Namespace, conf: object) -> str:
    """prefork, except one process on the embedded broker: solo there.

    The prefork pool's parent polls a non-Redis broker in two-second turns, which delays
    each task by up to two seconds; a single process needs no pool. (Time limits then
    rest on the grader's own per-test limits and grading budget.)
    """
    return "solo" if is_embedded_broker(conf) and args.concurrency == 1 else "prefork"


def celery_argv(args: argparse.Namespace, conf: object, extra: Sequence[str] = ()) -> list[str]:
    """The ``celery worker`` command line for the parsed options and the app's configuration."""
    queues = args.queues or getattr(conf, "task_default_queue", None) or "celery"
    name = args.name or queues.split(",")[0]
    argv = [
        "worker",
        f"--loglevel={args.loglevel}",
        f"--queues={queues}",
        f"--hostname={name}@%h",
        f"--concurrency={args.concurrency}",
        f"--pool={args.pool or default_pool(args, conf)}",
    ]
    if is_embedded_broker(conf):
        argv += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
    return [*argv, *extra]


def main(argv: Sequence[str] | None = None) -> int:
    _ensure_import_paths()
    args, extra = parse_args(argv)
    from kombu.utils.imports import symbol_by_name

    app = symbol_by_name(args.app)
    exit_code = app.worker_main(celery_argv(args, app.conf, extra))
    return int(exit_code or 0)


if __name__ == "__main__":
    raise SystemExit(main())

"""The worker entry point's command line (python -m stride.worker)."""

from __future__ import annotations

from types import SimpleNamespace

from grader import broker
from stride.worker import celery_argv, is_embedded_broker, parse_args

REDIS = SimpleNamespace(broker_url="redis://127.0.0.1:6379/0", broker_transport=None, task_default_queue="default")
EMBEDDED = SimpleNamespace(broker_url=broker.URL, broker_transport=broker.TRANSPORT, task_default_queue="default")


def test_it_defaults_to_the_django_app_and_the_default_queue() -> None:
    args, extra = parse_args([])
    assert args.app == "stride.celery:app"
    argv = celery_argv(args, REDIS, extra)
    assert argv[0] == "worker"
    assert "--queues=default" in argv
    assert "--hostname=default@%h" in argv
    assert "--concurrency=1" in argv
    assert "--without-gossip" not in argv


def test_it_names_the_node_after_its_first_queue_and_passes_extra_options() -> None:
    args, extra = parse_args(["--queues", "grading,slow", "-c", "2", "--", "--max-tasks-per-child", "100"])
    argv = celery_argv(args, REDIS, extra)
    assert "--queues=grading,slow" in argv
    assert "--hostname=grading@%h" in argv
    assert "--concurrency=2" in argv
    assert argv[-2:] == ["--max-tasks-per-child", "100"]


def test_it_turns_off_broadcasts_on_the_embedded_broker() -> None:
    assert is_embedded_broker(EMBEDDED)
    assert not is_embedded_broker(REDIS)
    args, extra = parse_args(["--name", "results"])
    argv = celery_argv(args, EMBEDDED, extra)
    assert "--hostname=results@%h" in argv
    assert {"--without-gossip", "--without-mingle", "--without-heartbeat"} <= set(argv)


def test_it_reads_the_concurrency_from_the_environment(monkeypatch) -> None:
    monkeypatch.setenv("STRIDE_WORKER_CONCURRENCY", "3")
    args, _ = parse_args([])
    assert args.concurrency == 3


def test_it_grades_in_one_process_without_a_pool_on_the_embedded_broker() -> None:
    # The prefork parent polls a file broker in two-second turns: one process needs no pool.
    args, extra = parse_args(["--concurrency", "1"])
    assert "--pool=solo" in celery_argv(args, EMBEDDED, extra)


def test_it_keeps_the_prefork_pool_with_redis_or_several_processes() -> None:
    one, _ = parse_args(["--concurrency", "1"])
    two, _ = parse_args(["--concurrency", "2"])
    assert "--pool=prefork" in celery_argv(one, REDIS, [])
    assert "--pool=prefork" in celery_argv(two, EMBEDDED, [])


def test_it_lets_an_explicit_pool_win() -> None:
    args, _ = parse_args(["--concurrency", "1", "--pool", "threads"])
    assert "--pool=threads" in celery_argv(args, EMBEDDED, [])

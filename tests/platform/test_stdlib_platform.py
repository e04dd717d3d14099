"""``import platform`` must give the standard library everywhere, although the
repository has a folder named ``platform/`` on the import path."""

from __future__ import annotations

import json
import platform
import subprocess
import sys
import sysconfig
from collections.abc import Callable
from pathlib import Path

import pytest
from celery import Celery

from grader import broker

STDLIB = Path(sysconfig.get_paths()["stdlib"]).resolve()


def assert_stdlib(platform_file: str, python_version: str) -> None:
    assert Path(platform_file).resolve().is_relative_to(STDLIB), platform_file
    assert python_version == platform.python_version()


def test_it_keeps_platform_a_plain_folder(repo_root: Path) -> None:
    assert (repo_root / "platform" / "stride" / "settings.py").is_file()
    assert not (repo_root / "platform" / "__init__.py").exists()
    assert not (repo_root / "platform" / "platform.py").exists()


def test_it_imports_the_stdlib_platform_in_the_django_test_process(settings) -> None:
    assert "stride" in settings.ROOT_URLCONF
    assert str(Path(settings.BASE_DIR) / "platform") in sys.path
    assert_stdlib(platform.__file__, platform.python_version())


def test_it_imports_the_stdlib_platform_from_the_celery_ping_task_in_process() -> None:
    from stride.core.tasks import ping

    result = ping.run()
    assert_stdlib(result["platform_file"], result["python_version"])


def test_it_runs_manage_py_check_in_a_subprocess(repo_root: Path, production_env: Callable[..., dict]) -> None:
    # manage.py puts platform/ on sys.path itself: run it without PYTHONPATH.
    env = production_env(PYTHONPATH=None, DJANGO_SETTINGS_MODULE=None)
    completed = subprocess.run(
        [sys.executable, "manage.py", "check", "--fail-level", "WARNING"],
        cwd=repo_root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    assert "no issues" in completed.stdout


def test_it_imports_the_stdlib_platform_in_a_manage_py_shell(repo_root: Path, production_env) -> None:
    code = "import json, platform; print(json.dumps([platform.__file__, platform.python_version()]))"
    completed = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=repo_root,
        env=production_env(PYTHONPATH=None, DJANGO_SETTINGS_MODULE=None),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    platform_file, python_version = json.loads(completed.stdout.strip().splitlines()[-1])
    assert_stdlib(platform_file, python_version)


def test_it_serves_wsgi_loaded_by_file_path_without_pythonpath(repo_root: Path, production_env) -> None:
    # As mod_wsgi or uWSGI --wsgi-file do: wsgi.py puts platform/ on sys.path itself.
    code = (
        "import json, platform, runpy, sys; "
        "app = runpy.run_path(sys.argv[1])['application']; "
        "print(json.dumps([callable(app), platform.__file__, platform.python_version()]))"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code, str(repo_root / "platform" / "stride" / "wsgi.py")],
        cwd="/",
        env=production_env(PYTHONPATH=None, DJANGO_SETTINGS_MODULE=None),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    is_callable, platform_file, python_version = json.loads(completed.stdout.strip().splitlines()[-1])
    assert is_callable
    assert_stdlib(platform_file, python_version)


def _ping_through(client: Celery, queue: str) -> dict[str, str]:
    try:
        return client.send_task("stride.ping", queue=queue).get(timeout=60)
    finally:
        client.close()


@pytest.mark.slow
def test_it_imports_the_stdlib_platform_in_a_celery_worker_on_redis(redis_url: str, start_worker) -> None:
    worker = start_worker({"REDIS_URL": redis_url, "STRIDE_CELERY_RESULT_BACKEND": redis_url})
    worker.wait_ready()
    client = Celery("test-client", broker=redis_url, backend=redis_url)
    client.conf.update(task_serializer="json", accept_content=["json"], result_serializer="json")

    result = _ping_through(client, worker.queue)

    assert_stdlib(result["platform_file"], result["python_version"])
    assert worker.stop() == 0, worker.log()
    assert "Warm shutdown" in worker.log() or "warm shutdown" in worker.log().lower()


@pytest.mark.slow
def test_it_imports_the_stdlib_platform_in_a_celery_worker_on_the_embedded_broker(tmp_path: Path, start_worker) -> None:
    var_dir, results = tmp_path / "var", tmp_path / "results"
    results.mkdir()
    backend = results.as_uri()
    worker = start_worker({"REDIS_URL": "", "STRIDE_VAR_DIR": str(var_dir), "STRIDE_CELERY_RESULT_BACKEND": backend})
    worker.wait_ready()
    client = Celery("test-client", broker=broker.URL, backend=backend)
    client.conf.update(
        broker_transport=broker.TRANSPORT,
        broker_transport_options=broker.transport_options(var_dir / "broker"),
        task_serializer="json",
        accept_content=["json"],
        result_serializer="json",
    )

    result = _ping_through(client, worker.queue)

    assert_stdlib(result["platform_file"], result["python_version"])
    assert worker.stop() == 0, worker.log()

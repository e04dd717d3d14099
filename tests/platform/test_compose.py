"""docker-compose.yml: every process of the platform, health-checked, running commands of this
project (the same entry points as ``make run``), and a grading worker without database access."""

from __future__ import annotations

import importlib
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.core.management import get_commands

from stride import run

REPO_ROOT = Path(__file__).resolve().parents[2]
COMPOSE = REPO_ROOT / "docker-compose.yml"
PLATFORM_SERVICES = {"setup", "web", "grader", "results", "beat"}
#: Long-running services that report their health (beat has no cheap probe; setup is one-shot).
HEALTH_CHECKED = {"web", "grader", "results", "postgres", "redis"}
SUBSTITUTION = re.compile(r"\$\{(?P<name>\w+)(?::?-(?P<default>[^}]*))?[^}]*\}")


def with_defaults(command: list[str]) -> list[str]:
    """The command as compose runs it when no variable is set: ``${NAME:-default}`` -> default."""
    return [SUBSTITUTION.sub(lambda m: m.group("default") or "", word) for word in command]


def services() -> dict[str, dict]:
    return yaml.safe_load(COMPOSE.read_text())["services"]


def is_celery_app(target: str) -> bool:
    """``module:attribute``, or ``module`` whose ``app`` or ``celery.app`` is meant (as ``celery -A``).

    The grader's app is imported in a fresh interpreter without Django, as its worker runs:
    importing it here would connect its worker signals inside the test process.
    """
    module_name, _, attribute = target.partition(":")
    assert importlib.util.find_spec(module_name) is not None, module_name
    if module_name.split(".")[0] == "grader":
        code = f"import celery, {module_name} as m; assert isinstance(m.{attribute or 'app'}, celery.Celery)"
        env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
        done = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, env=env, capture_output=True, timeout=60)
        assert done.returncode == 0, done.stderr.decode()
        return True
    from celery import Celery

    module = importlib.import_module(module_name)
    if attribute:
        app = getattr(module, attribute)
    elif hasattr(module, "app"):
        app = module.app
    else:
        app = importlib.import_module(f"{module_name}.celery").app
    return isinstance(app, Celery)


def option(command: list[str], *names: str) -> str:
    for index, word in enumerate(command):
        for name in names:
            if word == name:
                return command[index + 1]
            if word.startswith(name + "="):
                return word.split("=", 1)[1]
    raise AssertionError(f"no {names} in {command}")


def check_command(name: str, command: list[str]) -> None:
    """The command exists in this project: module paths import, manage.py commands exist."""
    command = with_defaults(command)
    if command[0] == "gunicorn":
        module, _, attribute = command[1].partition(":")
        assert importlib.util.find_spec(module) is not None, (name, module)
        assert callable(getattr(importlib.import_module(module), attribute or "application")), (name, command)
        return
    assert command[0] == "python", (name, command)
    if command[1] == "manage.py":
        assert (REPO_ROOT / "manage.py").is_file()
        assert command[2] in get_commands(), (name, command[2])
        return
    assert command[1] == "-m", (name, command)
    module = command[2]
    assert importlib.util.find_spec(module) is not None, (name, module)
    if module == "celery":
        target = option(command, "-A", "--app")
        assert is_celery_app(target), (name, command)
        assert command[command.index(target) + 1] in {"worker", "beat", "inspect"}, (name, command)
    elif module == "stride.worker":
        from stride.worker import parse_args

        args, _ = parse_args(command[3:])  # the entry point's own parser accepts the options
        assert is_celery_app(args.app), (name, args.app)
    elif module == "stride.run":
        run.parse_args(command[3:])


def test_it_has_every_process_of_the_platform_and_the_servers() -> None:
    assert PLATFORM_SERVICES | {"postgres", "redis"} == set(services())


def test_long_running_services_are_health_checked() -> None:
    found = services()
    for name in HEALTH_CHECKED:
        assert found[name]["healthcheck"]["test"], name


@pytest.mark.parametrize("name", sorted(PLATFORM_SERVICES))
def test_it_runs_commands_that_exist_in_the_project(name: str) -> None:
    service = services()[name]
    assert "build" in service or service.get("image") == "stride:latest", name
    check_command(name, service["command"])


def test_health_checks_run_commands_that_exist_in_the_project() -> None:
    for name in ("grader", "results"):
        test = services()[name]["healthcheck"]["test"]
        assert test[0] == "CMD-SHELL", name
        command = test[1].replace("$$HOSTNAME", "host").split()
        check_command(name, command)
        assert option(command, "-d") == f"{name}@host"  # the node name stride.worker gives it


def test_it_runs_the_same_entry_points_as_make_run() -> None:
    found = services()
    planned = {child.name: child.argv for child in run.plan({}, python="python", why_no_grading=lambda: None)[0]}

    # python -m stride.run starts gunicorn as "python -m gunicorn"; the container has the script.
    assert with_defaults(found["web"]["command"]) == ["gunicorn", *planned["web"][3:]]
    assert planned["web"][:3] == ["python", "-m", "gunicorn"]
    assert with_defaults(found["grader"]["command"]) == planned["grader"]
    assert found["results"]["command"] == planned["results"]
    assert with_defaults(found["beat"]["command"]) == planned["beat"]
    assert found["setup"]["command"] == ["python", "-m", "stride.run", "--setup-only"]


def test_the_grader_has_no_database_credentials_and_can_scale() -> None:
    grader = services()["grader"]
    environment = grader.get("environment") or {}
    if isinstance(environment, list):
        environment = dict(item.partition("=")[::2] for item in environment)
    assert not {"DATABASE_URL", "STRIDE_SECRET_KEY", "POSTGRES_PASSWORD", "DJANGO_SETTINGS_MODULE"} & set(environment)
    assert not any("postgres" in str(value) for value in environment.values())
    assert "env_file" not in grader
    assert "postgres" not in grader.get("depends_on", {})
    # --scale needs no fixed name or published port.
    assert "container_name" not in grader and "ports" not in grader
    # The sandbox: root in the container, namespaces and cgroups allowed.
    assert grader["user"] == "root"
    assert grader.get("privileged") is True or {"SYS_ADMIN"} <= set(grader.get("cap_add", []))


def test_everything_else_of_the_platform_gets_the_database() -> None:
    for name in PLATFORM_SERVICES - {"grader"}:
        assert "DATABASE_URL" in services()[name]["environment"], name


def test_it_never_names_platform_as_a_package(repo_root: Path) -> None:
    for path in ("docker-compose.yml", "Dockerfile", "Makefile", "pyproject.toml", "manage.py"):
        assert "platform." not in (repo_root / path).read_text().replace("platform.py", ""), path

"""docker-compose.yml: every service is healthy-checked and runs a command of this project."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import yaml

COMPOSE = Path(__file__).resolve().parents[2] / "docker-compose.yml"


def services() -> dict[str, dict]:
    return yaml.safe_load(COMPOSE.read_text())["services"]


def test_it_has_web_postgres_and_redis_with_health_checks() -> None:
    found = services()
    assert {"web", "postgres", "redis"} <= set(found)
    for name in ("web", "postgres", "redis"):
        assert found[name]["healthcheck"]["test"], name


def test_it_runs_commands_that_exist_in_the_project(repo_root: Path) -> None:
    for name, service in services().items():
        if "build" not in service:
            continue
        command = service["command"]
        assert (repo_root / "Dockerfile").is_file()
        if command[:2] == ["python", "manage.py"]:
            assert (repo_root / "manage.py").is_file(), name
        elif command[0] == "gunicorn":
            module = command[1].split(":")[0]
            assert importlib.util.find_spec(module) is not None, (name, module)
        elif command[:3] == ["python", "-m", command[2]]:
            assert importlib.util.find_spec(command[2]) is not None, (name, command[2])
        else:
            raise AssertionError(f"{name}: unknown command {command}")


def test_it_never_names_platform_as_a_package(repo_root: Path) -> None:
    for path in ("docker-compose.yml", "Dockerfile", "Makefile", "pyproject.toml", "manage.py"):
        assert "platform." not in (repo_root / path).read_text().replace("platform.py", ""), path

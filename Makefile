# Stride: `make run` starts the platform, `make test` runs the whole suite.
# GNU make on Debian/Ubuntu with Python 3.11+; system packages are installed when missing
# and running as root, otherwise the target stops with one line saying what to install.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
RUFF := $(VENV)/bin/ruff
MANAGE := $(PY) manage.py
REQUIREMENTS := requirements.txt requirements-dev.txt
INSTALLED := $(VENV)/.installed
PORT ?= 8000

# The Django project is platform/stride, imported as "stride": platform/ must be on the
# path (and must never become a package: see CONTRIBUTING.md).
export PYTHONPATH := $(CURDIR)/platform$(if $(PYTHONPATH),:$(PYTHONPATH))

# command:debian-package pairs.
RUN_SYSTEM_DEPS := bwrap:bubblewrap node:nodejs npm:npm
TEST_SYSTEM_DEPS := $(RUN_SYSTEM_DEPS) redis-server:redis-server chromium:chromium
BENCH_SYSTEM_DEPS := $(TEST_SYSTEM_DEPS) wrk:wrk

# $(call system_deps,PAIRS): install the packages whose command is missing (root), or stop.
define system_deps
missing=""; \
for pair in $(1); do \
  command -v "$${pair%%:*}" >/dev/null 2>&1 || missing="$$missing $${pair#*:}"; \
done; \
if [ -n "$$missing" ]; then \
  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
    echo "installing system packages:$$missing"; \
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
  else \
    echo "stride needs$$missing: run 'sudo apt-get install$$missing'" >&2; exit 1; \
  fi; \
fi
endef

.PHONY: help run test lint fmt system-deps system-deps-run migrate bench bench-grader clean .venv frontend

help:
	@echo "make run            migrate, seed_demo, then web, workers and beat on http://0.0.0.0:\$$PORT (default 8000)"
	@echo "make test           lint, then the whole test suite"
	@echo "make lint | fmt     check | fix lint and formatting (ruff)"
	@echo "make system-deps    install missing system packages (bubblewrap, node, redis-server, chromium)"
	@echo "make frontend       build the browser side (frontend/ -> frontend/dist/)"
	@echo "make bench          pipeline benchmark on the real stack (gunicorn, Redis, grading workers)"
	@echo "make bench-grader   grader benchmark"
	@echo "make clean          remove .venv and var/"

system-deps:
	@$(call system_deps,$(TEST_SYSTEM_DEPS))

system-deps-run:
	@$(call system_deps,$(RUN_SYSTEM_DEPS))

# The virtualenv, re-installed whenever a requirements file changes.
.venv: $(INSTALLED)

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
	  || { echo "stride needs Python 3.11 or newer as '$(PYTHON)': run 'sudo apt-get install python3' or set PYTHON=" >&2; exit 1; }
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || { $(call system_deps,__no_such_command__:python3-venv); }
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): $(REQUIREMENTS) | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

# The browser side: frontend/ built with npm and esbuild into frontend/dist/ (served as
# static files), again whenever a source, the package list or the lock file changes.
FRONTEND_BUILT := frontend/dist/.built
FRONTEND_SOURCES := $(shell find frontend/src frontend/styles -type f 2>/dev/null) frontend/package.json frontend/package-lock.json

frontend: $(FRONTEND_BUILT)

$(FRONTEND_BUILT): $(FRONTEND_SOURCES)
	@$(call system_deps,node:nodejs npm:npm)
	cd frontend && npm ci --no-audit --no-fund --loglevel=error && npm run build
	@touch $@

migrate: .venv
	$(MANAGE) migrate --noinput

# The whole platform in the foreground (stride/run.py): migrate and seed_demo, then web,
# grading worker, results worker and beat, each line prefixed by its process; Ctrl-C stops
# them all. Embedded defaults: SQLite and the filesystem broker in var/; REDIS_URL and
# DATABASE_URL switch to servers. Grading needs root and bubblewrap: as root, bubblewrap
# is installed when missing; otherwise stride.run starts the rest and says why it cannot grade.
RUN_DEPS := $(if $(filter 0,$(shell id -u)),system-deps-run)

run: $(RUN_DEPS) .venv frontend
	@export STRIDE_DEBUG="$${STRIDE_DEBUG:-1}"; \
	exec $(PY) -m stride.run

lint: .venv
	$(RUFF) check .
	$(RUFF) format --check .

fmt: .venv
	$(RUFF) format .
	$(RUFF) check --fix .

# Real PostgreSQL and Redis when they answer locally (see stride/services.py), else SQLite
# and tests that need Redis skip (CI sets STRIDE_REQUIRE_SERVICES=1 to make that a failure).
test: system-deps .venv lint frontend
	@eval "$$($(PY) -m stride.services test-env)"; \
	echo "tests: database $${DATABASE_URL:-sqlite (in memory)}, redis $${REDIS_URL:-none (embedded broker)}"; \
	$(PY) -m pytest $(PYTEST_ARGS)

# The pipeline's figures (platform/stride/bench.py); BENCH_ARGS passes options, e.g. --burst 100.
bench: .venv
	@$(call system_deps,$(BENCH_SYSTEM_DEPS))
	$(PY) -m stride.bench $(BENCH_ARGS)

bench-grader: system-deps-run .venv
	$(PY) -m grader.bench

clean:
	rm -rf $(VENV) var frontend/node_modules frontend/dist test-artifacts

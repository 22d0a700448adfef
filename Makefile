# Rectify: `make run` starts everything on http://127.0.0.1:8000, `make test` checks everything.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
export UV_PYTHON_DOWNLOADS := never
# The interpreter itself, not a shim (pyenv's would make uv rebuild .venv on every call).
export UV_PYTHON := $(shell $(PYTHON) -c 'import sys; print(sys.executable)')
export UV_LINK_MODE := copy
# Processes start many times in tests; without compiled bytecode each start compiles hundreds of modules.
export UV_COMPILE_BYTECODE := 1
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
RUN := $(UV) run --frozen --no-sync
NPM ?= npm
CHROMIUM ?= /usr/bin/chromium

GATEWAY_PORT ?= 8000
ISSUES_PORT ?= 8001
NOTIFY_PORT ?= 8002
REPORT_PORT ?= 8003
HOST ?= 127.0.0.1

# How the processes find each other under `make run`; every service reads only its own prefix.
export GATEWAY_PORT ISSUES_PORT NOTIFY_PORT REPORT_PORT
export ISSUES_URL := http://$(HOST):$(ISSUES_PORT)
export NOTIFY_URL := http://$(HOST):$(NOTIFY_PORT)
export REPORT_URL := http://$(HOST):$(REPORT_PORT)
export ISSUES_DEMO ?= true
export GATEWAY_ISSUES_URL ?= $(ISSUES_URL)
export GATEWAY_NOTIFY_URL ?= $(NOTIFY_URL)
export GATEWAY_REPORT_URL ?= $(REPORT_URL)
export GATEWAY_SPA_DIR ?= frontend/dist
export NOTIFY_ISSUES_URL ?= $(ISSUES_URL)
export REPORT_ISSUES_URL ?= $(ISSUES_URL)
export REPORT_NOTIFY_URL ?= $(NOTIFY_URL)
export NOTIFY_AUTH__JWKS_URL ?= $(ISSUES_URL)/.well-known/jwks.json
export REPORT_AUTH__JWKS_URL ?= $(ISSUES_URL)/.well-known/jwks.json
export GATEWAY_AUTH__JWKS_URL ?= $(ISSUES_URL)/.well-known/jwks.json

SERVICES_WITH_DB := issues_api notify_api report_api
PYTEST_SUITES := services/kit/tests services/issues-api/tests services/notify-api/tests services/report-api/tests services/gateway/tests tests

.PHONY: help install install-python install-frontend frontend migrate demo run reset test lint typecheck pytest frontend-test browser bench clean

help:
	@echo "make run    - install, migrate, load the demo campaign and start everything on http://$(HOST):$(GATEWAY_PORT)"
	@echo "make test   - lint, type-check and run every test suite"
	@echo "make migrate | make reset | make bench"

.tools/bin/uv:
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check "uv>=0.5,<1"

install-python: $(if $(filter .tools/bin/uv,$(UV)),.tools/bin/uv)
	$(UV) sync --frozen

install-frontend: frontend/node_modules/.package-lock.json

# npm ci only when the lock file changed since the last install.
frontend/node_modules/.package-lock.json: frontend/package-lock.json
	cd frontend && $(NPM) ci --no-audit --no-fund --loglevel=error

frontend: install-frontend
	cd frontend && $(NPM) run build

install: install-python install-frontend

migrate: install-python
	@mkdir -p var
	@for pkg in $(SERVICES_WITH_DB); do echo "migrating $$pkg"; $(RUN) python -m $$pkg migrate || exit 1; done

# Demo mode loads the demo campaign once; either way notify-api and report-api get their feed clients.
demo: migrate
	@if [ "$(ISSUES_DEMO)" = true ]; then $(RUN) python -m issues_api demo; else \
	  $(RUN) python -m issues_api provision-client --id notify-api --scopes "events:read directory:read" && \
	  $(RUN) python -m issues_api provision-client --id report-api --scopes "events:read directory:read"; fi

run: install-python frontend demo
	@echo
	@echo "  Rectify 整改台账  →  http://$(HOST):$(GATEWAY_PORT)"
	@echo "  演示账号 demo accounts (password demo12345): admin, office, leader, and each unit's code (e.g. KJT-ZCFG)"
	@echo "  Ctrl-C stops everything."
	@echo
	$(RUN) honcho start -f Procfile

reset:
	rm -rf var

lint: install-python
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	$(RUN) lint-imports

typecheck: install-python
	$(RUN) mypy services/kit/src services/issues-api/src services/notify-api/src services/report-api/src services/gateway/src

pytest: install-python
	@$(RUN) python scripts/run_pytest.py $(PYTEST_SUITES)

frontend-test: install-frontend
	cd frontend && $(NPM) run lint && $(NPM) test

# End-to-end tests drive Debian's Chromium (never a browser a tool downloads), with a Chinese font so that
# their screenshots show text rather than empty boxes; both installed here when missing.
browser:
	@{ command -v $(CHROMIUM) && fc-list :lang=zh | grep -q .; } >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null; \
	  else echo "Install Chromium and a Chinese font (Debian: apt-get install chromium fonts-wqy-microhei) for the browser tests"; exit 1; fi; }

test: lint typecheck frontend-test frontend browser pytest

bench: install-python
	@for f in bench/bench_*.py; do echo "==> $$f"; $(RUN) python $$f || exit 1; done

clean:
	rm -rf .venv .tools frontend/node_modules frontend/dist

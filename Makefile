# Tsudoi: `make run` serves the app, `make test` runs every test. `make help` lists the rest.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 3000
export PORT
export REFLEX_TELEMETRY_ENABLED := false
export PYTHONDONTWRITEBYTECODE := 1
CHROMIUM ?= /usr/bin/chromium
export CHROMIUM
BUN = $(shell scripts/ensure-bun.sh)

.PHONY: help setup chromium run test test-unit test-e2e lint format migrate makemigrations seed-demo backup bench screenshots lock clean

help: ## list the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(VENV)/.test-installed: $(VENV)/.installed requirements-test.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
	@touch $@

.tools/bun.ok: scripts/ensure-bun.sh
	@scripts/ensure-bun.sh >/dev/null
	@mkdir -p .tools && touch $@

# axe-core (npm), injected into every page by tests/e2e/test_accessibility.py.
.tools/axe.ok: scripts/ensure-axe.sh
	@scripts/ensure-axe.sh >/dev/null
	@mkdir -p .tools && touch $@

setup: $(VENV)/.installed .tools/bun.ok

run: setup ## set up, migrate once, add demo data to an empty database, serve on PORT (WEB_WORKERS workers)
	$(PY) -m community_app prepare
	REFLEX_BUN_PATH=$(BUN) $(VENV)/bin/reflex run --env prod --frontend-port $(PORT) --backend-port $(PORT)

chromium:
	@if [ ! -x "$(CHROMIUM)" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian's Chromium for the browser tests ..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	  else \
	    echo "error: browser tests need Chromium at $(CHROMIUM). Install it with: sudo apt-get install chromium fonts-noto-cjk (or set CHROMIUM=/path/to/chromium)"; exit 1; \
	  fi; \
	fi

# Tests run in parallel (pytest-xdist): the fast ones in TEST_WORKERS processes, the
# browser tests in E2E_WORKERS processes that share one production build
# (tests/e2e/shared_build.py); the scale-out test last, alone (it builds .web again for
# its own server). Four processes on two cores: a run used under one core on average
# with two (the tests wait on PostgreSQL, the browser and the server far more than
# they compute).
TEST_WORKERS ?= 4
E2E_WORKERS ?= 4

test: $(VENV)/.test-installed .tools/bun.ok .tools/axe.ok chromium ## install test tools and run every test, browser tests included
	$(VENV)/bin/pytest -m "not e2e" -n $(TEST_WORKERS) --dist worksteal
	REFLEX_BUN_PATH=$(BUN) $(VENV)/bin/pytest -m "e2e and not scale_out" -n $(E2E_WORKERS) --dist loadfile
	REFLEX_BUN_PATH=$(BUN) $(VENV)/bin/pytest -m scale_out

test-unit: $(VENV)/.test-installed ## run the fast tests only (no browser)
	$(VENV)/bin/pytest -m "not e2e" -n $(TEST_WORKERS) --dist worksteal

lint: $(VENV)/.test-installed ## ruff (lint + format check) and mypy on domain/, feeds/ and api/
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy community_app/domain community_app/feeds community_app/api

format: $(VENV)/.test-installed ## apply ruff's fixes and formatting
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrate: setup ## apply migrations to DATABASE_URL
	$(PY) -m community_app migrate

makemigrations: setup ## generate a migration: make makemigrations MESSAGE="add x"
	@test -n "$(MESSAGE)" || { echo 'usage: make makemigrations MESSAGE="what changes"'; exit 1; }
	$(PY) -m community_app migrate
	$(VENV)/bin/alembic revision --autogenerate -m "$(MESSAGE)"

seed-demo: setup ## add demo data to an empty database
	$(PY) -m community_app seed-demo

backup: setup ## write a consistent copy of the database to data/backups/
	$(PY) -m community_app backup

bench: $(VENV)/.test-installed .tools/bun.ok chromium ## measure feeds, RSVP bursts and pages (QUICK=1: smaller, faster; ONLY=pages: one part)
	PYTHONPATH=$(CURDIR) REFLEX_BUN_PATH=$(BUN) $(PY) -m bench $(if $(QUICK),--quick) $(if $(ONLY),--only $(ONLY))

screenshots: $(VENV)/.test-installed .tools/bun.ok chromium ## redo the README screenshots (docs/screenshots/) from a fresh demo site
	REFLEX_BUN_PATH=$(BUN) $(PY) scripts/screenshots.py

lock: ## re-pin requirements*.txt from requirements*.in in a clean virtualenv
	rm -rf .lockvenv && $(PYTHON) -m venv .lockvenv
	.lockvenv/bin/pip install --quiet -r requirements.in
	.lockvenv/bin/pip freeze --all --exclude pip --exclude setuptools --exclude wheel > requirements.txt
	.lockvenv/bin/pip install --quiet -r requirements-test.in
	.lockvenv/bin/pip freeze --all --exclude pip --exclude setuptools --exclude wheel | grep -vxFf requirements.txt > requirements-test.txt
	rm -rf .lockvenv

clean: ## remove generated files (keeps data/)
	rm -rf .web .states .pytest_cache .ruff_cache .mypy_cache test-artifacts

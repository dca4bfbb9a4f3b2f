# gongkai — one command each: install, serve, test, lint.
# `make test` is what CI runs (.ci/run): system packages, Python and npm dependencies, then pytest.

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 5000
ADMIN_PORT ?= 5001

# puppeteer (under pa11y-ci) must never download a browser: it uses Debian's /usr/bin/chromium.
export PUPPETEER_SKIP_DOWNLOAD := 1
export PUPPETEER_SKIP_CHROME_DOWNLOAD := 1
export PUPPETEER_SKIP_CHROME_HEADLESS_SHELL_DOWNLOAD := 1

.PHONY: help install serve test a11y lint system-deps node-deps

help:
	@echo "make install      Python venv in $(VENV) with gongkai and its test tools"
	@echo "make serve        install, then serve the site on http://$(HOST):$(PORT)/ and the back office on http://$(HOST):$(ADMIN_PORT)/admin/"
	@echo "make test         system packages + Python + npm dependencies, then all tests (what CI runs)"
	@echo "make a11y         the accessibility gate only (a11y_tests/)"
	@echo "make lint         ruff"

$(PY):
	$(PYTHON) -m venv $(VENV)

install: $(PY)
	$(PY) -m pip install --quiet -e '.[test]'

# Two gunicorn processes: the public site, and beside it the back office with its demo accounts
# (their passwords printed at start). Both serve the content repository var/content, made from a
# copy of content/ on the first start (GONGKAI_CONTENT_REPO names another). Ctrl+C stops both.
serve: install
	@$(VENV)/bin/gongkai admin serve --demo --host $(HOST) --port $(ADMIN_PORT) & admin=$$!; \
	trap 'kill $$admin 2>/dev/null; wait $$admin 2>/dev/null' EXIT INT TERM; \
	$(VENV)/bin/gongkai serve --host $(HOST) --port $(PORT)

system-deps:
	bash scripts/install_system_deps.sh

# --ignore-scripts: none of the packages needs its install script, and two would download
# things (puppeteer a browser, vnu-jar a Java runtime when java is missing).
node-deps:
	npm ci --ignore-scripts --no-audit --no-fund

test: system-deps install node-deps
	$(PY) -m pytest tests a11y_tests

a11y: system-deps install node-deps
	$(PY) -m pytest a11y_tests

lint: install
	$(VENV)/bin/ruff check .

# fazhi — two commands: `make run` (install, migrate, demo, serve) and `make test` (install, whole suite).
SHELL := /bin/bash
.DEFAULT_GOAL := run

# Django 6 needs Python ≥ 3.12: take the first one on this machine.
PYTHON ?= $(shell for p in python3.13 python3.12 /root/.pyenv/versions/3.13*/bin/python3.13 /root/.pyenv/versions/3.12*/bin/python3.12 /usr/local/bin/python3.12 /usr/bin/python3.12; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; assert sys.version_info >= (3, 12)' >/dev/null 2>&1 && { command -v $$p; break; }; done)
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/fazhi
export UV_PYTHON_DOWNLOADS := never

.PHONY: run install serve test test-sqlite test-postgres test-browser test-shifted browser-deps document-deps bench lint format clean migrations-check

$(UV):
	python3 -m venv .tools && .tools/bin/pip install --quiet --disable-pip-version-check uv

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml uv.lock | $(UV)
	@test -n "$(PYTHON)" || { echo "需要 Python 3.12 或更高版本（Django 6）"; exit 1; }
	$(UV) sync --frozen --python "$(PYTHON)"
	touch $@

run: install
	$(BIN)/fazhi migrate --noinput
	$(BIN)/fazhi collectstatic --noinput -v 0
	$(BIN)/fazhi demo
	@echo "法治督导已启动：http://127.0.0.1:$(PORT)/  （演示账号见 README）"
	$(BIN)/fazhi worker & WORKER=$$!; trap "kill $$WORKER 2>/dev/null" EXIT INT TERM; \
	PORT=$(PORT) $(BIN)/fazhi serve

serve: run

browser-deps:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/sbin/dovecot ] || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then \
		echo "安装 chromium、fonts-noto-cjk 与 dovecot-imapd…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk dovecot-imapd >/dev/null; \
	fi

# 公文: LibreOffice renders .docx to PDF, poppler-utils reads it back (pdftotext, pdffonts), and the free fonts
# that src/fazhi/documents/fonts.conf maps the 公文 fonts to (docs/documents.md).
document-deps:
	@if ! command -v soffice >/dev/null 2>&1 || ! command -v pdftotext >/dev/null 2>&1 || ! command -v pdffonts >/dev/null 2>&1 \
		|| ! fc-list 2>/dev/null | grep -qi "wenkai" || ! fc-list 2>/dev/null | grep -qi "Noto Serif CJK"; then \
		echo "安装 libreoffice-writer-nogui、poppler-utils、fonts-lxgw-wenkai 与 fonts-noto-cjk…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			libreoffice-writer-nogui poppler-utils fonts-lxgw-wenkai fonts-noto-cjk >/dev/null; \
	fi

test: install browser-deps document-deps lint migrations-check test-sqlite test-postgres test-browser
	@echo "全部测试通过（SQLite、PostgreSQL、浏览器）"

# A model change without its migration fails here, before any test runs.
migrations-check: install
	FAZHI_VAR_DIR=$(CURDIR)/var/test-migrations $(BIN)/fazhi makemigrations --check --dry-run

test-sqlite: install
	FAZHI_VAR_DIR=$(CURDIR)/var/test-sqlite $(BIN)/pytest -q -m "not browser" -n 2

test-postgres: install
	DATABASE_URL=$(PG_URL) SECRET_KEY=test-only-secret FAZHI_VAR_DIR=$(CURDIR)/var/test-pg \
		$(BIN)/pytest -q -m "not browser" -n 2

test-browser: install browser-deps
	FAZHI_VAR_DIR=$(CURDIR)/var/test-browser $(BIN)/pytest -q -m browser

# The suite with the clock a year ahead: nothing may depend on the day it runs (not part of `make test`).
test-shifted: install
	FAZHI_TEST_SHIFT_DAYS=365 FAZHI_VAR_DIR=$(CURDIR)/var/test-shifted $(BIN)/pytest -q -m "not browser" -n 2

bench: install
	DATABASE_URL=$${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/fazhi_bench} SECRET_KEY=bench-only \
		FAZHI_VAR_DIR=$(CURDIR)/var/bench $(BIN)/python bench/run.py

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

format: install
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

clean:
	rm -rf $(VENV) .tools var/test-* var/bench

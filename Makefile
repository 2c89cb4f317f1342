# Peyvand: `make run` serves the app with demo data; `make test` runs the whole default suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_WORKERS ?= 2

SIZE ?= 100000
DB ?= both

.PHONY: bench help install run test test-postgres test-browser lint format migrations-check check clean

help:
	@echo "make run            install, migrate, demo data, print the admin login, serve http://$(HOST):$(PORT)"
	@echo "make test           the whole default suite (SQLite)"
	@echo "make test-postgres  the same suite on PostgreSQL (DATABASE_URL or a local server)"
	@echo "make test-browser   browser tests on Debian's Chromium"
	@echo "make bench          figures beside their anchors (SIZE=100000 DB=both|sqlite|postgres)"
	@echo "make lint           ruff check + format check + makemigrations --check"

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("Peyvand needs Python >= 3.11") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	PEYVAND_DEBUG=1 $(BIN)/peyvand migrate --noinput -v 0
	PEYVAND_DEBUG=1 $(BIN)/peyvand bootstrap
	@echo "Serving http://$(HOST):$(PORT)/ with a background worker for imports (Ctrl+C stops both)"
	@PEYVAND_DEBUG=1 $(BIN)/peyvand db_worker --no-reload -v 0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	PEYVAND_DEBUG=1 $(BIN)/peyvand runserver $(HOST):$(PORT)

test: $(STAMP)
	$(BIN)/pytest -q -n $(PYTEST_WORKERS)

test-postgres: $(STAMP)
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/peyvand} $(BIN)/pytest -q -n $(PYTEST_WORKERS)

test-browser: $(STAMP)
	$(BIN)/pytest -q -m browser -p no:xdist

bench: $(STAMP)
	$(BIN)/pip install -q -e ".[dev,bench]"
	$(BIN)/python -m bench.run --size $(SIZE) --db $(DB)

.PHONY: bench-dedupe
bench-dedupe: $(STAMP)
	$(BIN)/pip install -q -e ".[dev,bench]"
	$(BIN)/python -m bench.dedupe $(DEDUPE_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	PEYVAND_DEBUG=1 PEYVAND_DATA_DIR=$$(mktemp -d) $(BIN)/peyvand makemigrations --check --dry-run

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check: lint test

clean:
	rm -rf $(VENV) var build dist src/*.egg-info

# coord: make run (serve with demo data) and make test (the whole suite) are the two set-up commands.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_PASSWORD ?= demo-sphères-2026
HOST ?= 127.0.0.1
PORT ?= 5000
TEST_DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/test
PYTEST_ARGS ?=
# pytest-xdist workers ("auto": one per CPU; 0: no xdist). Each has its own databases (tests/conftest.py).
PYTEST_WORKERS ?= auto
PYTEST := $(BIN)/pytest -n $(PYTEST_WORKERS)
# The system packages the tests need, installed when missing (the same script .ci/run uses).
SYSTEM_DEPS ?= .ci/system-deps

.PHONY: run test test-sqlite test-postgresql system-deps lint format bench translations extract-messages clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

translations: $(VENV)/.installed
	$(BIN)/pybabel -q compile -d coord/translations

run: export COORD_PUBLIC_URL ?= http://$(HOST):$(PORT)
run: translations
	$(BIN)/flask --app coord db upgrade
	$(BIN)/flask --app coord seed-demo --if-empty --password "$(DEMO_PASSWORD)"
	$(BIN)/flask --app coord run --host $(HOST) --port $(PORT)

test: test-sqlite test-postgresql

system-deps:
	$(SYSTEM_DEPS)

test-sqlite: system-deps translations
	$(PYTEST) $(PYTEST_ARGS)

test-postgresql: system-deps translations
	COORD_TEST_DB=postgresql TEST_DATABASE_URL="$(TEST_DATABASE_URL)" $(PYTEST) $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(BIN)/ruff check coord tests migrations bench
	$(BIN)/lint-imports
	$(BIN)/ruff format --check coord tests bench

format: $(VENV)/.installed
	$(BIN)/ruff format coord tests bench
	$(BIN)/ruff check --fix coord tests bench

bench: translations
	$(BIN)/python -m bench.feeds
	$(BIN)/python -m bench.forgot

extract-messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o coord/translations/messages.pot --no-location --sort-output --width=110 --project coord .
	$(BIN)/pybabel update -i coord/translations/messages.pot -d coord/translations --no-fuzzy-matching --ignore-obsolete --width=110

clean:
	rm -rf $(VENV) .pytest_cache

# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
SYNAPSE_VENV := .venv-synapse
SYNAPSE_INSTALLED := $(SYNAPSE_VENV)/.installed

.PHONY: install synapse migrate demo-data demo test lint format bench fuzz schema clean

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e ".[dev]"
	touch $@

install: $(INSTALLED)

# Synapse lives in a virtualenv of its own: its pins must not decide ours.
$(SYNAPSE_INSTALLED):
	$(PYTHON) -m venv $(SYNAPSE_VENV)
	$(SYNAPSE_VENV)/bin/pip install --quiet --disable-pip-version-check "matrix-synapse>=1.100"
	touch $@

synapse: $(SYNAPSE_INSTALLED)

migrate: install
	$(BIN)/wegweiser db upgrade

demo-data: migrate
	$(BIN)/wegweiser catalogue import services_catalog/demo

demo: demo-data
	$(BIN)/wegweiser chat

test: install synapse
	$(BIN)/ruff check .
	WEGWEISER_SYNAPSE_VENV=$(abspath $(SYNAPSE_VENV)) $(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install
	$(BIN)/pytest benchmarks --benchmark-only -p no:cacheprovider -o python_files="bench_*.py"

# 100,000 fuzzed messages (half on SQLite, half on PostgreSQL) through the terminal, Telegram and Matrix message models.
fuzz: install
	WEGWEISER_FUZZ_MESSAGES=$${WEGWEISER_FUZZ_MESSAGES:-100000} $(BIN)/pytest -s -q -p no:cacheprovider \
		--timeout=0 tests/hardening/test_fuzz.py

# Pre-release: rebuild the single initial migration from the models.
schema: install
	./migrations/regenerate_initial.sh

clean:
	rm -rf $(VENV) $(SYNAPSE_VENV) var .pytest_cache

# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
SYNAPSE_VENV := .venv-synapse
SYNAPSE_INSTALLED := $(SYNAPSE_VENV)/.installed

.PHONY: install synapse migrate demo-data demo test lint format train eval bench fuzz schema clean

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

# The semantic stage's classifier and danger screen, from every corpus/ and tests/router/
# labelled_*.yaml; deterministic, so a retrain on the same data changes nothing.
train: install
	OMP_NUM_THREADS=1 $(BIN)/python -m bot.core.semantic.training

# Accuracy on the held-out split that training never sees, per language and for danger.
eval: install
	OMP_NUM_THREADS=1 $(BIN)/python benchmarks/evaluate.py

bench: install eval
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

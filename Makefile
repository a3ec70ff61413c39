# Every target creates or reuses .venv and installs what it needs from constraints.txt.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install serve test lint bench bench-custom-fields fuzz schema readme emulator clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev,bench]'
	touch $(STAMP)

install: $(STAMP)

# Readable log lines for a person at a terminal unless LOG_FORMAT says otherwise.
serve: $(STAMP)
	LOG_FORMAT=$${LOG_FORMAT:-text} $(BIN)/pipedrive-graphql serve

emulator: $(STAMP)
	$(BIN)/pipedrive-graphql emulator

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python scripts/check_schema_compat.py --base HEAD~1

test: lint
	$(BIN)/pytest

fuzz: $(STAMP)
	FUZZ_EXAMPLES=20000 $(BIN)/pytest tests/test_fuzz.py tests/test_fuzz_executor.py

bench: $(STAMP)
	$(BIN)/python -m bench.run

# Only the custom fields phase; rewrites BENCHMARKS.md's "Custom fields" section.
bench-custom-fields: $(STAMP)
	$(BIN)/python -m bench.custom_fields

schema: $(STAMP)
	$(BIN)/pipedrive-graphql schema > schema.graphql

# README examples: each query is run on the embedded emulator and its answer written back
readme: $(STAMP)
	$(BIN)/python -m scripts.readme_examples

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache

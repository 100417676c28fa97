# Two commands for a newcomer: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
TEST_INSTALLED := $(VENV)/.installed-test

.PHONY: demo test lint unit bench sample snapshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(INSTALLED): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(TEST_INSTALLED): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(INSTALLED)

## demo: create .venv, install, open the app on a fresh copy of the sample community
demo: $(INSTALLED)
	$(BIN)/fielddesk demo

## test: lint, types, import contract, every test
test: lint unit

lint: $(TEST_INSTALLED)
	$(BIN)/ruff check tui widgets tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

unit: $(TEST_INSTALLED)
	$(BIN)/pytest

## bench: benchmarks; figures go to docs/BENCHMARKS.md by hand
bench: $(TEST_INSTALLED)
	$(BIN)/python bench/run.py

## sample: rebuild sample_data/ from the generator (a test checks it matches)
sample: $(INSTALLED)
	rm -rf sample_data.new
	$(BIN)/fielddesk gen --sample --data sample_data.new
	rm -rf sample_data.new/backups sample_data.new/device.json sample_data.new/.lock
	rm -rf sample_data && mv sample_data.new sample_data

## snapshots: accept the current look of every screen as the new reference
snapshots: $(TEST_INSTALLED)
	$(BIN)/pytest tests/ui --snapshot-update

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache

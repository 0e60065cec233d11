# Two commands on a fresh machine (Python 3.11+ and make): `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
UV_VERSION := 0.13.8
export LC_ALL := C.UTF-8

.PHONY: install run test lint imports typecheck unit lock clean

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(BIN)/uv pip sync --quiet --python $(BIN)/python requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $(STAMP)

install: $(STAMP)  ## create .venv with the locked dependencies

run: $(STAMP)  ## serve on embedded PostgreSQL + FMS sandbox (HOST, PORT, DATA_DIR, DATABASE_URL ... honoured)
	$(BIN)/media-scheduler serve

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

imports: $(STAMP)  ## import-linter: layers, the simulator outside them, a pure domain, no cycles
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)  ## the whole suite; the 20 slowest tests are listed at the end, so a slow one is seen
	$(BIN)/pytest --durations=20 $(PYTEST_ARGS)

test: lint imports typecheck unit  ## everything CI runs

lock:  ## re-pin dependencies after editing pyproject.toml
	$(BIN)/uv pip compile --quiet pyproject.toml --extra dev -o requirements.lock

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

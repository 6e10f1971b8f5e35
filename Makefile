# One interface for people and CI. `make run` and `make test` bootstrap everything from python3 alone:
# a private uv (pinned) in .tools/, then the locked environment in .venv/ (uv.lock), then the dbt manifest.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PYTHON ?= python3
UV_VERSION := 0.13.9
UV := .tools/bin/uv
VENV := .venv
BIN := $(VENV)/bin
MANIFEST := dbt_project/target/manifest.json
DBT_SOURCES := $(shell find dbt_project/models dbt_project/macros dbt_project/seeds -type f 2>/dev/null) dbt_project/dbt_project.yml

export DAGSTER_HOME ?= $(CURDIR)/.dagster_home
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DO_NOT_TRACK := 1
export UV_COMPILE_BYTECODE := 1
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(CURDIR)/$(VENV)
# SQL for `make sql`, passed through the environment so its quotes survive the shell untouched
export OGI_SQL := $(SQL)

.PHONY: run test dev lint format env clean help bench corpus sql docs docs-source
N ?= 1000
DEV_PORT ?= 3000

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

run: env $(MANIFEST) $(DAGSTER_HOME)/dagster.yaml  ## build the warehouse from OGI_RAW_DIR (default raw/) into OGI_WAREHOUSE
	$(BIN)/python scripts/refresh.py

test: env $(MANIFEST) $(DAGSTER_HOME)/dagster.yaml  ## the whole test suite (what CI runs)
	$(BIN)/pytest $(PYTEST_ARGS)

dev: env $(MANIFEST) $(DAGSTER_HOME)/dagster.yaml  ## the Dagster UI on http://127.0.0.1:3000 (DEV_PORT); Ctrl-C or kill stops all of it
	$(BIN)/python scripts/dev.py --port $(DEV_PORT)

bench: env  ## benchmark N synthetic reports end to end (default N=1000): per-stage time, reports/s, peak RSS
	$(BIN)/python -m bench.run $(N)

corpus: env  ## write N synthetic reports with expected values to warehouse/synthetic/ (OGI_CORPUS_DIR)
	$(BIN)/python -c "import sys; from pathlib import Path; from bench.synthetic.corpus import generate; \
	out = Path(sys.argv[1]); print(sum(1 for _ in generate(out, int(sys.argv[2]))), 'reports in', out)" \
	"$${OGI_CORPUS_DIR:-warehouse/synthetic}" $(N)

sql: env  ## the pinned DuckDB CLI on OGI_WAREHOUSE, read-only (safe during a refresh); SQL="..." runs one query
	$(BIN)/duckdb -readonly "$${OGI_WAREHOUSE:-warehouse/ogi.duckdb}" $(if $(SQL),-c "$$OGI_SQL")

docs: env $(MANIFEST)  ## dbt docs of the published warehouse as one file: warehouse/ogi.dbt-docs.html
	$(BIN)/python scripts/build_dbt_docs.py

docs-source: env  ## regenerate dbt_project/models/docs/codes.md from the seeds (after editing a seed)
	$(BIN)/python scripts/write_code_docs.py

lint: env  ## ruff (lint + format check), sqlfluff (duckdb dialect) and the import contracts (pyproject.toml)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/sqlfluff lint dbt_project/models dbt_project/macros
	$(BIN)/lint-imports --no-cache

format: env  ## apply ruff format and sqlfluff fixes
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
	$(BIN)/sqlfluff fix dbt_project/models

env: $(VENV)/.synced  ## create or update the environment from uv.lock

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python $(PYTHON)
	touch $@

$(MANIFEST): $(VENV)/.synced $(DBT_SOURCES)
	cd dbt_project && ../$(BIN)/dbt parse --profiles-dir . --quiet

$(DAGSTER_HOME)/dagster.yaml: orchestration/dagster.yaml
	mkdir -p $(DAGSTER_HOME)
	cp orchestration/dagster.yaml $@

clean:  ## remove the environment, build output and the local warehouse
	rm -rf $(VENV) .tools dbt_project/target dbt_project/logs $(DAGSTER_HOME) warehouse

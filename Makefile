# complaint-insight: the two commands a user needs are `make demo` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# uv from PATH, else the uv module of the system Python (installed by `make setup` when missing).
UV ?= $(shell command -v uv 2>/dev/null || echo "python3 -m uv")
RUN := $(UV) run --frozen
LANDING ?= data/landing
# Where `make demo` serves the dashboard (`make demo PORT=8600 HOST=0.0.0.0`); empty = complaints.yml.
PORT ?=
HOST ?=

.PHONY: help setup lint format test demo bench docs clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

.venv/.synced: pyproject.toml uv.lock
	@$(UV) --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	# Bytecode compiled once here: where PYTHONDONTWRITEBYTECODE is set (containers, CI) every
	# process would otherwise compile dbt, Prefect and pandas again (≈ 3.5 s per process start).
	$(UV) sync --frozen --extra spark --compile-bytecode
	@touch $@

# plotly.js's basic bundle for the dashboard's charts: a pinned npm release, checksum-checked
# (dashboards/chart_bundle.py). Offline, the charts use Streamlit's own plotly element instead.
CHART_BUNDLE := dashboards/static/plotly-basic.min.js

$(CHART_BUNDLE): dashboards/chart_bundle.py | .venv/.synced
	$(RUN) python -m dashboards.chart_bundle --force

setup: .venv/.synced $(CHART_BUNDLE) ## install the locked environment and the chart bundle

lint: setup ## ruff lint and format check
	$(RUN) ruff check .
	$(RUN) ruff format --check .

format: setup ## apply ruff fixes and formatting
	$(RUN) ruff check --fix .
	$(RUN) ruff format .

test: setup lint ## lint and run every test
	$(RUN) pytest

demo: setup ## generate sample data (if the landing folder is empty), run the pipeline, serve the dashboard
	@if [ -z "$$(ls -A $(LANDING) 2>/dev/null)" ]; then \
		echo "Generating the default sample into $(LANDING) ..."; \
		$(RUN) complaints generate --out $(LANDING); \
	else echo "Using the exports already in $(LANDING)"; fi
	@UV="$(UV)" PORT="$(PORT)" HOST="$(HOST)" bash scripts/demo_pipeline.sh

bench: setup ## run the benchmarks (large data; minutes)
	$(RUN) python benchmarks/run.py

clean: ## remove generated data and build artefacts
	rm -rf target logs data/warehouse.duckdb data/.warehouse.duckdb.* data/reports

# Bibblix: `make run` serves the demo, `make test` runs every test. Everything else is a helper.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install demo lint format audit bench bench-all bench-national bench-pages \
	bench-insights bench-borrow bench-search messages clean

$(BIN)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Bibblix needs Python 3.11 (set PYTHON=/path/to/python3.11)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

frontend/node_modules/.installed: frontend/package.json frontend/package-lock.json
	npm ci --prefix frontend --no-audit --no-fund --loglevel=error
	@touch $@

install: $(BIN)/.installed frontend/node_modules/.installed

run: install
	$(BIN)/python manage.py migrate --no-input -v 0
	$(BIN)/python manage.py load_demo_data
	@echo "Serving Bibblix at http://$(HOST):$(PORT)/ (Ctrl-C stops)"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

demo: install
	$(BIN)/python manage.py migrate --no-input -v 0
	$(BIN)/python manage.py load_demo_data

test: install
	@bash scripts/test.sh

lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

# Known vulnerabilities (pip-audit, npm audit --omit=dev); AUDIT_STRICT=1 fails when offline too.
audit: install
	@bash scripts/audit.sh

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# `make bench`: national scale (bench_national.py) and the quick benchmarks: 12 minutes on 2 quiet
# cores from nothing, under 5 with the national databases kept; `make bench-all` runs every bench_*.py.
bench: install
	@bash scripts/bench.sh

bench-all: install
	@BENCH_ALL=1 bash scripts/bench.sh

bench-national: install
	$(BIN)/python benchmarks/bench_national.py

bench-borrow: install
	$(BIN)/python benchmarks/bench_borrow.py

bench-search: install
	$(BIN)/python benchmarks/bench_search.py

bench-pages: install
	$(BIN)/python benchmarks/bench_pages.py

bench-insights: install
	$(BIN)/python benchmarks/bench_insights.py

messages: install
	@bash scripts/messages.sh

clean:
	rm -rf $(VENV) frontend/node_modules var

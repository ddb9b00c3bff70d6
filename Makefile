# Peerbrief: `make run` serves the app with demo data, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test lint format bench screenshots clean audit load lock

$(BIN)/peerbrief: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e .
	touch $@

$(VENV)/.test-deps: $(BIN)/peerbrief pyproject.toml constraints.txt
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $@

run: $(BIN)/peerbrief
	$(BIN)/peerbrief init-db
	$(BIN)/peerbrief demo --if-empty
	@echo
	@echo "  Peerbrief is at http://$(HOST):$(PORT)"
	@echo "  Demo login (synthetic data): demo@peerbrief.test / peerbrief-demo"
	@echo "  Demo team admin:             admin@peerbrief.test / peerbrief-demo"
	@echo
	PEERBRIEF_ENV=development $(BIN)/peerbrief run --host $(HOST) --port $(PORT)

# The suite runs on SQLite; with PEERBRIEF_PG_URL set (as .ci/run does) the persistence
# tests run a second time against that PostgreSQL server.
test: $(VENV)/.test-deps
	$(BIN)/ruff check .
	$(BIN)/bandit -q -r app citations --severity-level high
	$(BIN)/python .ci/audit_deps.py
	$(BIN)/pytest
	@if [ -n "$$PEERBRIEF_PG_URL" ]; then \
		echo "== persistence tests on PostgreSQL"; \
		PEERBRIEF_TEST_DATABASE_URL="$$PEERBRIEF_PG_URL" $(BIN)/pytest -m persistence; \
	fi

lint: $(VENV)/.test-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.test-deps
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Static security checks: bandit down to MEDIUM findings (`make test` fails on HIGH ones), and
# pip-audit over the installed packages. When its database cannot be reached nothing is
# audited: `make audit` then fails saying so; `make test` says so and goes on (offline CI).
audit: $(VENV)/.test-deps
	$(BIN)/bandit -r app citations --severity-level medium
	$(BIN)/python .ci/audit_deps.py --require

bench: $(VENV)/.test-deps
	@for b in bench/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

# PNGs of the case list and the workspace, from a real Chromium, into screenshots/.
screenshots: $(VENV)/.test-deps
	PEERBRIEF_SCREENSHOTS=screenshots $(BIN)/pytest tests/browser -q

clean:
	rm -rf $(VENV) screenshots .pytest_cache .ruff_cache

# A bounded load test on loopback: gunicorn on a throwaway database with the synthetic demo
# data, 50 simulated clinicians for 60 s, then throughput, p50/p95/p99 and errors; on SQLite,
# and on PostgreSQL too when PEERBRIEF_PG_URL is set. Never part of `make test`.
# `make load LOAD_ARGS="--users 10 --seconds 20"` for a shorter run.
$(VENV)/.load-deps: $(BIN)/peerbrief pyproject.toml constraints.txt
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[load,postgres]'
	touch $@

load: $(VENV)/.load-deps
	$(BIN)/python bench/load/run.py $(LOAD_ARGS)

# Pin every installed package to the version tested (constraints.txt): every install above
# takes exactly these, and `make audit` / `make test` audit exactly these. Run after changing
# pyproject.toml's dependencies, with the test and load extras installed.
lock: $(VENV)/.test-deps $(VENV)/.load-deps
	@{ echo "# The exact versions Peerbrief is tested with: \`make lock\` writes this file."; \
	   $(BIN)/python -m pip freeze --exclude-editable; } > constraints.txt

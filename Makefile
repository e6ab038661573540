# Morgue's tasks. `make run` and `make test` work on a fresh machine with Python >= 3.11
# and make: they create .venv and install what they need.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
INDEX  ?= var/index
HOST   ?= 127.0.0.1
PORT   ?= 8080

.PHONY: help install run index serve test bench bench-quick bench-report fuzz stress lint screenshot clean

help:
	@echo "make run          install, index corpus/ into $(INDEX), serve on http://$(HOST):$(PORT)"
	@echo "make test         install and run the test suite"
	@echo "make bench        run the benchmarks in bench/ (needs ../shared)"
	@echo "make bench-quick  a 5-minute version; make bench-report re-renders docs/benchmarks.md"
	@echo "make fuzz         10 minutes of coverage-guided fuzzing (atheris)"
	@echo "make stress       the long reliability tests (kills, load, 10k pages under queries)"
	@echo "make lint         ruff over the code"
	@echo "make screenshot   docs/screenshot.png of the search page (needs chromium)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,cluster]'
	touch $@

$(VENV)/.bench-installed: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test,cluster,bench]'
	touch $@

install: $(VENV)/.installed

index: install
	$(BIN)/morgue index --index $(INDEX) corpus/

run: index
	$(BIN)/morgue serve --index $(INDEX) --host $(HOST) --port $(PORT)

serve: install
	$(BIN)/morgue serve --index $(INDEX) --host $(HOST) --port $(PORT)

test: install
	$(BIN)/python -m pytest -q

bench: $(VENV)/.bench-installed
	@command -v wrk >/dev/null || echo "note: wrk not found (apt-get install -y wrk); web_load will be reported as not run"
	$(BIN)/python -m bench.run_all

bench-quick: $(VENV)/.bench-installed
	@command -v wrk >/dev/null || echo "note: wrk not found (apt-get install -y wrk); web_load will be reported as not run"
	$(BIN)/python -m bench.run_all --quick

bench-report: $(VENV)/.bench-installed
	$(BIN)/python -m bench.report

fuzz: install
	$(BIN)/python -m tests.fuzz.run --seconds 600

stress: install
	MORGUE_STRESS=1 $(BIN)/python -m pytest -q -s -m "slow or figures" tests/test_reliability_inputs.py tests/test_reliability_crash.py tests/test_reliability_web.py


lint: install
	$(BIN)/python -m pip install --quiet ruff
	$(BIN)/ruff check morgue search indexer web tests bench

screenshot: index
	$(BIN)/python -m tests.browser docs/screenshot.png --index $(INDEX)

clean:
	rm -rf var .pytest_cache

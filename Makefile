# Morgue's tasks. `make run` and `make test` work on a fresh machine with Python >= 3.11
# and make: they create .venv and install what they need.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
INDEX  ?= var/index
HOST   ?= 127.0.0.1
PORT   ?= 8080

.PHONY: help install run index serve test bench bench-quick bench-report bench-latency bench-1m fuzz stress lint docs screenshot clean

help:
	@echo "make run          install, index corpus/ into $(INDEX), serve on http://$(HOST):$(PORT)"
	@echo "make test         install and run the test suite"
	@echo "make bench        run the benchmarks in bench/ (needs ../shared)"
	@echo "make bench-quick  a 5-minute version; make bench-report re-renders docs/benchmarks.md"
	@echo "make bench-latency  search latency, every query new, Morgue vs FTS5 at 20k and 100k articles"
	@echo "make bench-1m     build and query 1,000,000 articles (a day on 2 cores; SCALE=N for another size)"
	@echo "make fuzz         20 minutes of coverage-guided fuzzing (atheris): 10 for each of 2 targets"
	@echo "make stress       the long reliability tests (kills, load, 10k pages under queries)"
	@echo "make lint         ruff over the code"
	@echo "make docs         rewrite docs/cli.md from the click commands (a test fails when it is stale)"
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

bench-latency: $(VENV)/.bench-installed
	$(BIN)/python -m bench.latency --sizes 20000,100000 --engines morgue,fts5

SCALE ?= 1000000
bench-1m: $(VENV)/.bench-installed
	@command -v wrk >/dev/null || echo "note: wrk not found (apt-get install -y wrk); the web step will be skipped"
	$(BIN)/python -m bench.scale --articles $(SCALE)

fuzz: install
	$(BIN)/python -m tests.fuzz.run --seconds 600  # per target: extract and query, 20 minutes in all

stress: install
	MORGUE_STRESS=1 $(BIN)/python -m pytest -q -s -m slow tests/test_reliability_inputs.py tests/test_reliability_crash.py tests/test_reliability_web.py


lint: install
	$(BIN)/python -m pip install --quiet ruff
	$(BIN)/ruff check morgue search indexer web tests bench

docs: install
	$(BIN)/python docs/cli_reference.py

screenshot: index
	$(BIN)/python -m tests.browser docs/screenshot.png --index $(INDEX)

clean:
	rm -rf var .pytest_cache

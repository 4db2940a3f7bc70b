# Quick start: `make build` then `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: build build-mois test-stores-national site test lint venv clean browser serve loadtest test-tools benchmark yasgui

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

venv: $(STAMP)

# The national graph: the curated records and every body's law-derived records (data/derived/).
build: $(STAMP)
	$(BIN)/govkg build --derived data/derived

# The MOIS layer alone (data/derived/행정안전부), about a tenth of the national graph.
build-mois: $(STAMP)
	$(BIN)/govkg build --derived data/derived/행정안전부

# The example queries on the national build/ (make build) in a real Virtuoso and Oxigraph server,
# each within its default limits, against the embedded store's rows (tests/test_stores_at_scale.py).
test-stores-national: $(STAMP) test-tools
	GOVKG_STORES_BUILD=build $(BIN)/python -m pytest -q tests/test_stores_at_scale.py

# The static site in build/site/, rewritten only where the build changed.
site: build yasgui
	$(BIN)/govkg site

# The suite on every core (at most 4), a test file to a worker: a file's module fixtures (its
# servers, its builds) are made once. A worker makes a session fixture only if its files use it.
test: $(STAMP) browser test-tools yasgui lint
	$(BIN)/python -m pytest -n auto --maxprocesses 4 --dist loadfile

# pyflakes, pycodestyle, import order and pyupgrade (configured in pyproject.toml).
lint: $(STAMP)
	$(BIN)/ruff check src tests scripts

# The independent tools the tests check our output with (raptor, serd, Virtuoso 7, the Oxigraph
# server, jsonld.js, shacl-engine, Comunica): installed only when missing.
test-tools: $(STAMP)
	PYTHON=$(BIN)/python bash scripts/install-test-tools.sh

# Debian's chromium and Korean fonts for the browser tests, installed only when missing.
browser:
	bash scripts/install-browser.sh

# The SPARQL page's editor, @zazuko/yasgui (MIT), into the package's static assets: fetched with
# npm pack and checked against its pinned sha512, only when missing (scripts/install-yasgui.sh).
yasgui:
	bash scripts/install-yasgui.sh

serve: $(STAMP) yasgui
	$(BIN)/govkg serve

# Drives a server on loopback with 50 clients for 30 s and reports throughput and latency.
loadtest: $(STAMP)
	$(BIN)/python scripts/loadtest.py

# Times the MOIS law import (from the corpus bundle) and the full build: wall time, peak memory.
benchmark: $(STAMP)
	$(BIN)/python scripts/benchmark.py

clean:
	rm -rf $(VENV) build .build.stores

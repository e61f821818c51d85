# kg: build, serve, test and benchmark.  `make serve` and `make test` do all set-up.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STORE  ?= data
HOST   ?= 127.0.0.1
PORT   ?= 5000
CHROMIUM ?= /usr/bin/chromium
VIRTUOSO ?= /usr/bin/virtuoso-t

.PHONY: install install-test browser virtuoso serve graph test bench bench-huge soak assets clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed  ## create .venv and install kg (editable) with its test extras

# Debian's Chromium (and a CJK font for readable screenshots) for the browser tests:
# no browser download, Playwright drives this one
browser:
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null; fi; fi

# Debian's OpenLink Virtuoso 7.2 for the tests of the external store (tests/sparql_servers.py
# starts it on 127.0.0.1 with an ini and a database of its own). Only the binaries package of
# Debian's virtuoso-opensource: virtuoso-opensource-7 would add a system service with its own
# database and a default ini that listens on every interface.
virtuoso:
	@if [ ! -x $(VIRTUOSO) ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq virtuoso-opensource-7-bin >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq virtuoso-opensource-7-bin >/dev/null; fi; fi

# the graph is rebuilt when the corpus, the ontology or the extractor changed
$(STORE)/.built: $(VENV)/.installed $(wildcard corpus/*) $(wildcard ontology/*.ttl) $(shell find src/kg -name '*.py' -not -path '*/web/*' -not -path '*/qa/*' 2>/dev/null)
	$(BIN)/kg --store $(STORE) ingest corpus
	touch $@

graph: $(STORE)/.built  ## build the graph from corpus/

serve: graph  ## install, build the graph when missing or stale, serve the UI on http://$(HOST):$(PORT)/
	$(BIN)/kg --store $(STORE) serve --host $(HOST) --port $(PORT)

test: install browser virtuoso  ## install test needs and run the whole suite
	$(BIN)/python -m pytest

bench: install  ## benchmarks: ratios against baselines measured in the same run (questions at 100 and 1,000 reports)
	$(BIN)/python bench/run.py --scale --skip-checks

bench-huge: install  ## optional: questions, start-up and memory of `kg serve` at 3,000 and 10,000 reports (stores kept in bench/out/huge: ~15 GB, ~1 hour to build)
	$(BIN)/python bench/run.py --only ask,serve --scale --huge --store-dir bench/out/huge

soak: install browser  ## minutes of mixed load (asks, SPARQL, pages, uploads) on 127.0.0.1: latency and RSS over time
	$(BIN)/python bench/soak.py

# The SPARQL editor's libraries (CodeMirror 6, codemirror-lang-sparql) at the versions of
# package-lock.json, bundled into web/static/vendor/ with their licences. The bundle is committed:
# only rebuilding it needs node and npm; `make serve` and `make test` do not.
assets:  ## rebuild web/static/vendor/ from package.json and package-lock.json (needs node and npm)
	npm ci --no-audit --no-fund
	node web/vendor-src/build.mjs

clean:
	rm -rf $(STORE) test-artifacts bench/out

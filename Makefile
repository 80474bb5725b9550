# Two entry points: `make run` (set up, index if needed, start the chat page) and
# `make test` (set up, then run the whole test suite). Both create .venv/ on first use.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export GRADIO_ANALYTICS_ENABLED := False
export ANONYMIZED_TELEMETRY := False

.PHONY: install run test index bench browser postgres clean

install: $(STAMP)

# torch first and pinned: a CPU build of 2.13.0 lies on this machine's disk; unpinned,
# pip would fetch a multi-GB CUDA build.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check -q torch==2.13.0
	$(BIN)/python -m pip install --disable-pip-version-check -q -e ".[test]"
	touch $(STAMP)

# Debian's chromium drives the browser tests; Playwright never downloads its own browser.
browser:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -q && apt-get install -y -q chromium; }

# Debian's PostgreSQL backs the replica tests, which start their own cluster in a temporary folder.
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { apt-get update -q && apt-get install -y -q postgresql; }

index: install
	$(BIN)/assistant index

run: install
	$(BIN)/assistant index --if-missing
	$(BIN)/assistant serve

# Whatever of Chromium and PostgreSQL is missing comes in one apt-get run (one package-list update, not two).
test: install
	@pkgs=""; command -v chromium >/dev/null 2>&1 || pkgs="chromium"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || pkgs="$$pkgs postgresql"; \
	if [ -n "$$pkgs" ]; then apt-get update -q && apt-get install -y -q $$pkgs; fi
	$(BIN)/python -m pytest -q

bench: install
	$(BIN)/python benchmarks/bench_latency.py

clean:
	rm -rf $(VENV) data

# The two commands a newcomer needs: `make demo` and `make test`. Both bootstrap uv (into
# .tools/ when it is not on PATH) and the workspace virtualenv (.venv/) on a fresh machine.
SHELL := /bin/bash
UV := $(shell command -v uv 2>/dev/null || echo $(CURDIR)/.tools/bin/uv)
RUN := $(UV) run --frozen --all-packages
PYTEST_ARGS ?=

.PHONY: demo test test-fast bench lint sync clean

$(CURDIR)/.tools/bin/uv:
	python3 -m venv $(CURDIR)/.tools
	$(CURDIR)/.tools/bin/pip install --quiet uv

.venv/.synced: $(UV) uv.lock pyproject.toml core/pyproject.toml $(wildcard plugins/*/pyproject.toml)
	$(UV) sync --frozen --all-packages --compile-bytecode --quiet
	$(UV) run --frozen --all-packages python -m compileall -q core/src plugins >/dev/null
	@touch $@

sync: .venv/.synced

demo: sync
	$(RUN) runner run --domain mock --agent replay --user scripted --num-trials 2 --run-name demo

# CI runs `make test`, so the lint is part of it (ruff about a second, mypy under a minute).
test: sync lint
	$(RUN) pytest $(PYTEST_ARGS)

test-fast: sync
	$(RUN) pytest -m "not slow" $(PYTEST_ARGS)

bench: sync
	$(RUN) python bench/run_all.py

lint: sync
	$(RUN) ruff check core plugins tests bench
	$(RUN) ruff format --check core plugins tests bench
	$(RUN) mypy core/src/runner $(wildcard plugins/*/src)
	$(RUN) vulture core/src $(wildcard plugins/*/src) .vulture_whitelist.py --min-confidence 80

clean:
	rm -rf .venv .tools

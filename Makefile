# The two commands a newcomer needs: `make demo` and `make test`. Both bootstrap uv (into
# .tools/ when it is not on PATH) and the workspace virtualenv (.venv/) on a fresh machine.
SHELL := /bin/bash
UV := $(shell command -v uv 2>/dev/null || echo $(CURDIR)/.tools/bin/uv)
RUN := $(UV) run --frozen --all-packages
PYTEST_ARGS ?=

.PHONY: demo test test-fast bench lint sync clean system-packages

$(CURDIR)/.tools/bin/uv:
	python3 -m venv $(CURDIR)/.tools
	$(CURDIR)/.tools/bin/pip install --quiet uv

.venv/.synced: $(UV) uv.lock pyproject.toml core/pyproject.toml $(wildcard plugins/*/pyproject.toml)
	$(UV) sync --frozen --all-packages --compile-bytecode --quiet
	$(UV) run --frozen --all-packages python -m compileall -q core/src plugins >/dev/null
	@touch $@

sync: .venv/.synced

# System packages features need: eSpeak NG, the offline speech synthesiser of runner-voice-local
# (docs/voice.md), and Chromium, the browser of the viewer's tests (docs/viewer.md). Installed
# with apt-get when missing (as root, or through sudo).
SYSTEM_PACKAGES := espeak-ng chromium
system-packages:
	@missing=""; for p in $(SYSTEM_PACKAGES); do command -v $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  sudo=""; [ "$$(id -u)" = 0 ] || sudo="sudo"; \
	  echo "installing system packages:$$missing (apt-get)"; \
	  $$sudo apt-get install -y -q $$missing >/dev/null 2>&1 || \
	  { $$sudo apt-get update -q >/dev/null 2>&1 && $$sudo apt-get install -y -q $$missing >/dev/null; } || \
	  echo "warning: could not install$$missing; the voice-local and viewer browser tests will fail"; \
	fi

demo: sync
	$(RUN) runner run --domain mock --agent replay --user scripted --num-trials 2 --run-name demo

# CI runs `make test`, so the lint is part of it (ruff about a second, mypy under a minute).
test: sync system-packages lint
	$(RUN) pytest $(PYTEST_ARGS)

test-fast: sync system-packages
	$(RUN) pytest -m "not slow" $(PYTEST_ARGS)

bench: sync system-packages
	$(RUN) python bench/run_all.py

lint: sync
	$(RUN) ruff check core plugins tests bench
	$(RUN) ruff format --check core plugins tests bench
	$(RUN) mypy core/src/runner $(wildcard plugins/*/src)
	$(RUN) vulture core/src $(wildcard plugins/*/src) .vulture_whitelist.py --min-confidence 80

clean:
	rm -rf .venv .tools

"""Helpers of the `runner run` end-to-end tests (the CLI in a subprocess)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
BATCH_FIXTURES = ROOT / "tests" / "core" / "batch"


@pytest.fixture(scope="session")
def runner_exe() -> str:
    exe = Path(sys.executable).parent / "runner"
    assert exe.exists(), f"the runner console script is missing at {exe}: run `make sync`"
    return str(exe)


@pytest.fixture
def run_env() -> dict[str, str]:
    """Only runner-mock (plus -p modules) is loaded; the batch test plugin is importable."""
    env = dict(os.environ)
    env["RUNNER_LOAD_PLUGINS"] = "runner-mock"
    env.pop("RUNNER_PLUGINS", None)
    env.pop("RUNNER_DISABLE_PLUGINS", None)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(BATCH_FIXTURES), env.get("PYTHONPATH")]))
    return env

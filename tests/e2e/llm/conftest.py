"""Fixtures of the LLM end-to-end tests: `runner run` in a subprocess with LLM participants whose
models are the local test server (in this process, on a thread) playing a scripted oracle."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from llm_e2e_helpers import HERE, oracle
from runner.testing import LLMTestServer


@pytest.fixture
def llm_server() -> Iterator[LLMTestServer]:
    with LLMTestServer(responder=oracle(), record_bodies=False) as server:
        yield server


@pytest.fixture(scope="session")
def runner_exe() -> str:
    exe = Path(sys.executable).parent / "runner"
    assert exe.exists(), f"the runner console script is missing at {exe}: run `make sync`"
    return str(exe)


@pytest.fixture
def run_env() -> dict[str, str]:
    env = dict(os.environ)
    env["RUNNER_LOAD_PLUGINS"] = "runner-mock,runner-agents,runner-users"
    env.pop("RUNNER_PLUGINS", None)
    env.pop("RUNNER_DISABLE_PLUGINS", None)
    env.pop("OPENAI_API_KEY", None)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(HERE), env.get("PYTHONPATH")]))
    return env

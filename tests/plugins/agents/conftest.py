"""Fixtures for the agent SDK tests: a local OpenAI-compatible server reached through the real
gateway and litellm, and a RunConfig pointing every agent at it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from runner.testing import LLMTestServer

MODEL = "openai/test-model"


@pytest.fixture
def llm_server() -> Iterator[LLMTestServer]:
    with LLMTestServer() as server:
        yield server


@pytest.fixture
def gateway() -> Any:
    from runner.llm import LLMGateway

    return LLMGateway(max_retries=3, timeout=10, backoff_base=0.01, backoff_max=0.05)


@pytest.fixture
def run_config(llm_server: LLMTestServer, gateway: Any) -> Any:
    from runner_agents import ModelSettings, RunConfig

    return RunConfig(
        gateway=gateway, model_settings=ModelSettings(extra_args=llm_server.litellm_kwargs())
    )

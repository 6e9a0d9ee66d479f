"""Fixtures for the LLM gateway tests: a local test server and a gateway with fast backoff."""

from __future__ import annotations

import pytest
from runner.llm import LLMGateway
from runner.testing import llm_server_fixture

llm_server = pytest.fixture(llm_server_fixture())

API_KEY = "sk-test-DO-NOT-LEAK-4f9a2c"


@pytest.fixture
def gateway() -> LLMGateway:
    """Retries with millisecond backoff so fault tests stay fast. Through litellm: these tests
    are about litellm's path (``auto`` would send the local server's calls direct);
    ``test_llm_direct.py`` and ``test_llm_routing.py`` cover the others."""
    return LLMGateway(
        max_retries=5, timeout=5, backoff_base=0.001, backoff_max=0.01, transport="litellm"
    )


@pytest.fixture
def api_key() -> str:
    """A fake key that must never show up in errors, logs or cache files."""
    return API_KEY


@pytest.fixture
def server_args(llm_server, api_key) -> dict[str, str]:
    return llm_server.litellm_kwargs(api_key)

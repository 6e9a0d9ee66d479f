"""Test helpers for code that calls LLMs (public: plugin authors use them in their own tests).

``LLMTestServer`` is a local OpenAI-compatible server with scripted replies, latency and
faults; ``reply`` builds its replies; ``llm_server_fixture`` turns it into a pytest fixture::

    # conftest.py
    import pytest
    from runner.testing import llm_server_fixture

    llm_server = pytest.fixture(llm_server_fixture())

    # test_my_agent.py
    from runner.testing import reply

    async def test_agent_answers(llm_server):
        llm_server.add(reply.text("Hello!"))
        response = await get_gateway().complete("openai/test", messages, **llm_server.litellm_kwargs())

See docs/llm.md. Names resolve lazily so importing ``runner.testing`` stays cheap.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

_EXPORTS: dict[str, str] = {
    "FakeDomain": "runner.testing.fake_domain",
    "FaultPlan": "runner.testing.llm_server",
    "OracleResponder": "runner.testing.oracle",
    "LLMTestServer": "runner.testing.llm_server",
    "RecordedRequest": "runner.testing.llm_server",
    "Reply": "runner.testing.replies",
    "ServerStats": "runner.testing.llm_server",
    "ServerProcess": "runner.testing.server_process",
    "llm_server_process": "runner.testing.server_process",
    "raise_open_file_limit": "runner.testing.server_process",
    "server_stats": "runner.testing.server_process",
}

__all__ = sorted([*_EXPORTS, "reply", "llm_server_fixture"])


def __getattr__(name: str) -> Any:
    if name == "reply":
        value = importlib.import_module("runner.testing.replies")
    elif name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name]), name)
    else:
        raise AttributeError(f"module 'runner.testing' has no attribute {name!r}")
    globals()[name] = value
    return value


def llm_server_fixture(**options: Any) -> Callable[[], Iterator[LLMTestServer]]:
    """A generator function to wrap with ``pytest.fixture``: it yields a started
    :class:`LLMTestServer` (in its own thread, so it serves sync and async tests alike) and
    stops it afterwards. ``options`` go to the server (``latency=``, ``faults=``, ``default=``,
    ...); scripts are usually added in the test with ``server.add(...)``.

    Not a fixture itself so that this module never imports pytest; wrap it with any scope:
    ``pytest.fixture(llm_server_fixture(), scope="module", name="llm_server")``.
    """

    def fixture() -> Iterator[LLMTestServer]:
        from runner.testing.llm_server import LLMTestServer

        with LLMTestServer(**options) as server:
            yield server

    return fixture


if TYPE_CHECKING:
    from runner.testing import replies as reply  # noqa: F401
    from runner.testing.fake_domain import FakeDomain  # noqa: F401
    from runner.testing.llm_server import (  # noqa: F401
        FaultPlan,
        LLMTestServer,
        RecordedRequest,
        ServerStats,
    )
    from runner.testing.oracle import OracleResponder  # noqa: F401
    from runner.testing.replies import Reply  # noqa: F401

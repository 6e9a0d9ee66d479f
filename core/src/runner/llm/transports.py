"""The clients that send a gateway call: objects behind one interface.

The gateway owns everything around a call (arguments, cache, retries, timeouts, accounting);
a transport only sends one attempt and reads its answer. Adding a client is therefore a class
here and an entry in :data:`TRANSPORTS`, with no branch in the gateway. ``auto`` is not a
transport: :mod:`runner.llm.routing` resolves it to one of these names per call.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, Protocol

from runner.llm import provider
from runner.llm.errors import EmptyResponseError
from runner.llm.response import Usage


class Transport(Protocol):
    """One way of sending a chat completion."""

    name: str

    def prepare(self) -> None:
        """Work to do before the first attempt, outside its timeout (an import, say)."""

    async def complete(
        self, model: str, messages: list[dict[str, Any]], args: dict[str, Any], timeout: Any
    ) -> dict[str, Any]:
        """One attempt: the answer's parts (``content``, ``tool_calls``, ``usage``, ...), as
        :func:`runner.llm.response.build_response` takes them. Raises on failure (the gateway
        classifies and retries) and on an answer without any choice."""
        ...

    async def open_stream(
        self, model: str, messages: list[dict[str, Any]], args: dict[str, Any], timeout: Any
    ) -> AsyncIterator[Any]:
        """One streamed attempt: an async iterator of litellm-shaped chunks."""
        ...

    def price(self, model: str, usage: Usage, reported_cost: Any = None) -> float:
        """USD for one call of ``model`` that used ``usage``."""
        ...


def _no_choice() -> EmptyResponseError:
    return EmptyResponseError("the provider answered without any choice")


class LiteLLMTransport:
    """Through litellm: any provider, with litellm's parameter mapping (its own retries off)."""

    name = "litellm"

    def prepare(self) -> None:
        provider.load_litellm()  # its import takes seconds: not inside an attempt's timeout

    async def complete(
        self, model: str, messages: list[dict[str, Any]], args: dict[str, Any], timeout: Any
    ) -> dict[str, Any]:
        raw = await provider.acompletion(
            model=model, messages=messages, timeout=timeout, num_retries=0, max_retries=0, **args
        )
        if not getattr(raw, "choices", None):
            raise _no_choice()
        return provider.response_parts(raw)

    async def open_stream(
        self, model: str, messages: list[dict[str, Any]], args: dict[str, Any], timeout: Any
    ) -> AsyncIterator[Any]:
        return await provider.acompletion(  # type: ignore[no-any-return]
            model=model,
            messages=messages,
            timeout=timeout,
            stream=True,
            num_retries=0,
            max_retries=0,
            **args,
        )

    def price(self, model: str, usage: Usage, reported_cost: Any = None) -> float:
        return provider.compute_cost(model, usage, reported_cost)


class DirectTransport:
    """Straight to an OpenAI-compatible endpoint over pyreqwest (:mod:`runner.llm.direct`)."""

    name = "direct"

    def prepare(self) -> None:
        pass

    async def complete(
        self, model: str, messages: list[dict[str, Any]], args: dict[str, Any], timeout: Any
    ) -> dict[str, Any]:
        from runner.llm import direct

        answer = await direct.acompletion(model, messages, timeout=timeout, **args)
        if not answer.get("choices"):
            raise _no_choice()
        return direct.response_parts(answer)

    async def open_stream(
        self, model: str, messages: list[dict[str, Any]], args: dict[str, Any], timeout: Any
    ) -> AsyncIterator[Any]:
        from runner.llm import direct

        return direct.astream(model, messages, **args)

    def price(self, model: str, usage: Usage, reported_cost: Any = None) -> float:
        from runner.llm import direct

        return direct.compute_cost(model, usage)


#: The transports by name (what ``choose_transport`` returns).
TRANSPORTS: dict[str, Transport] = {t.name: t for t in (LiteLLMTransport(), DirectTransport())}

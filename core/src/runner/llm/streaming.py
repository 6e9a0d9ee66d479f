"""Assemble a streamed answer: chunks in, :class:`StreamEvent` deltas out, one response at the end.

The assembled response must equal what the non-streaming call returns for the same answer, so
an agent can switch between the two without its results changing. Also here: reading a stream
chunk by chunk under a timeout, closing it, and the events a cached response replays as.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from typing import Any

from runner.llm.provider import usage_from
from runner.llm.response import LLMResponse, LLMToolCall, StreamEvent, Usage, build_response

logger = logging.getLogger("runner.llm")


class StreamAssembler:
    """Accumulates stream chunks (OpenAI ``chat.completion.chunk`` shape): litellm's objects, or
    the direct transport's :class:`~runner.llm.direct.Chunk`."""

    def __init__(self) -> None:
        self.content: list[str] = []
        self.reasoning: list[str] = []
        self.calls: dict[int, dict[str, Any]] = {}
        self.finish_reason: str | None = None
        self.usage: Usage | None = None
        self.reported_cost: Any = None
        self.model = ""
        self.thinking_blocks: list[Any] = []

    def add(self, chunk: Any) -> Iterator[StreamEvent]:
        """Take one chunk; yield the deltas it carries."""
        self.model = self.model or getattr(chunk, "model", None) or ""
        usage = getattr(chunk, "usage", None)
        if usage is not None:
            self.usage = usage_from(usage)
            self.reported_cost = getattr(usage, "cost", None)
        for choice in getattr(chunk, "choices", None) or []:
            if choice.finish_reason:
                self.finish_reason = choice.finish_reason
            delta = choice.delta
            if delta is None:
                continue
            reasoning = getattr(delta, "reasoning_content", None)
            if reasoning:
                self.reasoning.append(reasoning)
                yield StreamEvent("reasoning", reasoning)
            blocks = getattr(delta, "thinking_blocks", None)
            if blocks:
                self.thinking_blocks.extend(dict(b) for b in blocks)
            if delta.content:
                self.content.append(delta.content)
                yield StreamEvent("text", delta.content)
            for call in getattr(delta, "tool_calls", None) or []:
                yield self._tool_call_delta(call)

    def _tool_call_delta(self, call: Any) -> StreamEvent:
        index = getattr(call, "index", None)
        if index is None:
            index = len(self.calls)
        state = self.calls.setdefault(index, {"id": None, "name": "", "arguments": []})
        function = getattr(call, "function", None)
        name = getattr(function, "name", None) if function is not None else None
        fragment = (getattr(function, "arguments", None) if function is not None else None) or ""
        new_id = getattr(call, "id", None)
        if new_id and not state["id"]:
            state["id"] = new_id
        if name:
            state["name"] += name
        state["arguments"].append(fragment)
        return StreamEvent(
            "tool_call", fragment, index=index, tool_call_id=new_id, name=name or None
        )

    def response(self, *, model: str, cost: float, latency: float, attempts: int) -> LLMResponse:
        tool_calls = [
            LLMToolCall(
                id=state["id"] or f"call_{index}",
                name=state["name"],
                arguments="".join(state["arguments"]),
            )
            for index, state in sorted(self.calls.items())
        ]
        return build_response(
            content="".join(self.content) if self.content else None,
            tool_calls=tool_calls,
            reasoning_content="".join(self.reasoning) or None,
            thinking_blocks=self.thinking_blocks or None,
            usage=self.usage or Usage(),
            cost=cost,
            model=self.model or model,
            finish_reason=self.finish_reason,
            latency=latency,
            attempts=attempts,
        )


async def next_chunk(iterator: Any, timeout: float | None) -> Any:
    """The next chunk, or ``None`` at the end of the stream."""
    try:
        if timeout is None:
            return await iterator.__anext__()
        async with asyncio.timeout(timeout):
            return await iterator.__anext__()
    except StopAsyncIteration:
        return None


async def close_stream(iterator: Any) -> None:
    """Close a provider's stream (releasing its connection), quietly if it is broken."""
    close = getattr(iterator, "aclose", None)
    if close is not None:
        try:
            await close()
        except Exception:  # closing a broken stream must not hide the real outcome
            logger.debug("closing an LLM stream failed", exc_info=True)


def replay(response: LLMResponse) -> list[StreamEvent]:
    """The events a cached response streams as: its parts as single deltas, then itself."""
    events: list[StreamEvent] = []
    if response.reasoning_content:
        events.append(StreamEvent("reasoning", response.reasoning_content))
    if response.content:
        events.append(StreamEvent("text", response.content))
    for index, call in enumerate(response.tool_calls):
        events.append(
            StreamEvent(
                "tool_call", call.arguments, index=index, tool_call_id=call.id, name=call.name
            )
        )
    events.append(StreamEvent("response", response=response))
    return events

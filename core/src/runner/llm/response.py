"""What one LLM call returns: :class:`LLMResponse` (and the streaming :class:`StreamEvent`).

Provider-neutral and JSON-serialisable, so a response can be cached on disk, replayed
byte-for-byte, and stored in results without dragging ``litellm`` objects along. ``message`` is
the assistant turn exactly as it must be appended to the history for the next call (tool calls
and reasoning content included: thinking models expect their reasoning back).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, Field


class Usage(BaseModel):
    """Token counts the provider reported (0 when it reported none)."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0


class LLMToolCall(BaseModel):
    """A tool call as the model sent it; ``arguments`` is the raw JSON text, unparsed, because
    a model may send invalid JSON and the caller decides what that means."""

    id: str
    name: str
    arguments: str = ""

    def parsed_arguments(self) -> dict[str, Any]:
        """The arguments as a dict; raises ``ValueError`` when they are not a JSON object."""
        value = json.loads(self.arguments) if self.arguments.strip() else {}
        if not isinstance(value, dict):
            raise ValueError(f"tool call arguments are not a JSON object: {self.arguments!r}")
        return value


class LLMResponse(BaseModel):
    """One completed LLM call.

    ``cost`` is in USD from litellm's local price list (0.0 for a model it does not know).
    ``latency`` is the seconds the caller waited, retries included. ``cached`` is true when the
    response was replayed from the on-disk cache (everything else is then as recorded).
    """

    content: str | None = None
    tool_calls: list[LLMToolCall] = Field(default_factory=list)
    reasoning_content: str | None = None
    message: dict[str, Any] = Field(default_factory=dict)
    usage: Usage = Field(default_factory=Usage)
    cost: float = 0.0
    model: str = ""
    finish_reason: str | None = None
    latency: float = 0.0
    cached: bool = False
    attempts: int = 1


StreamEventKind = Literal["text", "reasoning", "tool_call", "response"]


@dataclass(frozen=True, slots=True)
class StreamEvent:
    """One event of :meth:`LLMGateway.stream`.

    ``text``: a piece of the answer (``kind="text"``), of the reasoning (``"reasoning"``) or of
    a tool call's arguments (``"tool_call"``; the first delta of each call also carries
    ``tool_call_id`` and ``name``; ``index`` says which call). The last event has
    ``kind="response"`` and the assembled :class:`LLMResponse`, identical to what
    :meth:`LLMGateway.complete` returns for the same answer.
    """

    kind: StreamEventKind
    text: str = ""
    index: int | None = None
    tool_call_id: str | None = None
    name: str | None = None
    response: LLMResponse | None = None


def assistant_message(
    content: str | None,
    tool_calls: list[LLMToolCall],
    reasoning_content: str | None,
    thinking_blocks: list[Any] | None = None,
) -> dict[str, Any]:
    """The OpenAI-format assistant message to append to the history."""
    message: dict[str, Any] = {"role": "assistant", "content": content}
    if tool_calls:
        message["tool_calls"] = [
            {"id": c.id, "type": "function", "function": {"name": c.name, "arguments": c.arguments}}
            for c in tool_calls
        ]
    if reasoning_content:
        message["reasoning_content"] = reasoning_content
    if thinking_blocks:
        message["thinking_blocks"] = thinking_blocks
    return message


def build_response(
    *,
    content: str | None,
    tool_calls: list[LLMToolCall],
    reasoning_content: str | None,
    thinking_blocks: list[Any] | None,
    usage: Usage,
    cost: float,
    model: str,
    finish_reason: str | None,
    latency: float,
    attempts: int,
) -> LLMResponse:
    """One place that turns assembled parts into a response (streaming and not)."""
    return LLMResponse(
        content=content,
        tool_calls=tool_calls,
        reasoning_content=reasoning_content or None,
        message=assistant_message(content, tool_calls, reasoning_content, thinking_blocks),
        usage=usage,
        cost=cost,
        model=model,
        finish_reason=finish_reason,
        latency=latency,
        attempts=attempts,
    )

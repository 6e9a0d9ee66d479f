"""What the local test LLM server answers: scripted replies and injected faults.

A :class:`Reply` describes one HTTP answer of :class:`~runner.testing.llm_server.LLMTestServer`:
either a normal chat completion (text, tool calls, reasoning) or a fault (an HTTP error, a hang,
a malformed body). Build them with the helpers rather than by hand::

    from runner.testing import reply

    reply.text("Hello!")
    reply.text("The answer is 4.", reasoning="2 + 2 = 4")
    reply.tool_calls([("get_order", {"order_id": "#W1"})])
    reply.rate_limit(retry_after=1)
    reply.context_overflow()

Plain data on purpose: a reply is built in the test's thread and read by the server's event
loop, so it must not be mutated after it was handed over.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

FaultKind = Literal[
    "rate_limit", "server_error", "timeout", "malformed", "invalid_tool_arguments", "unknown_tool"
]


@dataclass(frozen=True)
class ScriptedToolCall:
    """One tool call the server sends; ``arguments`` is the raw JSON text, sent as is."""

    name: str
    arguments: str
    id: str | None = None


@dataclass(frozen=True)
class Reply:
    """One answer of the test server.

    ``status`` 200 means a chat completion built from ``content``, ``tool_calls`` and
    ``reasoning``; anything else is an error answer with ``error`` as OpenAI's error object.
    ``hang`` makes the server wait ``hang`` seconds before answering (a client timeout fault).
    ``malformed`` sends a 200 whose body is not valid JSON. ``latency`` overrides the server's
    latency for this reply. ``usage`` overrides the token counts the server would estimate.
    ``raw`` is a JSON body sent verbatim with ``status`` (for shapes no helper builds).
    ``fault`` marks a well-formed answer that is nonetheless an injected fault (a tool call
    with broken arguments or an unknown tool), so the server counts it as one.
    """

    content: str | None = None
    tool_calls: tuple[ScriptedToolCall, ...] = ()
    reasoning: str | None = None
    finish_reason: str | None = None
    status: int = 200
    error: Mapping[str, Any] | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    hang: float | None = None
    malformed: bool = False
    latency: float | None = None
    usage: Mapping[str, int] | None = None
    fault: bool = False
    raw: Mapping[str, Any] | None = None

    @property
    def is_fault(self) -> bool:
        """Whether this answer is an error/fault rather than a normal completion."""
        return self.fault or self.status != 200 or self.malformed or self.hang is not None


def _arguments_text(arguments: Mapping[str, Any] | str) -> str:
    return arguments if isinstance(arguments, str) else json.dumps(dict(arguments))


def text(content: str, *, reasoning: str | None = None, **options: Any) -> Reply:
    """A plain assistant text answer, optionally with reasoning content (thinking models)."""
    return Reply(content=content, reasoning=reasoning, **options)


def tool_calls(
    calls: Iterable[tuple[str, Mapping[str, Any] | str] | ScriptedToolCall],
    *,
    content: str | None = None,
    reasoning: str | None = None,
    **options: Any,
) -> Reply:
    """An answer calling tools: ``[("name", {"arg": 1}), ...]``.

    Arguments given as a ``str`` are sent verbatim, which is how a test scripts a model that
    emits invalid JSON (``("get_order", '{"order_id": ')``); a name no tool has scripts a
    hallucinated tool.
    """
    scripted = tuple(
        call
        if isinstance(call, ScriptedToolCall)
        else ScriptedToolCall(call[0], _arguments_text(call[1]))
        for call in calls
    )
    return Reply(content=content, tool_calls=scripted, reasoning=reasoning, **options)


def error(
    status: int,
    message: str,
    *,
    type: str = "invalid_request_error",
    code: str | None = None,
    param: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> Reply:
    """An HTTP error in OpenAI's error format.

    ``{api_key}`` in ``message`` is replaced by the bearer token the client sent, which lets a
    test check that a provider echoing the key (as some do on 401) never leaks it further.
    """
    body = {"message": message, "type": type, "param": param, "code": code}
    return Reply(status=status, error=body, headers=dict(headers or {}))


def rate_limit(retry_after: float | None = 1.0) -> Reply:
    """A 429 with ``Retry-After`` (seconds) and ``retry-after-ms`` headers, like OpenAI's."""
    headers: dict[str, str] = {}
    if retry_after is not None:
        headers["retry-after"] = _seconds_header(retry_after)
        headers["retry-after-ms"] = str(int(retry_after * 1000))
    return error(
        429,
        "Rate limit reached for requests (test server).",
        type="requests",
        code="rate_limit_exceeded",
        headers=headers,
    )


def server_error(status: int = 500) -> Reply:
    """A 5xx: the provider failed (retryable)."""
    return error(
        status, "The server had an error while processing your request.", type="server_error"
    )


def context_overflow(limit: int = 128000, used: int = 130000) -> Reply:
    """OpenAI's 400 for a conversation longer than the model's context window."""
    return error(
        400,
        f"This model's maximum context length is {limit} tokens. However, your messages "
        f"resulted in {used} tokens. Please reduce the length of the messages.",
        code="context_length_exceeded",
        param="messages",
    )


def bad_request(message: str = "Invalid request (test server).") -> Reply:
    """A plain 400 (not retryable)."""
    return error(400, message)


def auth_error() -> Reply:
    """OpenAI's 401, echoing the (test) key the client sent, as real providers sometimes do."""
    return error(401, "Incorrect API key provided: {api_key}.", code="invalid_api_key")


def timeout(seconds: float = 30.0) -> Reply:
    """Hang for ``seconds`` before answering: longer than the client's timeout, but bounded."""
    return Reply(content="(late answer)", hang=seconds)


def malformed() -> Reply:
    """A 200 whose body is not valid JSON."""
    return Reply(malformed=True)


def raw(body: Mapping[str, Any], status: int = 200, *, fault: bool = False) -> Reply:
    """Send ``body`` as the JSON answer, verbatim (e.g. a completion without choices)."""
    return Reply(raw=dict(body), status=status, fault=fault)


def invalid_tool_arguments(name: str = "lookup") -> Reply:
    """A call of tool ``name`` whose arguments are not valid JSON (a model glitch)."""
    return Reply(tool_calls=(ScriptedToolCall(name, '{"query": "unterminated'),), fault=True)


def unknown_tool() -> Reply:
    """A call of a tool the request never offered (a hallucinated tool)."""
    return Reply(tool_calls=(ScriptedToolCall("no_such_tool", "{}"),), fault=True)


def fault(
    kind: FaultKind, *, retry_after: float = 0.05, hang: float = 30.0, tool: str = "lookup"
) -> Reply:
    """The reply for a fault kind named in a :class:`~runner.testing.llm_server.FaultPlan`;
    ``tool`` is the tool an ``invalid_tool_arguments`` fault calls."""
    if kind == "rate_limit":
        return rate_limit(retry_after)
    if kind == "server_error":
        return server_error()
    if kind == "timeout":
        return timeout(hang)
    if kind == "malformed":
        return malformed()
    if kind == "invalid_tool_arguments":
        return invalid_tool_arguments(tool)
    if kind == "unknown_tool":
        return unknown_tool()
    raise ValueError(
        f"unknown fault kind {kind!r}; use rate_limit, server_error, timeout, malformed, "
        "invalid_tool_arguments or unknown_tool"
    )


def _seconds_header(seconds: float) -> str:
    return str(int(seconds)) if float(seconds).is_integer() else f"{seconds:g}"

"""Between the conversation model and the chat format the gateway speaks.

LLM participants (the ``llm_agent`` family, the ``user_simulator``) and the NL judge keep a
model's history as OpenAI-format chat messages and turn each :class:`~runner.llm.LLMResponse`
into a trajectory message. These helpers do both directions, so each participant holds only
its own logic:

* :func:`to_chat` renders trajectory messages from one side's point of view. The agent sees
  the user's text as ``user`` and its own messages as ``assistant``; the user simulator sees the
  same conversation *flipped* (its own messages as ``assistant``). Each side sees only its own
  tool calls and their results, as in τ²-bench.
* :func:`participant_message` turns a response into an :class:`~runner.AssistantMessage` or
  :class:`~runner.UserMessage` with parsed tool calls, cost, usage and the reasoning content.
* :func:`tool_results` gives the chat messages for the results a participant receives.

Arguments a model sends that are not a JSON object are kept verbatim under
:data:`RAW_ARGUMENTS_KEY`: the call still goes to the environment, which answers with an error
the model can read and correct (every call and its result stay in the trajectory).
"""

from __future__ import annotations

import json
from typing import Any, Literal

from runner.models.messages import (
    AssistantMessage,
    MultiToolMessage,
    SystemMessage,
    ToolCall,
    ToolMessage,
    UserMessage,
)

Side = Literal["agent", "user"]
#: The argument key under which unparseable tool-call arguments are passed on, verbatim.
RAW_ARGUMENTS_KEY = "_raw_arguments"
_REQUESTOR = {"agent": "assistant", "user": "user"}


def parse_arguments(text: str) -> dict[str, Any]:
    """A tool call's JSON arguments as a dict; ``{RAW_ARGUMENTS_KEY: text}`` when they are not
    a JSON object (the environment then rejects the call with a readable error)."""
    if not text or not text.strip():
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {RAW_ARGUMENTS_KEY: text}
    return value if isinstance(value, dict) else {RAW_ARGUMENTS_KEY: text}


def arguments_text(arguments: dict[str, Any]) -> str:
    """The JSON text of a call's arguments (the raw text again for unparseable ones)."""
    raw = arguments.get(RAW_ARGUMENTS_KEY) if len(arguments) == 1 else None
    return raw if isinstance(raw, str) else json.dumps(arguments, default=str)


def _chat_call(call: ToolCall) -> dict[str, Any]:
    return {
        "id": call.id,
        "type": "function",
        "function": {"name": call.name, "arguments": arguments_text(call.arguments)},
    }


def _own_message(message: AssistantMessage | UserMessage) -> dict[str, Any]:
    """A side's own message as the ``assistant`` turn of its history (reasoning included)."""
    chat: dict[str, Any] = {"role": "assistant", "content": message.content}
    if message.tool_calls:
        chat["tool_calls"] = [_chat_call(c) for c in message.tool_calls]
    raw = message.raw_data or {}
    for key in ("reasoning_content", "thinking_blocks"):
        if raw.get(key):
            chat[key] = raw[key]
    return chat


def to_chat(messages: list[Any], side: Side) -> list[dict[str, Any]]:
    """Trajectory messages as the chat history of ``side`` (``"agent"`` or ``"user"``).

    The side's own messages become ``assistant`` turns (with their tool calls), the other
    side's plain text becomes ``user`` turns, and tool results go in only when this side made
    the call. The other side's tool traffic and system messages are left out.
    """
    own_type = AssistantMessage if side == "agent" else UserMessage
    other_type = UserMessage if side == "agent" else AssistantMessage
    requestor = _REQUESTOR[side]
    chat: list[dict[str, Any]] = []
    for message in messages:
        if isinstance(message, own_type):
            chat.append(_own_message(message))
        elif isinstance(message, other_type):
            if not message.tool_calls and message.content:
                chat.append({"role": "user", "content": message.content})
        elif isinstance(message, (ToolMessage, MultiToolMessage)):
            chat.extend(tool_results(message, requestor))
        elif not isinstance(message, SystemMessage):
            raise TypeError(f"not a conversation message: {type(message).__name__}")
    return chat


def tool_results(message: Any, requestor: str | None = None) -> list[dict[str, Any]]:
    """The ``tool`` chat messages for a :class:`ToolMessage` or :class:`MultiToolMessage`
    (only the results of ``requestor``'s calls when it is given)."""
    results = message.tool_messages if isinstance(message, MultiToolMessage) else [message]
    return [
        {"role": "tool", "tool_call_id": r.id, "content": r.content or ""}
        for r in results
        if requestor is None or r.requestor == requestor
    ]


def participant_message(response: Any, side: Side) -> AssistantMessage | UserMessage:
    """The trajectory message for one model response of ``side``.

    Tool calls get ``requestor`` set to the side; ``cost`` and ``usage`` come from the
    response; reasoning (``reasoning_content``, ``thinking_blocks``), the model and the finish
    reason go to ``raw_data`` so the history can be rebuilt with them.
    """
    requestor = _REQUESTOR[side]
    calls = [
        ToolCall(id=c.id, name=c.name, arguments=parse_arguments(c.arguments), requestor=requestor)
        for c in response.tool_calls
    ]
    raw: dict[str, Any] = {"model": response.model, "finish_reason": response.finish_reason}
    for key in ("reasoning_content", "thinking_blocks"):
        value = response.message.get(key)
        if value:
            raw[key] = value
    # Whether the response came from the gateway's cache is deliberately not recorded: a
    # cached re-run must give byte-identical results (timestamps and ids aside).
    cls = AssistantMessage if side == "agent" else UserMessage
    return cls(
        content=response.content,
        tool_calls=calls or None,
        cost=response.cost,
        usage=response.usage.model_dump(),
        raw_data=raw,
    )


def transcript(messages: list[Any]) -> str:
    """A plain-text rendering of a trajectory, one line per message (for judges and logs):
    ``user: ...``, ``assistant: ...``, tool calls as ``assistant calls name({...})`` and
    results as ``tool: ...``."""
    lines: list[str] = []
    for message in messages:
        if isinstance(message, MultiToolMessage):
            lines.extend(f"tool: {m.content}" for m in message.tool_messages)
            continue
        role = message.role
        if role == "system":
            continue
        if message.content:
            lines.append(f"{role}: {message.content}")
        for call in getattr(message, "tool_calls", None) or []:
            lines.append(f"{role} calls {call.name}({arguments_text(call.arguments)})")
    return "\n".join(lines)

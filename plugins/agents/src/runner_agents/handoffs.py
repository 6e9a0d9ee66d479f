"""Handoffs: an agent passes the conversation to another agent.

Each handoff is offered to the model as a tool named ``transfer_to_<agent name>``; when the
model calls it, the target agent takes over the same conversation (optionally reshaped by an
``input_filter``) and the run continues with it. ``Agent(handoffs=[other])`` is shorthand for
``handoff(other)``.
"""

from __future__ import annotations

import inspect
import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from runner_agents.exceptions import ModelBehaviorError, UserError
from runner_agents.items import (
    HandoffCallItem,
    HandoffOutputItem,
    RunItem,
    ToolCallItem,
    ToolCallOutputItem,
)
from runner_agents.run_context import RunContextWrapper

if TYPE_CHECKING:
    from runner_agents.agent import Agent


@dataclass(frozen=True)
class HandoffInputData:
    """The conversation the next agent will see, split in three parts an ``input_filter`` may
    rewrite: the run's input, the items before this turn, and this turn's items (which end with
    the handoff call and its output)."""

    input_history: tuple[dict[str, Any], ...]
    pre_handoff_items: tuple[RunItem, ...]
    new_items: tuple[RunItem, ...]
    run_context: RunContextWrapper[Any] | None = None

    def clone(self, **changes: Any) -> HandoffInputData:
        return replace(self, **changes)


HandoffInputFilter = Callable[[HandoffInputData], "HandoffInputData | Awaitable[HandoffInputData]"]


@dataclass
class Handoff:
    """A handoff offered to the model as a tool."""

    tool_name: str
    tool_description: str
    agent: Agent[Any]
    input_json_schema: dict[str, Any] = field(
        default_factory=lambda: {"type": "object", "properties": {}, "additionalProperties": False}
    )
    on_invoke_handoff: Callable[[RunContextWrapper[Any], str], Awaitable[None]] | None = None
    input_filter: HandoffInputFilter | None = None

    @property
    def agent_name(self) -> str:
        return self.agent.name

    def openai_schema(self) -> dict[str, Any]:
        return {
            "type": "function",
            "function": {
                "name": self.tool_name,
                "description": self.tool_description,
                "parameters": self.input_json_schema,
            },
        }

    def output_text(self) -> str:
        """What the model sees as the handoff call's result."""
        return json.dumps({"assistant": self.agent_name})


def default_tool_name(agent: Agent[Any]) -> str:
    """``transfer_to_`` + the agent's name in lower snake case (tool names allow no spaces)."""
    return "transfer_to_" + (
        re.sub(r"[^a-zA-Z0-9_]+", "_", agent.name).strip("_").lower() or "agent"
    )


def default_tool_description(agent: Agent[Any]) -> str:
    extra = f" {agent.handoff_description}" if agent.handoff_description else ""
    return f"Handoff to the {agent.name} agent to handle the request.{extra}"


def handoff(
    agent: Agent[Any],
    *,
    tool_name_override: str | None = None,
    tool_description_override: str | None = None,
    on_handoff: Callable[..., Any] | None = None,
    input_type: Any = None,
    input_filter: HandoffInputFilter | None = None,
) -> Handoff:
    """A handoff to ``agent``.

    ``on_handoff(ctx)`` (sync or async) runs when the model takes the handoff; with
    ``input_type`` (a pydantic model or any type pydantic validates) the model must send
    arguments of that shape and the callback is ``on_handoff(ctx, value)``. ``input_filter``
    rewrites the conversation the target agent receives (see :func:`remove_all_tools`).
    """
    if input_type is not None and on_handoff is None:
        raise UserError(
            "handoff(input_type=...) needs an on_handoff callback to receive the input."
        )
    schema: dict[str, Any] = {"type": "object", "properties": {}, "additionalProperties": False}
    adapter = None
    if input_type is not None:
        from pydantic import TypeAdapter

        adapter = TypeAdapter(input_type)
        schema = adapter.json_schema()

    async def invoke(ctx: RunContextWrapper[Any], arguments: str) -> None:
        if on_handoff is None:
            return
        if adapter is None:
            result = on_handoff(ctx)
        else:
            try:
                value = adapter.validate_json(arguments or "{}")
            except Exception as exc:
                raise ModelBehaviorError(
                    f"Invalid input for handoff to {agent.name}: {exc}"
                ) from exc
            result = on_handoff(ctx, value)
        if inspect.isawaitable(result):
            await result

    return Handoff(
        tool_name=tool_name_override or default_tool_name(agent),
        tool_description=tool_description_override or default_tool_description(agent),
        agent=agent,
        input_json_schema=schema,
        on_invoke_handoff=invoke,
        input_filter=input_filter,
    )


def remove_all_tools(data: HandoffInputData) -> HandoffInputData:
    """An input filter: the next agent sees the conversation without any tool or handoff calls
    and results (only what was said)."""
    tool_items = (ToolCallItem, ToolCallOutputItem, HandoffCallItem, HandoffOutputItem)

    def keep_items(items: tuple[RunItem, ...]) -> tuple[RunItem, ...]:
        return tuple(i for i in items if not isinstance(i, tool_items))

    history: list[dict[str, Any]] = []
    for message in data.input_history:
        if message.get("role") == "tool":
            continue
        if message.get("tool_calls"):
            if not message.get("content"):
                continue
            message = {k: v for k, v in message.items() if k != "tool_calls"}
        history.append(message)
    return data.clone(
        input_history=tuple(history),
        pre_handoff_items=keep_items(data.pre_handoff_items),
        new_items=keep_items(data.new_items),
    )

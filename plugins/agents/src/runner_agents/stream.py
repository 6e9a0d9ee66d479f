"""Events of a streamed run (``Runner.run_streamed(...).stream_events()``).

Three kinds, distinguished by ``type``:

- ``raw_response_event``: a delta from the model as it arrives (the gateway's stream event:
  text, tool-call or reasoning pieces, then the complete response);
- ``run_item_stream_event``: a run item was created; ``name`` says which: ``message_output_created``,
  ``tool_called``, ``tool_output``, ``handoff_requested``, ``handoff_occurred``,
  ``reasoning_item_created``;
- ``agent_updated_stream_event``: a new agent took over (the starting agent, then after each
  handoff).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from runner_agents.items import (
    HandoffCallItem,
    HandoffOutputItem,
    MessageOutputItem,
    ReasoningItem,
    RunItem,
    ToolCallItem,
    ToolCallOutputItem,
)

if TYPE_CHECKING:
    from runner_agents.agent import Agent

RunItemEventName = Literal[
    "message_output_created",
    "tool_called",
    "tool_output",
    "handoff_requested",
    "handoff_occurred",
    "reasoning_item_created",
]


@dataclass
class RawResponsesStreamEvent:
    """A raw delta from the model (``data``: the gateway's stream event)."""

    data: Any
    type: ClassVar[str] = "raw_response_event"


@dataclass
class RunItemStreamEvent:
    """A run item was created."""

    name: RunItemEventName
    item: RunItem
    type: ClassVar[str] = "run_item_stream_event"


@dataclass
class AgentUpdatedStreamEvent:
    """``new_agent`` is now the current agent."""

    new_agent: Agent[Any]
    type: ClassVar[str] = "agent_updated_stream_event"


StreamEvent = RawResponsesStreamEvent | RunItemStreamEvent | AgentUpdatedStreamEvent


def item_event(item: RunItem) -> RunItemStreamEvent:
    """The stream event announcing ``item``."""
    if isinstance(item, HandoffCallItem):
        name: RunItemEventName = "handoff_requested"
    elif isinstance(item, ToolCallItem):
        name = "tool_called"
    elif isinstance(item, ToolCallOutputItem):
        name = "tool_output"
    elif isinstance(item, HandoffOutputItem):
        name = "handoff_occurred"
    elif isinstance(item, MessageOutputItem):
        name = "message_output_created"
    elif isinstance(item, ReasoningItem):
        name = "reasoning_item_created"
    else:  # pragma: no cover - every item kind is listed above
        raise TypeError(f"unknown run item {type(item).__name__}")
    return RunItemStreamEvent(name=name, item=item)

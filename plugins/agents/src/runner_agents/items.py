"""Run items: what a run produces, one model message, tool call or handoff at a time.

Conversations are OpenAI chat messages (dicts with ``role``, ``content``, ``tool_calls``,
``tool_call_id``), the format of the gateway. A model response that says something and calls
two tools yields three items (a :class:`MessageOutputItem` and two :class:`ToolCallItem`), which
share a ``response_id``; :func:`items_to_messages` folds them back into the one assistant
message the model sent (the gateway's ``LLMResponse.message``: text, reasoning, tool calls), so
``RunResult.to_input_list()`` is a valid chat history.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from runner_agents.agent import Agent


@dataclass
class RunItemBase:
    """An item produced by ``agent``; ``raw_item`` is its chat-format payload."""

    agent: Agent[Any]
    raw_item: dict[str, Any]
    response_id: str | None = None
    type: ClassVar[str] = "run_item"

    def to_input_item(self) -> dict[str, Any] | None:
        """The chat message this item contributes to the history (``None``: nothing)."""
        return dict(self.raw_item)


@dataclass
class MessageOutputItem(RunItemBase):
    """Text the model wrote (``raw_item``: an assistant message without tool calls)."""

    type: ClassVar[str] = "message_output_item"

    @property
    def text(self) -> str:
        return self.raw_item.get("content") or ""


@dataclass
class ToolCallItem(RunItemBase):
    """A call the model made to a function tool (``raw_item``: an OpenAI ``tool_calls`` entry)."""

    type: ClassVar[str] = "tool_call_item"

    @property
    def name(self) -> str:
        return self.raw_item["function"]["name"]

    @property
    def arguments(self) -> str:
        return self.raw_item["function"].get("arguments") or ""

    @property
    def call_id(self) -> str:
        return self.raw_item["id"]

    def to_input_item(self) -> dict[str, Any] | None:
        return {"role": "assistant", "content": None, "tool_calls": [dict(self.raw_item)]}


@dataclass
class ToolCallOutputItem(RunItemBase):
    """A tool's result (``raw_item``: the ``tool`` message; ``output``: the Python value)."""

    output: Any = None
    type: ClassVar[str] = "tool_call_output_item"


@dataclass
class HandoffCallItem(ToolCallItem):
    """The model asked to hand the conversation to another agent."""

    type: ClassVar[str] = "handoff_call_item"


@dataclass
class HandoffOutputItem(RunItemBase):
    """A handoff took place (``raw_item``: the ``tool`` message answering the handoff call)."""

    source_agent: Agent[Any] | None = None
    target_agent: Agent[Any] | None = None
    type: ClassVar[str] = "handoff_output_item"


@dataclass
class ReasoningItem(RunItemBase):
    """Reasoning a thinking model returned with its answer (``raw_item``: an assistant message
    with ``reasoning_content`` and, for some providers, ``thinking_blocks``). It goes back to
    the model with the rest of its response: thinking models expect their reasoning back."""

    type: ClassVar[str] = "reasoning_item"

    @property
    def text(self) -> str:
        return self.raw_item.get("reasoning_content") or ""


RunItem = (
    MessageOutputItem
    | ToolCallItem
    | ToolCallOutputItem
    | HandoffCallItem
    | HandoffOutputItem
    | ReasoningItem
)


def input_to_messages(
    input: str | list[dict[str, Any]] | tuple[dict[str, Any], ...],
) -> list[dict[str, Any]]:
    """A run's input as chat messages (a string is one user message)."""
    if isinstance(input, str):
        return [{"role": "user", "content": input}]
    return [dict(m) for m in input]


def items_to_messages(items: list[RunItem] | tuple[RunItem, ...]) -> list[dict[str, Any]]:
    """Chat messages for ``items``: consecutive items of one model response become one
    assistant message (its text, then its tool calls)."""
    messages: list[dict[str, Any]] = []
    open_response: str | None = None
    for item in items:
        message = item.to_input_item()
        if message is None:
            continue
        same = item.response_id is not None and item.response_id == open_response
        if same and message.get("role") == "assistant" and messages[-1].get("role") == "assistant":
            _merge_assistant(messages[-1], message)
            continue
        messages.append(message)
        is_assistant = message.get("role") == "assistant"
        open_response = item.response_id if is_assistant else None
    return messages


def _merge_assistant(target: dict[str, Any], extra: dict[str, Any]) -> None:
    for key, value in extra.items():
        if key == "content":
            if value:
                target["content"] = (target.get("content") or "") + value
        elif key == "tool_calls":
            target["tool_calls"] = list(target.get("tool_calls") or []) + list(value or [])
        elif value is not None:
            target.setdefault(key, value)


class ItemHelpers:
    """Small conveniences over lists of items."""

    @staticmethod
    def text_message_output(item: RunItem) -> str:
        return item.text if isinstance(item, MessageOutputItem) else ""

    @staticmethod
    def text_message_outputs(items: list[RunItem]) -> str:
        """All text the model wrote in ``items``, concatenated."""
        return "".join(ItemHelpers.text_message_output(i) for i in items)

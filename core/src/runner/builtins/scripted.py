"""The ``scripted`` user: deterministic, no LLM.

It opens with the task's ``ticket`` (or, without one, its instructions), performs the task's
expected ``user`` actions on the user tools, one per message and in order, each when an agent
message names it (the ``replay`` agent's requests do), and ends with ``###STOP###`` after the
agent's first plain-text answer that does not ask for a pending user action. With any other
agent it is a one-shot user: it states its request and stops after the answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from runner.constants import STOP_TOKEN
from runner.errors import ConfigError
from runner.models.messages import AssistantMessage, ToolCall, UserMessage
from runner.models.task import Task
from runner.participants import HalfDuplexUser


@dataclass(slots=True)
class ScriptedState:
    """Whether the user stated its request, and the index of its next pending user action."""

    opened: bool = False
    next_action: int = 0
    performing: str | None = None


class ScriptedUser(HalfDuplexUser[ScriptedState]):
    """A user that follows the task's script exactly."""

    def __init__(self, task: Task) -> None:
        self.task = task
        self.opening = task.ticket or task.user_scenario.instructions_text()
        self.actions = task.expected_actions("user")

    def get_init_state(self, message_history: list[Any] | None = None) -> ScriptedState:
        # A task history that ends with the user's own turn already holds its request; one that
        # ends with the agent's turn waits for the user to say what it wants now.
        initial = self.task.initial_state
        history = (initial.message_history if initial is not None else None) or []
        return ScriptedState(opened=bool(history) and history[-1].role == "user")

    async def agenerate_next_message(
        self, message: Any, state: ScriptedState
    ) -> tuple[UserMessage, ScriptedState]:
        return self.next_message(message, state), state

    def generate_next_message(
        self, message: Any, state: ScriptedState
    ) -> tuple[UserMessage, ScriptedState]:
        return self.next_message(message, state), state

    def next_message(self, message: Any, state: ScriptedState) -> UserMessage:
        if state.performing is not None:  # the result of our own tool call
            name, state.performing = state.performing, None
            return UserMessage(
                content=f"Done: I performed {name}. The result was: {message.content}"
            )
        if not state.opened:
            state.opened = True
            return UserMessage(content=self.opening)
        index = state.next_action
        text = message.content if isinstance(message, AssistantMessage) else None
        if index < len(self.actions) and text and self.actions[index].name in text:
            action = self.actions[index]
            state.next_action = index + 1
            state.performing = action.name
            call = ToolCall(
                id=f"scripted_{index}",
                name=action.name,
                arguments=dict(action.arguments),
                requestor="user",
            )
            return UserMessage(tool_calls=[call])
        return UserMessage(content=STOP_TOKEN)


def build_scripted_user(ctx: Any) -> ScriptedUser:
    """Factory registered as ``scripted`` (takes a :class:`runner.BuildContext`)."""
    if ctx.task is None:
        raise ConfigError("The scripted user needs a task (it follows the task's script).")
    if ctx.options:
        raise ConfigError(
            f"The scripted user takes no options; got {', '.join(sorted(ctx.options))}."
        )
    return ScriptedUser(ctx.task)

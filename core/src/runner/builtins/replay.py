"""The ``replay`` agent: an oracle that performs a task's expected actions.

It calls the task's expected ``assistant`` actions one tool call per message, in the listed
order. When the next expected action belongs to the user (dual control, e.g. τ²-bench telecom),
it asks the user in plain text to perform it, naming the tool, and continues when the user
answers; the built-in ``scripted`` user performs a pending action when a message names it, so
the two together execute every expected action in the task's order. At the end it answers with
one message that states every ``communicate_info`` item verbatim. A correct domain therefore
scores 1.0 on every check that needs no LLM judge.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from runner.constants import STOP_TOKEN
from runner.errors import ConfigError
from runner.models.messages import AssistantMessage, ToolCall
from runner.models.task import Action, Task
from runner.participants import HalfDuplexAgent

#: Said when a task has nothing to communicate.
DEFAULT_ANSWER = "Your request has been taken care of."
CLOSING = f"Thank you for contacting us. Goodbye! {STOP_TOKEN}"


@dataclass(slots=True)
class ReplayState:
    """How far the replay got: the index of the next expected action, and whether it answered."""

    next_action: int = 0
    answered: bool = False


def user_action_request(action: Action) -> str:
    """The plain-text request for a user-side action; it names the tool (the scripted user's cue)."""
    args = json.dumps(action.arguments, sort_keys=True, default=str)
    return f"Please perform this action on your side: {action.name} with arguments {args}."


def final_answer(communicate_info: list[str]) -> str:
    """One message stating every item to communicate, each verbatim on its own line."""
    return "\n".join(communicate_info) if communicate_info else DEFAULT_ANSWER


class ReplayAgent(HalfDuplexAgent[ReplayState]):
    """Performs the expected actions of ``task``, then states its ``communicate_info``."""

    def __init__(self, task: Task) -> None:
        self.task = task
        self.actions = task.expected_actions()
        criteria = task.evaluation_criteria
        self.answer = final_answer(list(criteria.communicate_info or []) if criteria else [])

    def get_init_state(self, message_history: list[Any] | None = None) -> ReplayState:
        return ReplayState()

    async def agenerate_next_message(
        self, message: Any, state: ReplayState
    ) -> tuple[AssistantMessage, ReplayState]:
        return self.next_message(state), state

    def generate_next_message(
        self, message: Any, state: ReplayState
    ) -> tuple[AssistantMessage, ReplayState]:
        return self.next_message(state), state

    def next_message(self, state: ReplayState) -> AssistantMessage:
        index = state.next_action
        if index < len(self.actions):
            action = self.actions[index]
            state.next_action = index + 1
            if action.requestor == "user":
                return AssistantMessage(content=user_action_request(action))
            call = ToolCall(
                id=f"replay_{index}",
                name=action.name,
                arguments=dict(action.arguments),
                requestor="assistant",
            )
            return AssistantMessage(tool_calls=[call])
        if not state.answered:
            state.answered = True
            return AssistantMessage(content=self.answer)
        return AssistantMessage(content=CLOSING)


def build_replay_agent(ctx: Any) -> ReplayAgent:
    """Factory registered as ``replay`` (takes a :class:`runner.BuildContext`)."""
    if ctx.task is None:
        raise ConfigError(
            "The replay agent needs a task (it performs the task's expected actions)."
        )
    if ctx.options:
        raise ConfigError(
            f"The replay agent takes no options; got {', '.join(sorted(ctx.options))}."
        )
    return ReplayAgent(ctx.task)

"""Continuing a conversation from a task's message history (half duplex).

A task's ``initial_state.message_history`` is a conversation already under way. To continue it
the orchestrator re-runs its answered write calls on the environment (:func:`replay_writes`),
finds who acts next and what each participant saw of it (:func:`next_turn`), and hands the
receiver the last message, or the tool results the history ends with (:func:`trailing_results`).
See "Start" in ``docs/orchestrator.md``.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from runner.models.messages import AssistantMessage, MultiToolMessage, ToolMessage, UserMessage
from runner.orchestrator.sides import AGENT, ENV, USER


class NextTurn(NamedTuple):
    """Who sent the history's last message, who receives it, and what each participant saw."""

    sender: str
    receiver: str
    agent_saw: list[Any]
    user_saw: list[Any]


def replay_writes(environment: Any, history: list[Any]) -> None:
    """Bring the environment to the state the history implies: re-run its write calls that
    have a result in the history (a trailing unanswered call is executed by the loop)."""
    answered = _answered_ids(history)
    for m in history:
        for call in getattr(m, "tool_calls", None) or []:
            if call.id in answered and environment.is_write(call):
                environment.execute(call)


def next_turn(history: list[Any]) -> NextTurn:
    """Where the conversation goes on: the receiver of the last message, and the history each
    participant saw, without the last message when it is the one that participant gets next."""
    last = history[-1]
    if isinstance(last, MultiToolMessage):
        last = last.tool_messages[-1]
    if isinstance(last, AssistantMessage):
        sender, receiver = AGENT, (ENV if last.tool_calls else USER)
        agent_sees, user_sees = history, history[:-1]
    elif isinstance(last, UserMessage):
        sender, receiver = USER, (ENV if last.tool_calls else AGENT)
        agent_sees, user_sees = history[:-1], history
    elif isinstance(last, ToolMessage):
        sender = ENV
        receiver = USER if last.requestor == "user" else AGENT
        agent_sees, user_sees = (
            (history, history[:-1]) if receiver == USER else (history[:-1], history)
        )
    else:
        raise ValueError(
            f"A message history must end with an assistant, user or tool message, "
            f"not {type(last).__name__}."
        )
    return NextTurn(
        sender,
        receiver,
        [m for m in agent_sees if _agent_visible(m)],
        [m for m in user_sees if _user_visible(m)],
    )


def trailing_results(history: list[Any]) -> Any:
    """The tool results at the end of a history, as the caller would have received them."""
    results: list[ToolMessage] = []
    for m in reversed(history):
        if isinstance(m, ToolMessage):
            results.append(m)
        elif isinstance(m, MultiToolMessage):
            results.extend(reversed(m.tool_messages))
        else:
            break
    results.reverse()
    return results[0] if len(results) == 1 else MultiToolMessage(tool_messages=results)


def _answered_ids(history: list[Any]) -> set[str]:
    ids: set[str] = set()
    for m in history:
        if isinstance(m, ToolMessage):
            ids.add(m.id)
        elif isinstance(m, MultiToolMessage):
            ids.update(t.id for t in m.tool_messages)
    return ids


def _agent_visible(m: Any) -> bool:
    """What an agent saw of a history (τ²-bench's rule): not the user's tool traffic."""
    if isinstance(m, UserMessage):
        return not m.tool_calls
    if isinstance(m, ToolMessage):
        return m.requestor == "assistant"
    return isinstance(m, (AssistantMessage, MultiToolMessage))


def _user_visible(m: Any) -> bool:
    """What a user saw of a history: not the agent's tool traffic."""
    if isinstance(m, AssistantMessage):
        return not m.tool_calls
    if isinstance(m, ToolMessage):
        return m.requestor == "user"
    return isinstance(m, UserMessage)

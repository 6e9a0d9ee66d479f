"""The checks that read only the trajectory: actions and communicated information.

Both follow τ²-bench exactly. An expected action is found when some tool call of the trajectory
(either side) has its name and equal arguments, compared on ``compare_args`` when given, else on
the keys the *call* used. An item of ``communicate_info`` is communicated when, lower-cased, it
is a substring of an assistant text message lower-cased with its commas removed.
"""

from __future__ import annotations

from typing import Any

from runner.models.messages import (
    AssistantMessage,
    MultiToolMessage,
    ToolCall,
    ToolMessage,
    UserMessage,
)
from runner.models.simulation import ActionCheck, CommunicateCheck
from runner.models.task import Action


def tool_calls(messages: list[Any]) -> list[ToolCall]:
    """Every tool call of a trajectory, both sides, in order."""
    calls: list[ToolCall] = []
    for m in messages:
        if isinstance(m, (AssistantMessage, UserMessage)) and m.tool_calls:
            calls.extend(m.tool_calls)
    return calls


def calls_with_results(messages: list[Any]) -> list[tuple[ToolCall, ToolMessage | None]]:
    """Each tool call paired with its result (the tool messages that follow it, in order)."""
    pairs: list[tuple[ToolCall, ToolMessage | None]] = []
    pending: list[int] = []
    for m in messages:
        if isinstance(m, (AssistantMessage, UserMessage)):
            for call in m.tool_calls or ():
                pending.append(len(pairs))
                pairs.append((call, None))
        elif isinstance(m, (ToolMessage, MultiToolMessage)):
            results = m.tool_messages if isinstance(m, MultiToolMessage) else [m]
            for result in results:
                if pending:
                    i = pending.pop(0)
                    pairs[i] = (pairs[i][0], result)
    return pairs


def compared_keys(action: Action, call: ToolCall) -> Any:
    return call.arguments.keys() if action.compare_args is None else action.compare_args


def action_matches(action: Action, call: ToolCall) -> bool:
    """τ²-bench's rule (``Action.compare_with_tool_call``)."""
    if action.name != call.name:
        return False
    keys = compared_keys(action, call)
    if not keys:
        return True
    got = {k: v for k, v in call.arguments.items() if k in keys}
    want = {k: v for k, v in action.arguments.items() if k in keys}
    return got == want


def closest_call(action: Action, calls: list[ToolCall]) -> dict[str, Any] | None:
    """The call of the same tool that differs from the action in the fewest arguments."""
    best: tuple[int, ToolCall, list[str]] | None = None
    for call in calls:
        if call.name != action.name:
            continue
        keys = set(action.arguments) | set(call.arguments)
        if action.compare_args is not None:
            keys &= set(action.compare_args)
        differing = sorted(k for k in keys if action.arguments.get(k) != call.arguments.get(k))
        if best is None or len(differing) < best[0]:
            best = (len(differing), call, differing)
    if best is None:
        return None
    _, call, differing = best
    return {
        "name": call.name,
        "arguments": call.arguments,
        "requestor": call.requestor,
        "differing_arguments": differing,
    }


def check_actions(messages: list[Any], actions: list[Action]) -> list[ActionCheck]:
    calls = tool_calls(messages)
    checks = []
    for action in actions:
        matched = any(action_matches(action, call) for call in calls)
        checks.append(
            ActionCheck(
                action=action,
                action_match=matched,
                action_reward=1.0 if matched else 0.0,
                closest_call=None if matched else closest_call(action, calls),
            )
        )
    return checks


def check_communicate(messages: list[Any], infos: list[str]) -> list[CommunicateCheck]:
    texts = [
        m.content
        for m in messages
        if isinstance(m, AssistantMessage) and m.content and m.content.strip()
    ]
    normalised = [t.lower().replace(",", "") for t in texts]
    checks = []
    for info in infos:
        needle = info.lower()
        where = next((i for i, t in enumerate(normalised) if needle in t), None)
        if where is None:
            checks.append(
                CommunicateCheck(
                    info=info, met=False, justification=f"No assistant message contains {info!r}."
                )
            )
        else:
            checks.append(
                CommunicateCheck(
                    info=info, met=True, justification=f"Stated in: {texts[where][:300]!r}"
                )
            )
    return checks

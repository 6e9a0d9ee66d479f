"""Calling a participant from an orchestrator: the method to await, and its seed, initial state,
stop check and tool calls, each with the participant's exception turned into the failure it
causes (see :mod:`runner.orchestrator.failures`). Shared by both orchestrators.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from runner.orchestrator.failures import ParticipantFailure, participant_failure
from runner.orchestrator.sides import ERROR_REASON
from runner.participants import FullDuplexAgent, HalfDuplexAgent


def participant_caller(
    participant: Any, side: str, async_name: str, sync_name: str, kind: str
) -> Callable[..., Awaitable[tuple[Any, Any]]]:
    """The participant's async method when its class provides its own, else its sync one run in
    a worker thread (so blocking SDKs work); a participant with neither is a ``{side}_error``.
    ``agenerate_next_message``/``generate_next_message`` in half duplex,
    ``aget_next_chunk``/``get_next_chunk`` in full duplex."""
    method = getattr(type(participant), async_name, None)
    if method is not None and method not in _INHERITED_ASYNC:
        return getattr(participant, async_name)
    sync = getattr(participant, sync_name, None)
    if sync is None:
        raise ParticipantFailure(
            ERROR_REASON[side],
            f"The {side} {type(participant).__name__} is not a {kind} participant.",
        )

    async def in_thread(*args: Any) -> tuple[Any, Any]:
        return await asyncio.to_thread(sync, *args)

    return in_thread


#: The base classes' async defaults, which only run the sync method in a thread themselves.
_INHERITED_ASYNC = (HalfDuplexAgent.agenerate_next_message, FullDuplexAgent.aget_next_chunk)
#: The base classes' sync defaults, which only raise NotImplementedError.
_INHERITED_SYNC = (HalfDuplexAgent.generate_next_message, FullDuplexAgent.get_next_chunk)


def implements(participant: Any, async_name: str, sync_name: str) -> bool:
    """Whether the participant's class provides ``async_name`` or ``sync_name`` itself (not
    only the base classes' defaults): how an orchestrator tells a turn-based participant
    from a streaming one before the conversation starts."""
    cls = type(participant)
    method = getattr(cls, async_name, None)
    if method is not None and method not in _INHERITED_ASYNC:
        return True
    sync = getattr(cls, sync_name, None)
    return sync is not None and sync not in _INHERITED_SYNC


def seed_participant(participant: Any, side: str, seed: int | None) -> None:
    """``participant.set_seed(seed)`` unless ``seed`` is None."""
    if seed is None:
        return
    try:
        participant.set_seed(seed)
    except Exception as exc:
        raise participant_failure(side, exc) from exc


def init_state(participant: Any, side: str, history: list[Any] | None) -> Any:
    """The participant's initial state given the part of the history it saw."""
    try:
        return participant.get_init_state(history)
    except Exception as exc:
        raise participant_failure(side, exc) from exc


def is_stop(participant: Any, message: Any, side: str) -> bool:
    """Whether the participant's ``is_stop`` says ``message`` ends the conversation."""
    try:
        return bool(participant.is_stop(message))
    except Exception as exc:
        raise participant_failure(side, exc) from exc


def own_calls(message: Any, requestor: str) -> None:
    """Make every tool call of a message carry its sender as requestor (the routing depends on it)."""
    calls = message.tool_calls
    for i, call in enumerate(calls):
        if call.requestor != requestor:
            calls[i] = call.model_copy(update={"requestor": requestor})

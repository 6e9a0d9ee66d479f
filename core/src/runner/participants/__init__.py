"""Base classes of the two participants: the agent and the (simulated) user.

A participant implements either the synchronous method or its ``async`` twin (``a`` prefix); the
orchestrator awaits the async form when a class overrides it and runs the synchronous one in a
worker thread otherwise, so blocking SDKs work unchanged. Subclasses need not call
``__init__``. :class:`ChatParticipant` (``chat``) adds what participants played by a chat
model share: tool schemas, the chat history and one gateway call per turn.
"""

from __future__ import annotations

import asyncio
from typing import Any, Generic, TypeVar

from runner.constants import STOP_TOKEN
from runner.participants.chat import ChatParticipant

__all__ = [
    "Agent",
    "ChatParticipant",
    "FullDuplexAgent",
    "FullDuplexUser",
    "HalfDuplexAgent",
    "HalfDuplexUser",
    "State",
    "User",
]

State = TypeVar("State")


class _Participant(Generic[State]):
    stop_tokens: tuple[str, ...] = (STOP_TOKEN,)

    def get_init_state(self, message_history: list[Any] | None = None) -> State:
        """The state before the first turn (``message_history``: the task's earlier messages)."""
        return None  # type: ignore[return-value]

    def is_stop(self, message: Any) -> bool:
        """Whether ``message`` ends the conversation (default: it contains a stop token)."""
        content = getattr(message, "content", None) or ""
        return any(token in content for token in self.stop_tokens)

    def set_seed(self, seed: int | None) -> None:
        """Receive the simulation's seed (override when the participant samples)."""
        self.seed = seed


class _HalfDuplex(_Participant[State]):
    def generate_next_message(self, message: Any, state: State) -> tuple[Any, State]:
        raise NotImplementedError(
            f"{type(self).__name__} must implement generate_next_message or agenerate_next_message"
        )

    async def agenerate_next_message(self, message: Any, state: State) -> tuple[Any, State]:
        return await asyncio.to_thread(self.generate_next_message, message, state)


class HalfDuplexAgent(_HalfDuplex[State]):
    """An agent that answers one message at a time.

    ``generate_next_message(message, state)`` receives the user's message, or the result of its
    own tool calls (a ToolMessage or MultiToolMessage), and returns an
    :class:`~runner.AssistantMessage`: text for the user, or tool calls for the environment.
    """


class HalfDuplexUser(_HalfDuplex[State]):
    """A simulated user; returns :class:`~runner.UserMessage` (text, or calls to user tools)."""


class _FullDuplex(_Participant[State]):
    def get_next_chunk(self, state: State, incoming_chunk: Any) -> tuple[Any, State]:
        raise NotImplementedError(f"{type(self).__name__} must implement get_next_chunk")

    async def aget_next_chunk(self, state: State, incoming_chunk: Any) -> tuple[Any, State]:
        return await asyncio.to_thread(self.get_next_chunk, state, incoming_chunk)


class FullDuplexAgent(_FullDuplex[State]):
    """A streaming agent: one chunk per tick; it may speak, stay silent or interrupt."""


class FullDuplexUser(_FullDuplex[State]):
    """A streaming user simulator: one chunk per tick."""


Agent = HalfDuplexAgent[Any] | FullDuplexAgent[Any]
User = HalfDuplexUser[Any] | FullDuplexUser[Any]

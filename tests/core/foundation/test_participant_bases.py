"""Participant base classes: sync or async, no ``__init__`` call needed, stop detection."""

from __future__ import annotations

import threading

import pytest
from runner import (
    AssistantMessage,
    FullDuplexAgent,
    FullDuplexUser,
    HalfDuplexAgent,
    HalfDuplexUser,
    UserMessage,
)
from runner.orchestrator.participant_calls import participant_caller


def caller(participant):  # noqa: ANN001, ANN201
    """What the orchestrator awaits for a half-duplex participant's next message."""
    return participant_caller(
        participant, "agent", "agenerate_next_message", "generate_next_message", "half-duplex"
    )


class EchoAgent(HalfDuplexAgent[list]):
    def __init__(self, prefix: str) -> None:  # no super().__init__() on purpose
        self.prefix = prefix

    def get_init_state(self, message_history: list | None = None) -> list:
        return list(message_history or [])

    def generate_next_message(self, message, state):  # noqa: ANN001, ANN201
        state = [*state, message]
        return AssistantMessage(
            content=f"{self.prefix}{message.content} ({threading.current_thread().name})"
        ), state


class AsyncUser(HalfDuplexUser[int]):
    async def agenerate_next_message(self, message, state):  # noqa: ANN001, ANN201
        return UserMessage(content="###STOP###" if state else "again"), (state or 0) + 1


async def test_sync_agent_runs_in_a_worker_thread_through_the_async_form() -> None:
    agent = EchoAgent("> ")
    state = agent.get_init_state()
    reply, state = await agent.agenerate_next_message(UserMessage(content="hi"), state)
    assert (
        reply.content.startswith("> hi (") and threading.current_thread().name not in reply.content
    )
    assert len(state) == 1
    # the orchestrator runs the sync method in a thread itself, not the inherited async default
    assert caller(agent) != agent.agenerate_next_message


async def test_async_user_is_native_and_stops() -> None:
    user = AsyncUser()
    assert caller(user) == user.agenerate_next_message  # awaited directly
    first, state = await user.agenerate_next_message(
        AssistantMessage(content="Hi!"), user.get_init_state()
    )
    second, state = await user.agenerate_next_message(AssistantMessage(content="ok"), state)
    assert not user.is_stop(first) and user.is_stop(second) and state == 2


def test_defaults_and_missing_implementation() -> None:
    class Bare(HalfDuplexAgent):
        pass

    bare = Bare()
    assert bare.get_init_state() is None
    assert bare.is_stop(AssistantMessage(content="bye ###STOP### now"))
    assert not bare.is_stop(AssistantMessage(content=None))
    bare.set_seed(7)
    assert bare.seed == 7
    with pytest.raises(NotImplementedError, match="Bare must implement generate_next_message"):
        bare.generate_next_message(UserMessage(content="x"), None)


def test_custom_stop_tokens() -> None:
    class Transferring(HalfDuplexAgent):
        stop_tokens = ("###STOP###", "###TRANSFER###")

    assert Transferring().is_stop(AssistantMessage(content="###TRANSFER###"))


async def test_full_duplex_chunks_sync_and_async() -> None:
    class Talker(FullDuplexAgent[int]):
        def get_next_chunk(self, state, incoming_chunk):  # noqa: ANN001, ANN201
            return AssistantMessage(content=f"tick {state}"), state + 1

    class Listener(FullDuplexUser[None]):
        pass

    chunk, state = await Talker().aget_next_chunk(0, None)
    assert chunk.content == "tick 0" and state == 1
    with pytest.raises(NotImplementedError):
        Listener().get_next_chunk(None, None)

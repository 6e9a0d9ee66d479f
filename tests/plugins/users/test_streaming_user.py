"""The streaming user simulator's turn-taking, tick by tick, with a stand-in for its model (a
turn-based user that records what it is told): patience, yielding, seeded back-channels and
interruptions, and the factory's checks."""

from __future__ import annotations

from typing import Any

import pytest
from runner import (
    AssistantMessage,
    BuildContext,
    FullDuplexAgent,
    FullDuplexOrchestrator,
    HalfDuplexUser,
    Task,
    UserMessage,
)
from runner.errors import ConfigError
from runner.testing import FakeDomain
from runner_users.streaming import StreamingUserSimulator, build_streaming_user_simulator

TASK = Task.model_validate({"id": "t", "user_scenario": {"instructions": "x"}})


class Customer(HalfDuplexUser[None]):
    """Says its lines in order and records every message it is handed."""

    def __init__(self, *lines: str) -> None:
        self.lines = list(lines)
        self.told: list[str] = []

    async def agenerate_next_message(self, message: Any, state: None) -> tuple[Any, None]:
        self.told.append(message.content)
        return UserMessage(content=self.lines.pop(0) if self.lines else "bye ###STOP###"), state


class Agent(FullDuplexAgent[int]):
    """A streaming agent that says ``script[tick]`` at each tick (silent when missing)."""

    def __init__(self, script: dict[int, str]) -> None:
        self.script = script

    def get_init_state(self, message_history: Any = None) -> int:
        return 0

    async def aget_next_chunk(self, state: int, incoming: Any) -> tuple[Any, int]:
        state += 1
        text = self.script.get(state)
        return (AssistantMessage(content=text) if text else None), state


async def converse(agent: Any, user: Any, **options: Any) -> Any:
    orchestrator = FullDuplexOrchestrator(
        environment=FakeDomain().environment(),
        agent=agent,
        user=user,
        task=TASK,
        seed=7,
        max_ticks=60,
        **options,
    )
    return await orchestrator.run()


def said(chunk: Any) -> Any:
    return None if chunk is None else chunk.get("content")


async def test_patience_speaks_again_when_the_agent_stays_silent() -> None:
    customer = Customer("my order is late", "hello are you there")
    user = StreamingUserSimulator(customer, patience=1.0, backchannel_probability=0)
    run = await converse(Agent({}), user)
    # the greeting, 3 silent ticks, 4 words (ticks 4-7), 5 silent ticks (1 s), and again
    assert [said(run.ticks[i]["user_chunk"]) for i in range(4, 8)] == [
        "my ",
        "order ",
        "is ",
        "late",
    ]
    assert said(run.ticks[13]["user_chunk"]) == "hello "
    assert customer.told[1] == "(The agent has said nothing for 1 seconds.)"


async def test_the_user_yields_to_an_agent_that_talks_over_it() -> None:
    customer = Customer("one two three four five six seven")
    user = StreamingUserSimulator(customer, backchannel_probability=0)
    run = await converse(Agent({6: "excuse me ", 7: "sir "}), user)  # the agent cuts in
    user_chunks = [run.ticks[i]["user_chunk"] for i in range(4, 9)]
    # it hears "excuse me" in tick 7 and goes on, hears "sir" in tick 8 (two ticks): it stops
    assert [said(c) for c in user_chunks[:4]] == ["one ", "two ", "three ", "four "]
    assert user_chunks[4] == {"role": "user", "interrupted": True, "unspoken": "five six seven"}
    cut = next(m for m in run.messages if m.role == "user")
    assert cut.content == "one two three four " and cut.interrupted


async def test_backchannels_and_interruptions_are_seeded() -> None:
    long = {t: f"w{t} " for t in range(2, 40)}

    async def ticks(seed: int) -> list[Any]:
        user = StreamingUserSimulator(
            Customer("hi"), backchannel_probability=0.3, interrupt_probability=0.1
        )
        orchestrator = FullDuplexOrchestrator(
            environment=FakeDomain().environment(),
            agent=Agent(long),
            user=user,
            task=TASK,
            seed=seed,
            max_ticks=45,
        )
        run = await orchestrator.run()
        return [t["user_chunk"] for t in run.ticks]

    first, again, other = await ticks(1), await ticks(1), await ticks(2)
    assert first == again and first != other
    assert any(c and c.get("backchannel") for c in first)


def test_the_factory_checks_its_options() -> None:
    env = FakeDomain().environment()
    ctx = BuildContext(environment=env, task=TASK, llm="openai/x", options={"patience": "2"})
    user = build_streaming_user_simulator(ctx)
    assert user.patience == 2.0 and user.interrupt_probability == 0.02
    with pytest.raises(ConfigError, match="interrupt_probability='2': expected a number between"):
        build_streaming_user_simulator(
            ctx.model_copy(update={"options": {"interrupt_probability": "2"}})
        )
    with pytest.raises(ConfigError, match="no option 'patients'.*patience"):
        build_streaming_user_simulator(ctx.model_copy(update={"options": {"patients": 1}}))
    with pytest.raises(ConfigError, match="needs a model"):
        build_streaming_user_simulator(ctx.model_copy(update={"llm": None, "options": {}}))

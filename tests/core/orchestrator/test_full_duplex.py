"""The full-duplex orchestrator: ticks, chunks, overlap, tool calls within a tick, transcript."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from runner import (
    AssistantMessage,
    FullDuplexAgent,
    FullDuplexUser,
    MultiToolMessage,
    Task,
    ToolCall,
    ToolMessage,
    UserMessage,
    evaluate_simulation,
)
from runner.constants import GREETING, STOP_TOKEN
from runner.orchestrator.full_duplex import FullDuplexOrchestrator
from runner.testing import FakeDomain

TASK = Task.model_validate(
    {
        "id": "fd",
        "user_scenario": {"instructions": "x"},
        "ticket": "please complete task_1",
        "evaluation_criteria": {
            "actions": [
                {
                    "action_id": "a",
                    "name": "update_task_status",
                    "arguments": {"task_id": "task_1", "status": "completed"},
                }
            ],
            "communicate_info": ["task_1 is completed"],
            "reward_basis": ["DB", "ACTION", "COMMUNICATE"],
        },
    }
)


class WordUser(FullDuplexUser[list]):
    """Speaks its ticket word by word (sync), then stays silent until the agent says 'completed'."""

    def __init__(self) -> None:
        self.heard: list[Any] = []

    def get_init_state(self, message_history: list[Any] | None = None) -> list:
        return (TASK.ticket + " ").split(" ")[:-1]

    def get_next_chunk(self, state: list, incoming_chunk: Any) -> tuple[Any, list]:
        self.heard.append(incoming_chunk)
        if state:
            return UserMessage(content=state.pop(0) + " "), state
        said = "".join(c.content or "" for c in self.heard if c is not None)
        if "completed" in said:
            return UserMessage(content=STOP_TOKEN), state
        return UserMessage(content=None), state


class ListeningAgent(FullDuplexAgent[dict]):
    """Async: waits for the user's request, calls the tool (two tool rounds), then speaks."""

    def __init__(self, multi: bool = False) -> None:
        self.multi = multi
        self.received: list[Any] = []

    def get_init_state(self, message_history: list[Any] | None = None) -> dict:
        return {"heard": "", "phase": "listen", "words": ["task_1 ", "is ", "completed."]}

    async def aget_next_chunk(self, state: dict, incoming_chunk: Any) -> tuple[Any, dict]:
        self.received.append(incoming_chunk)
        if isinstance(incoming_chunk, UserMessage) and incoming_chunk.content:
            state["heard"] += incoming_chunk.content
        if state["phase"] == "listen" and state["heard"].endswith("task_1 "):
            state["phase"] = "lookup"
            calls = [ToolCall(id="u", name="get_users")]
            if self.multi:
                calls.append(ToolCall(id="v", name="get_users"))
            return AssistantMessage(content="One moment. ", tool_calls=calls), state
        if state["phase"] == "lookup":
            state["phase"] = "act"
            return AssistantMessage(
                tool_calls=[
                    ToolCall(
                        id="w",
                        name="update_task_status",
                        arguments={"task_id": "task_1", "status": "completed"},
                    )
                ]
            ), state
        if state["phase"] == "act":
            state["phase"] = "speak"
        if state["phase"] == "speak" and state["words"]:
            return AssistantMessage(content=state["words"].pop(0)), state
        return None, state


def orchestrate(agent: Any, user: Any, **kw: Any) -> FullDuplexOrchestrator:
    domain = FakeDomain()
    return FullDuplexOrchestrator(
        environment=domain.environment(), agent=agent, user=user, task=TASK, **kw
    )


async def test_streaming_conversation_with_tools_resolved_within_the_tick() -> None:
    agent, user = ListeningAgent(), WordUser()
    orch = orchestrate(agent, user, tick_duration_seconds="0.1")
    run = await orch.run()
    assert run.termination_reason.value == "user_stop", run.error
    ticks = run.ticks
    assert ticks[0]["agent_chunk"]["content"] == GREETING
    assert ticks[0]["user_chunk"]["content"] == "please "
    assert user.heard[1].content == GREETING  # the greeting is heard in tick 1
    assert all(t["tick_duration_seconds"] == 0.1 for t in ticks)
    assert [t["tick_id"] for t in ticks] == list(range(len(ticks)))
    tool_tick = next(t for t in ticks if t["agent_tool_calls"])
    # both tool rounds happened inside one tick; the results went straight back to the agent
    assert [c["name"] for c in tool_tick["agent_tool_calls"]] == ["get_users", "update_task_status"]
    assert len(tool_tick["agent_tool_results"]) == 2
    assert any(isinstance(r, ToolMessage) for r in agent.received)
    assert ticks[0]["user_transcript"] == "please "
    assert orch.environment.toolkit.db.tasks["task_1"].status == "completed"
    # the flat transcript merges fragments and keeps tool traffic in half-duplex form
    roles = [m.role for m in run.messages]
    texts = [m.content for m in run.messages]
    assert texts[0] == GREETING
    assert "please complete task_1 " in texts
    assert "task_1 is completed." in texts
    assert roles.count("tool") == 2
    assert [m.turn_idx for m in run.messages] == list(range(len(run.messages)))
    info = evaluate_simulation(run, TASK, FakeDomain().environment)
    assert info.reward == 1.0, info.reward_breakdown


async def test_overlapping_speech_is_recorded_in_the_same_tick() -> None:
    class Talker(FullDuplexAgent[None]):
        async def aget_next_chunk(self, state: None, incoming_chunk: Any) -> tuple[Any, None]:
            return AssistantMessage(content="blah "), state

    run = await orchestrate(Talker(), WordUser(), max_ticks=3).run()
    assert run.termination_reason.value == "max_steps"
    assert len(run.ticks) == 3
    both = [t for t in run.ticks if t["agent_chunk"] and t["user_chunk"]]
    assert len(both) == 3  # the agent talks over the user: interruption is allowed


async def test_several_calls_in_one_chunk_come_back_as_a_multi_tool_message() -> None:
    agent = ListeningAgent(multi=True)
    run = await orchestrate(agent, WordUser()).run()
    assert run.termination_reason.value == "user_stop"
    assert any(isinstance(m, MultiToolMessage) for m in agent.received)
    assert "One moment. " in [m.content for m in run.messages]


async def test_endless_tool_calls_in_one_tick_are_an_agent_error() -> None:
    class Looper(FullDuplexAgent[None]):
        async def aget_next_chunk(self, state: None, incoming_chunk: Any) -> tuple[Any, None]:
            return AssistantMessage(tool_calls=[ToolCall(name="get_users")]), state

    run = await orchestrate(Looper(), WordUser(), max_tool_rounds="3").run()
    assert run.termination_reason.value == "agent_error"
    assert "more than 3 times" in run.error


@pytest.mark.parametrize(
    ("failure", "reason"),
    [
        (RuntimeError("x"), "agent_error"),
        (None, "timeout"),
    ],
)
async def test_failures_and_timeout(failure: Exception | None, reason: str) -> None:
    class Bad(FullDuplexAgent[None]):
        async def aget_next_chunk(self, state: None, incoming_chunk: Any) -> tuple[Any, None]:
            if failure is not None:
                raise failure
            await asyncio.Event().wait()

    run = await orchestrate(Bad(), WordUser(), timeout=0.05).run()
    assert run.termination_reason.value == reason


async def test_wrong_chunk_type_is_an_agent_error() -> None:
    class Wrong(FullDuplexAgent[None]):
        async def aget_next_chunk(self, state: None, incoming_chunk: Any) -> tuple[Any, None]:
            return UserMessage(content="hi"), state

    run = await orchestrate(Wrong(), WordUser()).run()
    assert run.termination_reason.value == "agent_error"
    assert run.error == "The agent returned UserMessage, not AssistantMessage or None."


def test_full_duplex_is_registered() -> None:
    from runner.plugins import load_plugins

    cls = load_plugins().registry("orchestrators").get("full_duplex").obj
    orch = cls(
        environment=None,
        agent=None,
        user=None,
        task=TASK,
        seed=None,
        max_steps=5,
        max_errors=3,
        timeout=None,
        tick_duration_seconds="0.5",
        realtime="yes",
    )
    assert isinstance(orch, FullDuplexOrchestrator) and orch.tick_duration_seconds == 0.5
    assert orch.realtime is True

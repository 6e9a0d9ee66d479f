"""The ``realtime`` agent under the real full-duplex orchestrator, against the fake server: a
task solved through a function call, a barge-in, the agent's audio and chunks."""

from __future__ import annotations

import asyncio
import gc
from typing import Any

import pytest
from conftest import (
    MODEL,
    VOICE_RATE,
    build_agent,
    scripted_user,
    solving_script,
    task_of,
    voice_run,
)
from runner import (
    FullDuplexOrchestrator,
    StreamingAdapter,
    TerminationReason,
    UserMessage,
    run_simulation,
)
from runner.voice import LoopbackVoice


@pytest.mark.parametrize(
    ("task_id", "basis"),
    [("create_with_description", {"DB", "ACTION"}), ("create_for_new_user", {"DB", "COMMUNICATE"})],
)
async def test_a_task_that_needs_a_function_call_is_solved(
    plugins: Any, domain: Any, server_factory: Any, task_id: str, basis: set[str]
) -> None:
    task = task_of(domain, task_id)
    server = server_factory(solving_script(task))
    agent = build_agent(plugins, domain.environment(), task, server)
    run = await voice_run(domain, task, agent, scripted_user(plugins, task))

    assert run.termination_reason == TerminationReason.USER_STOP, run.error
    assert run.reward_info.reward == 1.0
    assert set(run.reward_info.reward_breakdown) == basis
    # The model heard the user's spoken ticket, and called the expected tool.
    opening = task.ticket or task.user_scenario.instructions_text()
    assert server.heard()[0] == opening
    expected = task.expected_actions("assistant")[0]
    calls = [c for tick in run.ticks for c in tick["agent_tool_calls"]]
    assert [(c["name"], c["arguments"]) for c in calls] == [(expected.name, expected.arguments)]
    assert calls[0]["requestor"] == "assistant"
    # Its answer was said one tick of audio per tick, as one message.
    spoken = [t["agent_chunk"] for t in run.ticks[1:] if t["agent_chunk"]]
    assert spoken and all(c["audio_format"]["duration"] == 0.2 for c in spoken)
    assert [c["chunk_id"] for c in spoken] == list(range(len(spoken)))
    assert [c.get("is_final_chunk", True) for c in spoken] == [False] * (len(spoken) - 1) + [True]
    answer = solving_script(task)("", [{"type": "function_call_output"}])
    assert "".join(c.get("content", "") for c in spoken) == answer
    assert [m.content for m in run.messages if m.role == "assistant"][-1] == answer
    # The responses' usage rides on the chunks, and the transcript adds it up.
    assert run.usage["agent"]["output_tokens"] > 0


async def test_the_session_is_set_up_for_audio_with_the_policy_and_the_tools(
    plugins: Any, domain: Any, server_factory: Any
) -> None:
    task = task_of(domain, "create_with_description")
    server = server_factory(solving_script(task))
    environment = domain.environment()
    agent = build_agent(plugins, environment, task, server)
    await voice_run(domain, task, agent, scripted_user(plugins, task))

    assert server.paths == [f"/v1/realtime?model={MODEL.removeprefix('openai/')}"]
    setup = server.received("session.update")[0]["session"]
    assert environment.policy in setup["instructions"]
    assert "voice" in setup["instructions"]
    assert setup["input_audio_format"] == setup["output_audio_format"] == "pcm16"
    assert setup["turn_detection"] is None
    names = [tool.openai_schema()["function"]["name"] for tool in environment.tools()]
    assert [t["name"] for t in setup["tools"]] == names
    assert all(set(t) == {"type", "name", "description", "parameters"} for t in setup["tools"])
    # The greeting opens the model's conversation; each turn is committed, then answered.
    greeting = server.received("conversation.item.create")[0]["item"]
    assert greeting["role"] == "assistant"
    kinds = [e["type"] for e in server.received()]
    first = kinds.index("input_audio_buffer.commit")
    assert kinds[first + 1] == "response.create"
    output = [
        e["item"]
        for e in server.received("conversation.item.create")
        if e["item"]["type"] == "function_call_output"
    ]
    assert len(output) == 1 and '"task_5"' in output[0]["output"]


class InterruptingUser(StreamingAdapter):
    """The scripted user, who talks over the agent's answer once it heard ``after`` ticks of it."""

    def __init__(self, scripted: Any, after: int, words: str) -> None:
        super().__init__(scripted, "user")
        self.after, self.words, self.heard_ticks = after, words, 0

    async def react(self, state: Any, incoming: Any) -> Any:
        if incoming is not None and incoming.audio is not None:
            self.heard_ticks += 1
            if self.heard_ticks == self.after:
                state.heard.append(self.hear(incoming))
                state.other_speaking = True
                state.hold = 10  # then wait for the answer to it
                return await self.say(state, UserMessage(content=self.words))
        return await super().react(state, incoming)


async def test_the_user_interrupts_a_long_answer(
    plugins: Any, domain: Any, server_factory: Any
) -> None:
    task = task_of(domain, "find_user_id")
    long_answer = " ".join(f"word{i}" for i in range(40))  # 16 seconds of speech
    seen: list[list[dict[str, Any]]] = []

    def script(user_text: str, conversation: list[dict[str, Any]]) -> Any:
        seen.append(conversation)
        return long_answer if len(seen) == 1 else "Sorry. Your user id is user_3."

    server = server_factory(script)
    agent = build_agent(plugins, domain.environment(), task, server, barge_in_ticks=2)
    user = InterruptingUser(scripted_user(plugins, task), after=5, words="hold on please")
    run = await voice_run(domain, task, agent, user)

    assert run.termination_reason == TerminationReason.USER_STOP, run.error
    cut = [t for t in run.ticks if (t["agent_chunk"] or {}).get("interrupted")]
    assert len(cut) == 1
    chunk = cut[0]["agent_chunk"]
    assert "content" not in chunk and chunk["unspoken"]
    said = "".join(
        t["agent_chunk"].get("content", "")
        for t in run.ticks[1 : cut[0]["tick_id"]]
        if t["agent_chunk"]
    )
    assert said + chunk["unspoken"] == long_answer  # nothing lost, nothing said twice
    # Cut after two ticks of the user talking over it: five heard, then two more said.
    assert len(said.split()) < 10
    cancel, truncate = (
        server.received("response.cancel"),
        server.received("conversation.item.truncate"),
    )
    assert len(cancel) == 1 and len(truncate) == 1
    assert truncate[0]["content_index"] == 0
    assert 0 < truncate[0]["audio_end_ms"] < 16000
    # The model's copy of its answer is cut to what was heard; then it hears the user.
    answered = [i for i in seen[1] if i["type"] == "message" and i["role"] == "assistant"][-1]
    assert answered["truncated_ms"] == truncate[0]["audio_end_ms"]
    assert len(answered["text"].split()) < 40
    assert server.heard()[-1] == "hold on please"
    interrupted = [m for m in run.messages if m.role == "assistant" and m.interrupted]
    assert len(interrupted) == 1 and interrupted[0].unspoken == chunk["unspoken"]
    assert run.reward_info.reward == 1.0  # the short answer gave the id


async def test_the_session_is_closed_by_aclose_or_when_the_agent_goes_away(
    plugins: Any, domain: Any, server_factory: Any
) -> None:
    task = task_of(domain, "create_with_description")
    server = server_factory(solving_script(task))
    agent = build_agent(plugins, domain.environment(), task, server)
    await voice_run(domain, task, agent, scripted_user(plugins, task))  # (it calls aclose)
    assert await asyncio.to_thread(server.wait_ended, 1)

    orchestrator = FullDuplexOrchestrator(
        environment=domain.environment(),
        agent=build_agent(plugins, domain.environment(), task, server),
        user=scripted_user(plugins, task),
        task=task,
        voice=LoopbackVoice(sample_rate=VOICE_RATE),
    )
    run = await run_simulation(orchestrator, environment_factory=domain.environment)
    assert run.reward_info.reward == 1.0 and server.connections == 2
    del orchestrator
    gc.collect()
    assert await asyncio.to_thread(server.wait_ended, 2)

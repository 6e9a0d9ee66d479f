"""The ``realtime`` agent's factory checks and its tick-by-tick behaviour on a stub session
(no server): resampling, turn-taking, several calls in one response, closing."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import MODEL
from runner import (
    AssistantMessage,
    BuildContext,
    ConfigError,
    MultiToolMessage,
    ToolMessage,
    UserMessage,
)
from runner.voice import Audio, AudioDelta, FunctionCall, ResponseDone, TranscriptDelta
from runner_voice_openai.agent import RealtimeAgent
from runner_voice_openai.plugin import build_realtime_agent, realtime_tool
from runner_voice_openai.session import RATE


class StubSession:
    """A RealtimeSession that records calls and hands out queued events (no waiting)."""

    def __init__(self) -> None:
        self.calls: list[tuple[Any, ...]] = []
        self.queued: list[Any] = []
        self.closed = False

    async def send_audio(self, audio: Audio) -> None:
        self.calls.append(("audio", audio.sample_rate, audio.duration))

    async def commit(self) -> None:
        self.calls.append(("commit",))

    async def receive(self) -> list[Any]:
        events, self.queued = self.queued, []
        return events

    async def send_function_result(self, call_id: str, output: str) -> None:
        self.calls.append(("result", call_id, output))

    async def interrupt(self, item_id: str, played_seconds: float) -> None:
        self.calls.append(("interrupt", item_id, played_seconds))

    async def close(self) -> None:
        self.closed = True


def stub_agent(**options: Any) -> tuple[RealtimeAgent, StubSession]:
    session = StubSession()

    async def factory(history: list[dict[str, Any]]) -> StubSession:
        return session

    return RealtimeAgent(session_factory=factory, **options), session


def speech(rate: int, seconds: float = 0.2) -> UserMessage:
    audio = Audio(b"\x01\x00" * round(rate * seconds), rate)
    return UserMessage(content="hi").attach_audio(audio)


def answer(item: str, seconds: float, text: str) -> list[Any]:
    pcm = b"\x02\x00" * round(RATE * seconds)
    return [AudioDelta(Audio(pcm, RATE), item), TranscriptDelta(text, item, final=True)]


async def test_a_turn_is_committed_after_the_users_silence_and_said_at_its_rate() -> None:
    agent, session = stub_agent(end_of_turn_ticks=2)
    state = agent.get_init_state()
    for incoming in (speech(16000), speech(16000), None):
        chunk, state = await agent.aget_next_chunk(state, incoming)
        assert chunk is None
    assert ("commit",) not in session.calls
    session.queued = [*answer("i1", 0.5, "one two three"), ResponseDone(0.25, {"output_tokens": 9})]
    chunk, state = await agent.aget_next_chunk(state, None)
    assert session.calls[-1] == ("commit",)
    assert [c[:2] for c in session.calls[:2]] == [("audio", 16000)] * 2
    chunks = [chunk]
    while chunks[-1] is not None and not chunks[-1].is_final_chunk:
        chunk, state = await agent.aget_next_chunk(state, None)
        chunks.append(chunk)
    assert len(chunks) == 3  # 0.5 s in ticks of 0.2 s
    assert all(c.audio.sample_rate == 16000 and c.audio.duration == 0.2 for c in chunks)
    assert "".join(c.content or "" for c in chunks) == "one two three"
    assert [c.chunk_id for c in chunks] == [0, 1, 2]
    assert chunks[0].cost == 0.25 and chunks[0].usage == {"output_tokens": 9}
    assert chunks[1].cost is None
    chunk, state = await agent.aget_next_chunk(state, None)
    assert chunk is None


async def test_several_calls_of_one_response_are_one_chunk_and_their_results_go_back() -> None:
    agent, session = stub_agent()
    state = agent.get_init_state()
    session.queued = [
        FunctionCall("c1", "get_users", {}),
        FunctionCall("c2", "create_task", {"user_id": "u", "title": "t"}),
        ResponseDone(),
    ]
    state.awaiting = True
    chunk, state = await agent.aget_next_chunk(state, None)
    assert [(c.id, c.name, c.requestor) for c in chunk.tool_calls] == [
        ("c1", "get_users", "assistant"),
        ("c2", "create_task", "assistant"),
    ]
    results = MultiToolMessage(
        tool_messages=[ToolMessage(id="c1", content="[]"), ToolMessage(id="c2", content="ok")]
    )
    session.queued = [*answer("i2", 0.2, "done"), ResponseDone()]
    chunk, state = await agent.aget_next_chunk(state, results)
    assert session.calls[-2:] == [("result", "c1", "[]"), ("result", "c2", "ok")]
    assert chunk.content == "done" and chunk.is_final_chunk  # said within the same tick


async def test_talking_over_the_agent_cuts_it() -> None:
    agent, session = stub_agent(barge_in_ticks=2)
    state = agent.get_init_state()
    state.awaiting = True
    session.queued = [*answer("i3", 2.0, "a b c d e f g h i j"), ResponseDone()]
    chunk, state = await agent.aget_next_chunk(state, None)
    chunk, state = await agent.aget_next_chunk(state, speech(RATE))  # one tick over it: goes on
    assert chunk.content and not chunk.interrupted
    chunk, state = await agent.aget_next_chunk(state, speech(RATE))
    assert chunk.interrupted and chunk.content is None
    assert chunk.unspoken == "c d e f g h i j"
    assert session.calls[-1] == ("interrupt", "i3", 0.4)
    # What the cancelled answer still sends is dropped.
    session.queued = [AudioDelta(Audio(bytes(9600), RATE), "i3")]
    chunk, state = await agent.aget_next_chunk(state, None)
    assert chunk is None


async def test_a_user_without_audio_is_a_config_error() -> None:
    agent, _ = stub_agent()
    with pytest.raises(ConfigError, match="voice provider"):
        await agent.aget_next_chunk(agent.get_init_state(), UserMessage(content="hello"))


async def test_the_greeting_opens_the_session_and_aclose_closes_it() -> None:
    histories: list[Any] = []
    session = StubSession()

    async def factory(history: list[dict[str, Any]]) -> StubSession:
        histories.append(history)
        return session

    agent = RealtimeAgent(session_factory=factory)
    state = agent.get_init_state([AssistantMessage(content="Hi! How can I help?")])
    await agent.aget_next_chunk(state, None)
    assert histories == [
        [
            {
                "type": "message",
                "role": "assistant",
                "content": [{"type": "text", "text": "Hi! How can I help?"}],
            }
        ]
    ]
    await agent.aclose()
    assert session.closed


def context(**fields: Any) -> BuildContext:
    base: dict[str, Any] = {"llm": MODEL, "llm_args": {"api_key": "sk-unit-test-key-123456"}}
    return BuildContext(**{**base, **fields})


def test_unknown_options_name_the_known_ones() -> None:
    with pytest.raises(ConfigError) as error:
        build_realtime_agent(context(options={"tick_secs": 0.1}))
    text = str(error.value)
    assert "tick_secs" in text
    assert all(name in text for name in ("tick_seconds", "end_of_turn_ticks", "barge_in_ticks"))


@pytest.mark.parametrize(
    "options",
    [
        {"tick_seconds": "fast"},
        {"end_of_turn_ticks": 0},
        {"barge_in_ticks": 1.5},
        {"end_of_turn_ticks": "inf"},
    ],
)
def test_bad_option_values_are_config_errors(options: dict[str, Any]) -> None:
    with pytest.raises(ConfigError):
        build_realtime_agent(context(options=options))


def test_options_and_the_endpoint_are_taken() -> None:
    agent = build_realtime_agent(
        context(
            options={"tick_seconds": "0.1", "end_of_turn_ticks": "4", "barge_in_ticks": 3},
            llm_args={
                "api_key": "sk-unit-test-key-123456",
                "api_base": "https://example.test/v1",
                "voice": "alloy",
            },
        )
    )
    assert (agent.tick_seconds, agent.end_of_turn_ticks, agent.barge_in_ticks) == (0.1, 4, 3)
    assert agent.config.url == "wss://example.test/v1/realtime"
    assert agent.config.endpoint() == "wss://example.test/v1/realtime?model=gpt-realtime"
    assert agent.config.extra == {"voice": "alloy"}
    assert "sk-unit" not in repr(agent.config)


def test_a_model_is_required() -> None:
    with pytest.raises(ConfigError, match="--agent-llm"):
        build_realtime_agent(context(llm=None))


def test_tool_schemas_take_the_realtime_shape() -> None:
    schema = {
        "type": "function",
        "function": {"name": "f", "description": "d", "parameters": {"type": "object"}},
    }
    assert realtime_tool(schema) == {
        "type": "function",
        "name": "f",
        "description": "d",
        "parameters": {"type": "object"},
    }


def test_the_agent_is_registered(plugins: Any) -> None:
    entry = plugins.registry("agents").get("realtime")
    assert entry.obj is build_realtime_agent

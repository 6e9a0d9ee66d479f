"""Turn-taking under full duplex, tick by tick: a wrapped half-duplex agent (``replay``) and the
``scripted_streaming`` user, whose schedule makes it back-channel, interrupt or barge in.

The timeline without a schedule (one word per tick: 2.5 words/s at 0.2 s ticks; a turn is
taken after 3 silent ticks; each side hears the other's chunk of the previous tick):

- tick 0: the greeting (the agent is not called); tick 1: the user hears it;
- ticks 4-6: the user says its ticket "please complete task_1";
- tick 10: the agent takes the turn, makes its tool call within the tick and starts the answer
  (10 words, ticks 10-19);
- tick 23: the user, after 3 silent ticks, says ``###STOP###``.
"""

from __future__ import annotations

from typing import Any

import pytest
from runner import Task, run_simulation
from runner.builtins.replay import ReplayAgent
from runner.builtins.scripted import ScriptedUser
from runner.builtins.scripted_streaming import ScriptedStreamingUser, parse_schedule
from runner.errors import ConfigError
from runner.orchestrator import FullDuplexOrchestrator, HalfDuplexOrchestrator
from runner.orchestrator.streaming import split_words
from runner.testing import FakeDomain

ANSWER = ["task_1 is completed", "the status is now completed and saved"]
TASK = Task.model_validate(
    {
        "id": "turns",
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
            "communicate_info": ANSWER,
            "reward_basis": ["DB", "COMMUNICATE"],
        },
    }
)
ANSWER_TICKS = range(10, 20)
WORDS = "task_1 |is |completed\n|the |status |is |now |completed |and |saved".split("|")


async def converse(schedule: list[dict[str, Any]] | None = None, **options: Any) -> Any:
    domain = FakeDomain()
    user = (
        ScriptedStreamingUser(TASK, parse_schedule(schedule, "test"))
        if schedule is not None
        else ScriptedUser(TASK)
    )
    orchestrator = FullDuplexOrchestrator(
        environment=domain.environment(), agent=ReplayAgent(TASK), user=user, task=TASK, **options
    )
    return await run_simulation(orchestrator, environment_factory=domain.environment)


def said(chunk: dict[str, Any] | None) -> str | None:
    return None if chunk is None else chunk.get("content")


async def test_the_wrapped_conversation_follows_the_timeline() -> None:
    run = await converse()
    assert run.termination_reason.value == "user_stop", run.error
    assert run.reward_info.reward == 1.0
    ticks = run.ticks
    assert [said(t["user_chunk"]) for t in ticks[4:7]] == ["please ", "complete ", "task_1"]
    assert ticks[5]["user_chunk"] == {
        "role": "user",
        "content": "complete ",
        "chunk_id": 1,
        "is_final_chunk": False,
    }
    assert "is_final_chunk" not in ticks[6]["user_chunk"]  # the last piece of the message
    assert [c["name"] for c in ticks[10]["agent_tool_calls"]] == ["update_task_status"]
    assert [said(ticks[i]["agent_chunk"]) for i in ANSWER_TICKS] == WORDS
    assert said(ticks[23]["user_chunk"]) == "###STOP###" and len(ticks) == 24
    # the transcript is the half-duplex one: whole messages, the tool traffic in between
    assert [m.content for m in run.messages if m.role != "tool"] == [
        "Hi! How can I help you today?",
        "please complete task_1",
        None,
        "\n".join(ANSWER),
        "###STOP###",
    ]
    voice = run.voice
    assert voice["latency_ticks"] == [4]  # the ticket ends at tick 6, the answer starts at 10
    assert voice["interruptions"] == {"agent": 0, "user": 0}
    assert voice["speech_ticks"] == {"agent": 11, "user": 4}  # greeting + answer; ticket + stop


async def test_a_backchannel_does_not_take_the_turn_nor_enter_the_transcript() -> None:
    run = await converse([{"tick": 12, "backchannel": "mm-hm"}])
    ticks = run.ticks
    assert ticks[12]["user_chunk"] == {"role": "user", "content": "mm-hm", "backchannel": True}
    assert ticks[12]["user_transcript"] is None
    assert [said(ticks[i]["agent_chunk"]) for i in ANSWER_TICKS] == WORDS  # kept talking
    assert "mm-hm" not in [m.content for m in run.messages]
    assert run.reward_info.reward == 1.0 and run.termination_reason.value == "user_stop"
    assert run.voice["backchannels"] == {"agent": 0, "user": 1}
    assert run.voice["interruptions"] == {"agent": 0, "user": 0}


async def test_a_short_interruption_is_heard_without_stopping_the_agent() -> None:
    run = await converse([{"tick": 12, "say": "okay"}])
    ticks = run.ticks
    assert said(ticks[12]["user_chunk"]) == "okay"
    assert said(ticks[12]["agent_chunk"]) == "completed\n"  # overlap: both speak in tick 12
    assert [said(ticks[i]["agent_chunk"]) for i in ANSWER_TICKS] == WORDS  # one tick: no yield
    texts = [m.content for m in run.messages if m.role != "tool"]
    assert texts[3:5] == ["\n".join(ANSWER), "okay"]  # the agent's turn holds all it said
    assert run.reward_info.reward == 1.0
    assert run.voice["interruptions"] == {"agent": 0, "user": 1}
    assert run.voice["yielded"] == {"agent": 0, "user": 0}
    # the agent heard "okay" and answered it once the user was silent: its closing line
    assert run.termination_reason.value == "agent_stop"


async def test_barge_in_stops_the_agent_and_drops_its_remainder() -> None:
    run = await converse([{"tick": 12, "say": "hold on a second"}])
    ticks = run.ticks
    assert [said(ticks[i]["user_chunk"]) for i in range(12, 16)] == [
        "hold ",
        "on ",
        "a ",
        "second",
    ]
    assert said(ticks[13]["agent_chunk"]) == "the "  # spoken over for one tick: goes on
    assert ticks[14]["agent_chunk"] == {  # two ticks (barge_in_seconds 0.4): it stops
        "role": "assistant",
        "interrupted": True,
        "unspoken": "status is now completed and saved",
    }
    assert all(ticks[i]["agent_chunk"] is None for i in range(15, 18))
    cut = next(m for m in run.messages if m.role == "assistant" and m.interrupted)
    assert cut.content == "task_1 is completed\nthe "  # what was actually said
    assert cut.unspoken == "status is now completed and saved"
    checks = {c.info: c.met for c in run.reward_info.communicate_checks}
    assert checks == {ANSWER[0]: True, ANSWER[1]: False}
    assert run.reward_info.reward == 0.0
    assert run.voice["interruptions"] == {"agent": 0, "user": 1}
    assert run.voice["yielded"] == {"agent": 1, "user": 0}


async def test_wait_delays_the_next_turn_and_options_change_the_timing() -> None:
    run = await converse([{"tick": 1, "wait": 5}])
    assert [said(t["user_chunk"]) for t in run.ticks[9:12]] == ["please ", "complete ", "task_1"]
    fast = await converse(speaking_rate="10", end_of_turn_seconds="0.2")  # 2 words a tick
    assert said(fast.ticks[2]["user_chunk"]) == "please complete "
    assert fast.reward_info.reward == 1.0 and len(fast.ticks) < len((await converse()).ticks)


async def test_realtime_paces_the_ticks_to_the_wall_clock() -> None:
    import time

    started = time.perf_counter()
    run = await converse(realtime="true", tick_duration_seconds="0.01", end_of_turn_seconds="0.03")
    elapsed = time.perf_counter() - started
    assert len(run.ticks) == 24 and run.reward_info.reward == 1.0
    assert elapsed >= 23 * 0.01  # tick k starts no earlier than k tick durations in


def test_split_words_is_lossless_and_paced() -> None:
    text = "  one two\nthree   four five "
    for rate in (0.3, 1.0, 2.0, 2.5, 100.0):
        assert "".join(split_words(text, rate)) == text
    assert split_words(text, 2.0) == ["  one two\n", "three   four ", "five "]
    assert split_words("", 1.0) == []
    assert split_words(text, float("inf")) == [text]


def test_mistakes_are_config_errors_before_the_run() -> None:
    with pytest.raises(ConfigError, match="event 0 .* needs a non-negative integer 'tick'"):
        parse_schedule([{"say": "x"}], "--user-option schedule")
    with pytest.raises(ConfigError, match="not valid JSON"):
        parse_schedule("[{", "--user-option schedule")
    with pytest.raises(ConfigError, match="speaking_rate='fast': expected a number above 0"):
        FullDuplexOrchestrator(
            environment=None, agent=None, user=None, task=TASK, speaking_rate="fast"
        )
    streaming = ScriptedStreamingUser(TASK, [])
    with pytest.raises(ConfigError, match="streaming .*Run it with --orchestrator full_duplex"):
        HalfDuplexOrchestrator(environment=None, agent=ReplayAgent(TASK), user=streaming, task=TASK)


async def test_the_guides_streaming_agent_runs_as_documented() -> None:
    """docs/plugin-authoring.md's streaming agent, executed: it answers after the caller's
    silence, and stops when talked over."""
    from repo_paths import REPO

    guide = (REPO / "docs" / "plugin-authoring.md").read_text(encoding="utf-8")
    code = guide.split("# a streaming agent (complete)\n", 1)[1].split("```", 1)[0]
    namespace: dict[str, Any] = {}
    exec(compile(code, "plugin-authoring.md", "exec"), namespace)
    announcer = namespace["AnnouncerAgent"]
    data = TASK.model_dump(mode="json")
    data["evaluation_criteria"].update(
        reward_basis=["COMMUNICATE"], communicate_info=["task_1 is completed"]
    )
    task = Task.model_validate(data)

    async def talk(user: Any) -> Any:
        domain = FakeDomain()
        orchestrator = FullDuplexOrchestrator(
            environment=domain.environment(),
            agent=announcer("task_1 is completed"),
            user=user,
            task=task,
        )
        return await run_simulation(orchestrator, environment_factory=domain.environment)

    run = await talk(ScriptedUser(task))
    assert run.reward_info.reward == 1.0 and run.termination_reason.value == "user_stop"
    assert [m.content for m in run.messages][2] == "task_1 is completed "
    assert run.voice["latency_ticks"] == [3]  # two silent ticks, then it speaks
    cut = await talk(ScriptedStreamingUser(task, [{"tick": 10, "say": "wait"}]))
    answer = next(m for m in cut.messages if m.role == "assistant" and m.interrupted)
    assert answer.unspoken and cut.reward_info.reward == 0.0

"""The data model: τ²-bench task files round-trip unchanged; messages parse by role."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from foundation_helpers import tau2_task_files
from pydantic import TypeAdapter, ValidationError
from runner import (
    AssistantMessage,
    BuildContext,
    Message,
    MultiToolMessage,
    RewardInfo,
    RewardType,
    SimulationRun,
    SystemMessage,
    Task,
    TerminationReason,
    ToolCall,
    ToolMessage,
    UserMessage,
    dump_tasks,
    load_tasks,
)
from runner.models import StructuredUserInstructions, flatten

MESSAGES = TypeAdapter(list[Message])


@pytest.mark.parametrize("path", tau2_task_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_tau2_task_file_round_trips_byte_for_byte(path: Path) -> None:
    raw = json.loads(path.read_text(encoding="utf-8"))
    tasks = load_tasks(path)
    assert [t.id for t in tasks] == [t["id"] for t in raw]
    dumped = dump_tasks(tasks)
    # same JSON text, not only an equal object: key order and unknown fields are kept
    assert json.dumps(dumped, ensure_ascii=False) == json.dumps(raw, ensure_ascii=False)


def test_the_reference_data_has_every_task_file(tau2_data: Path) -> None:
    names = {f"{p.parent.name}/{p.name}" for p in tau2_task_files()}
    assert names == {
        "airline/tasks.json",
        "mock/tasks.json",
        "retail/tasks.json",
        "telecom/tasks_small.json",
    }


def test_loaded_tau2_tasks_have_typed_fields(tau2_data: Path) -> None:
    retail = load_tasks(tau2_data / "retail" / "tasks.json")
    first = retail[0]
    assert isinstance(first.user_scenario.instructions, StructuredUserInstructions)
    assert first.user_scenario.instructions.domain == "retail"
    assert first.evaluation_criteria is not None
    assert first.evaluation_criteria.reward_basis == [RewardType.DB, RewardType.NL_ASSERTION]
    assert [a.name for a in first.expected_actions()][-1] == "exchange_delivered_order_items"
    mock = {t.id: t for t in load_tasks(tau2_data / "mock" / "tasks.json")}
    history = mock["update_task_with_message_history"].initial_state.message_history
    assert [type(m) for m in history] == [
        UserMessage,
        AssistantMessage,
        ToolMessage,
        AssistantMessage,
    ]
    assert history[1].tool_calls[0].name == "create_task"


def test_unknown_fields_are_kept_at_every_level() -> None:
    data = {
        "id": "t1",
        "x_top": {"any": [1, 2]},
        "user_scenario": {"instructions": "do it", "x_scenario": True},
        "evaluation_criteria": {
            "actions": [{"action_id": "a", "name": "f", "arguments": {}, "x_action": 1}],
            "reward_basis": ["DB"],
            "x_criteria": "kept",
        },
        "initial_state": {"message_history": [{"role": "user", "content": "hi", "x_msg": 3}]},
    }
    task = Task.model_validate(data)
    assert task.to_json() == data
    assert json.dumps(task.to_json()) == json.dumps(data)
    assert task.model_extra == {"x_top": {"any": [1, 2]}}


def test_defaults_are_not_added_on_dump() -> None:
    task = Task.model_validate({"id": "t", "user_scenario": {"instructions": "x"}})
    assert task.to_json() == {"id": "t", "user_scenario": {"instructions": "x"}}
    assert task.evaluation_criteria is None


def test_structured_instructions_text_lists_every_part() -> None:
    task = Task.model_validate(
        {
            "id": "t",
            "user_scenario": {
                "instructions": {
                    "domain": "retail",
                    "reason_for_call": "refund",
                    "known_info": "name Ann",
                    "unknown_info": None,
                    "task_instructions": "be brief",
                }
            },
        }
    )
    text = task.user_scenario.instructions_text()
    assert "Domain: retail" in text and "refund" in text and "name Ann" in text
    assert "Unknown info" not in text and text.endswith("be brief")


def test_messages_parse_by_role_including_multi_tool() -> None:
    raw = [
        {"role": "system", "content": "policy"},
        {"role": "user", "content": "hello"},
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [{"id": "c1", "name": "f", "arguments": {"x": 1}}],
        },
        {"role": "tool", "id": "c1", "content": "ok"},
        {
            "role": "tool",
            "tool_messages": [
                {"role": "tool", "id": "c2", "content": "a"},
                {"role": "tool", "id": "c3", "content": "b", "error": True},
            ],
        },
        {
            "role": "user",
            "tool_calls": [{"id": "u1", "name": "toggle", "arguments": {}, "requestor": "user"}],
        },
    ]
    messages = MESSAGES.validate_python(raw)
    assert [type(m) for m in messages] == [
        SystemMessage,
        UserMessage,
        AssistantMessage,
        ToolMessage,
        MultiToolMessage,
        UserMessage,
    ]
    assert messages[2].tool_calls == [ToolCall(id="c1", name="f", arguments={"x": 1})]
    assert messages[2].is_tool_call() and not messages[2].has_text()
    assert messages[5].tool_calls[0].requestor == "user"
    multi = messages[4]
    assert [m.id for m in multi.tool_messages] == ["c2", "c3"]
    assert multi.content == "a\nb"
    assert [m.id for m in flatten(messages) if isinstance(m, ToolMessage)] == ["c1", "c2", "c3"]
    assert MESSAGES.dump_python(messages, mode="json", exclude_unset=True) == raw


def test_message_objects_validate_to_themselves() -> None:
    msg = AssistantMessage(content="hi")
    assert MESSAGES.validate_python([msg]) == [msg]
    multi = MultiToolMessage(tool_messages=[ToolMessage(id="1", content="x")])
    assert isinstance(MESSAGES.validate_python([multi])[0], MultiToolMessage)


def test_an_unknown_role_is_a_readable_error() -> None:
    with pytest.raises(
        ValidationError, match="role must be 'system', 'user', 'assistant' or 'tool'"
    ):
        MESSAGES.validate_python([{"role": "robot", "content": "beep"}])


def test_audio_chunk_fields_round_trip() -> None:
    chunk = {
        "role": "user",
        "content": "hel",
        "is_audio": True,
        "audio_content": "UklGRg==",
        "chunk_id": 3,
        "is_final_chunk": False,
    }
    msg = MESSAGES.validate_python([chunk])[0]
    assert msg.is_audio and msg.chunk_id == 3 and msg.is_final_chunk is False
    assert msg.to_json() == chunk


def test_simulation_run_round_trips_through_json() -> None:
    run = SimulationRun(
        id="r1",
        task_id="t1",
        trial=0,
        seed=7,
        termination_reason=TerminationReason.USER_STOP,
        messages=[
            AssistantMessage(content="Hi"),
            UserMessage(content="bye ###STOP###"),
            MultiToolMessage(tool_messages=[ToolMessage(id="a", content="1")]),
        ],
        reward_info=RewardInfo(
            reward=1.0, reward_basis=[RewardType.DB], reward_breakdown={"DB": 1.0}
        ),
    )
    line = run.model_dump_json()
    back = SimulationRun.model_validate_json(line)
    assert back == run
    assert json.loads(line)["termination_reason"] == "user_stop"
    assert back.reward == 1.0 and not back.is_infrastructure_error
    assert {r.value for r in TerminationReason} == {
        "user_stop",
        "agent_stop",
        "max_steps",
        "timeout",
        "too_many_errors",
        "agent_error",
        "user_error",
        "infrastructure_error",
        "context_window_exceeded",
        "unexpected_error",
    }


def test_reward_types_are_tau2_upper_case_names() -> None:
    assert [r.value for r in RewardType] == [
        "DB",
        "ENV_ASSERTION",
        "NL_ASSERTION",
        "ACTION",
        "COMMUNICATE",
    ]
    assert f"{RewardType.DB}" == "DB"


def test_build_context_is_frozen_and_has_the_design_fields() -> None:
    ctx = BuildContext(policy="be nice", llm="gpt-x", seed=3, options={"k": "v"})
    assert {
        "environment",
        "tools",
        "user_tools",
        "policy",
        "task",
        "llm",
        "llm_args",
        "seed",
        "options",
    } <= set(BuildContext.model_fields)
    with pytest.raises(ValidationError):
        ctx.policy = "changed"  # type: ignore[misc]

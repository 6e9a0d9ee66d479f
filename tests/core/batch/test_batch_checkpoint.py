"""results.jsonl: line format, fast parsing, torn lines, secrets, configuration diffs."""

from __future__ import annotations

import json

import pytest
from runner.errors import RunnerError
from runner.models import (
    AssistantMessage,
    MultiToolMessage,
    RewardInfo,
    SimulationRun,
    ToolMessage,
    UserMessage,
)
from runner.secrets import mask_argv, mask_secrets
from runner.store import (
    ResultsWriter,
    config_diff,
    parse_record,
    read_results,
    result_line,
    scan_results,
)


def make_run(task="t1", trial=0, seed=7, reason="user_stop", reward=1.0, **kw):
    return SimulationRun(
        id=f"{task}-{trial}",
        task_id=task,
        trial=trial,
        seed=seed,
        termination_reason=reason,
        duration=1.5,
        agent_cost=0.1,
        usage={"agent": {"prompt_tokens": 5, "completion_tokens": 2}, "judge": {"total_tokens": 3}},
        reward_info=None if reward is None else RewardInfo(reward=reward),
        messages=[
            AssistantMessage(content="hi"),
            UserMessage(content="hello"),
            MultiToolMessage(tool_messages=[ToolMessage(id="a", content="x")]),
        ],
        **kw,
    )


def write(path, runs):
    with ResultsWriter(path) as w:
        for r in runs:
            w.append(r)


def test_line_has_required_fields_first_and_round_trips(tmp_path):
    run = make_run()
    line = result_line(run)
    assert line.endswith(b"\n") and line.count(b"\n") == 1
    data = json.loads(line)
    assert list(data)[:5] == ["id", "task_id", "trial", "seed", "termination_reason"]
    assert data["reward_info"]["reward"] == 1.0
    assert [m["role"] for m in data["messages"]] == ["assistant", "user", "tool"]
    assert data["messages"][2]["tool_messages"][0]["role"] == "tool"
    write(tmp_path / "r.jsonl", [run])
    (back,) = read_results(tmp_path / "r.jsonl")
    assert back.model_dump() == run.model_dump()


def test_defaults_are_written_even_when_unset():
    data = json.loads(
        result_line(SimulationRun(id="x", task_id="t", termination_reason="user_stop"))
    )
    assert data["trial"] == 0 and data["seed"] is None and data["reward_info"] is None


def test_fast_parse_equals_full_parse_and_falls_back():
    run = make_run(info={"nested": {"messages": [1, 2]}})
    line = result_line(run)
    fast = parse_record(line)
    assert fast == parse_record(json.dumps(json.loads(line)).encode() + b"\n")  # slow path
    assert (fast.task_id, fast.trial, fast.seed, fast.termination_reason, fast.reward) == (
        "t1",
        0,
        7,
        "user_stop",
        1.0,
    )
    assert (fast.prompt_tokens, fast.completion_tokens, fast.agent_cost) == (5, 2, 0.1)
    # A line written by another tool, with "messages" first: the full parse is used.
    other = (
        json.dumps(
            {
                "messages": [],
                "reward_info": {"reward": 0.5, "x": {"messages": 1}},
                "task_id": "t2",
                "trial": 1,
                "seed": 3,
                "termination_reason": "agent_stop",
            }
        ).encode()
        + b"\n"
    )
    rec = parse_record(other)
    assert (rec.task_id, rec.trial, rec.reward) == ("t2", 1, 0.5)
    with pytest.raises(ValueError):
        parse_record(b'{"no": "result"}\n')
    with pytest.raises(ValueError):
        parse_record(b'{"id": "x", "task_id": "t", "tri')


def test_torn_last_line_is_truncated_and_reported(tmp_path):
    path = tmp_path / "results.jsonl"
    write(path, [make_run("a"), make_run("b")])
    good_size = path.stat().st_size
    with open(path, "ab") as f:
        f.write(result_line(make_run("c"))[:40])  # crash mid-write
    scan = scan_results(path, repair=False)
    assert scan.torn_bytes == 40 and path.stat().st_size == good_size + 40  # read-only
    scan = scan_results(path, repair=True)
    assert set(k[0] for k in scan.latest) == {"a", "b"}
    assert path.stat().st_size == good_size
    assert all(json.loads(x) for x in path.read_text().splitlines())
    write(path, [make_run("c")])  # appending after the repair gives a clean file
    assert [json.loads(x)["task_id"] for x in path.read_text().splitlines()] == ["a", "b", "c"]


def test_zero_filled_tail_is_cut_but_many_bad_lines_are_refused(tmp_path):
    path = tmp_path / "results.jsonl"
    write(path, [make_run("a")])
    size = path.stat().st_size
    with open(path, "ab") as f:
        f.write(b"\0" * 100 + b"\n")
    scan = scan_results(path, repair=True)
    assert scan.torn_bytes == 101 and path.stat().st_size == size
    with open(path, "ab") as f:
        f.write(b"not json\nnot json either\n")
    with pytest.raises(RunnerError, match="Refusing to cut"):
        scan_results(path, repair=True)


def test_bad_middle_line_is_skipped_and_reported(tmp_path):
    path = tmp_path / "results.jsonl"
    write(path, [make_run("a")])
    with open(path, "ab") as f:
        f.write(b"garbage\n")
    write(path, [make_run("b")])
    scan = scan_results(path, repair=True)
    assert scan.bad_lines == [2]
    assert {k[0] for k in scan.latest} == {"a", "b"}


def test_newest_line_of_a_unit_wins_and_infra_errors_are_not_done(tmp_path):
    path = tmp_path / "results.jsonl"
    write(
        path,
        [
            make_run("a", reason="infrastructure_error", reward=None),
            make_run("b"),
            make_run("c", reason="infrastructure_error", reward=None),
        ],
    )
    write(path, [make_run("a", reward=0.0)])
    scan = scan_results(path)
    assert scan.latest[("a", 0, 7)].termination_reason == "user_stop"
    assert scan.done() == {("a", 0, 7), ("b", 0, 7)}
    assert [r.task_id for r in read_results(path)] == ["b", "c", "a"]
    assert len(read_results(path, latest_only=False)) == 4


def test_secrets_are_masked():
    cfg = {
        "agent_llm_args": {
            "api_key": "sk-123",
            "temperature": 0,
            "max_tokens": 5,
            "extra_headers": {"Authorization": "Bearer x"},
        }
    }
    masked = mask_secrets(cfg)
    assert masked["agent_llm_args"] == {
        "api_key": "***",
        "temperature": 0,
        "max_tokens": 5,
        "extra_headers": {"Authorization": "***"},
    }
    argv = [
        "runner",
        "run",
        "--agent-llm-args",
        '{"api_key": "sk-123"}',
        "--agent-option",
        "api_token=abc",
        "--agent-option",
        "max_tokens=5",
    ]
    out = mask_argv(argv)
    assert "sk-123" not in " ".join(out) and "abc" not in " ".join(out)
    assert out[-1] == "max_tokens=5"


def test_config_diff_lists_changed_fields():
    diff = config_diff(
        {"num_trials": 2, "agent_options": {"a": 1}, "seed": 1},
        {"num_trials": 3, "agent_options": {"a": 2}, "seed": 1},
    )
    assert diff == ["agent_options.a: 1 (stored) -> 2 (now)", "num_trials: 2 (stored) -> 3 (now)"]


def test_background_sync_writer_writes_every_line_and_stops(tmp_path):
    path = tmp_path / "results.jsonl"
    writer = ResultsWriter(path, background_sync=True)
    for i in range(50):
        writer.append(make_run(f"t{i}"))
    syncer = writer._syncer
    writer.close()
    assert syncer is not None and not syncer.is_alive()
    assert [json.loads(x)["task_id"] for x in path.read_text().splitlines()] == [
        f"t{i}" for i in range(50)
    ]
    with pytest.raises(RuntimeError):
        writer.append(make_run())


def test_nested_reward_info_key_falls_back_to_full_parse():
    run = make_run().model_copy(
        update={"usage": {"agent": {"prompt_tokens": 1, "reward_info": {"reward": 9}}}}
    )
    rec = parse_record(result_line(run))
    assert rec.reward == 1.0 and rec.prompt_tokens == 1

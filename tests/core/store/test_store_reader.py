"""One results reader: ``strict`` raises on a bad line, lenient skips it; the newest line wins."""

from __future__ import annotations

import pytest
from runner.errors import RunnerError
from runner.models import RewardInfo, SimulationRun
from runner.store import newest_wins, read_results, read_results_file, result_line


def line(task: str, reward: float = 1.0) -> bytes:
    run = SimulationRun(
        id=task,
        task_id=task,
        trial=0,
        seed=None,
        termination_reason="user_stop",
        duration=1.0,
        reward_info=RewardInfo(reward=reward),
        messages=[],
    )
    return result_line(run)


def test_newest_wins_keeps_the_last_item_of_each_key_in_the_order_they_won():
    items = [("a", 1), ("b", 1), ("a", 2), ("c", 1), ("b", 2)]
    assert list(newest_wins(items, lambda i: i[0]).values()) == [("a", 2), ("c", 1), ("b", 2)]
    into = {"z": ("z", 0)}
    assert newest_wins([("z", 1)], lambda i: i[0], into) is into and into["z"] == ("z", 1)


def test_a_bad_middle_line_is_skipped_leniently_and_named_strictly(tmp_path):
    path = tmp_path / "results.jsonl"
    path.write_bytes(line("a", 0.0) + b"not json\n" + line("b") + line("a"))
    assert [(r.task_id, r.reward_info.reward) for r in read_results(path)] == [
        ("b", 1.0),
        ("a", 1.0),
    ]
    with pytest.raises(RunnerError, match=r"results.jsonl, line 2, column 1: invalid JSON"):
        read_results(path, strict=True)
    with pytest.raises(RunnerError, match="line 2"):
        read_results_file(path)
    lenient = read_results_file(path, strict=False)
    assert [r.task_id for r in lenient.runs] == ["b", "a"] and lenient.format == "runner"


def test_a_torn_last_line_is_a_warning_when_strict_and_skipped_when_lenient(tmp_path):
    path = tmp_path / "results.jsonl"
    path.write_bytes(line("a") + line("b")[:20])
    assert [r.task_id for r in read_results(path)] == ["a"]
    assert [r.task_id for r in read_results(path, strict=True)] == ["a"]
    strict = read_results_file(path)
    assert [r.task_id for r in strict.runs] == ["a"]
    assert strict.warnings and "line 2 is incomplete" in strict.warnings[0]


def test_a_result_that_does_not_validate_names_its_field(tmp_path):
    path = tmp_path / "results.jsonl"
    bad = line("b").replace(b'"messages":[]', b'"messages":3')
    path.write_bytes(line("a") + bad)
    with pytest.raises(RunnerError, match="line 2, field messages"):
        read_results(path, strict=True)
    assert [r.task_id for r in read_results(path)] == ["a"]

"""Malformed task files: the error names the file, the task (index and id), the field and, for
JSON syntax and task positions, the line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from runner import Task, TaskFileError, dump_tasks, load_tasks

GOOD = [
    {"id": "a", "user_scenario": {"instructions": "say hi"}},
    {
        "id": "b",
        "user_scenario": {
            "instructions": {"domain": "d", "reason_for_call": "r", "task_instructions": "t"}
        },
        "evaluation_criteria": {
            "actions": [{"action_id": "b0", "name": "f", "arguments": {}}],
            "reward_basis": ["DB", "ACTION"],
        },
    },
    {
        "id": "c",
        "user_scenario": {"instructions": "x"},
        "initial_state": {
            "message_history": [
                {"role": "user", "content": "hi"},
                {"role": "assistant", "tool_calls": [{"id": "1", "name": "f", "arguments": {}}]},
                {"role": "tool", "id": "1", "content": "ok"},
            ]
        },
    },
]


def write(tmp_path: Path, data: object = None, text: str | None = None) -> Path:
    path = tmp_path / "tasks.json"
    path.write_text(text if text is not None else json.dumps(data, indent=2), encoding="utf-8")
    return path


def error_of(path: Path) -> str:
    with pytest.raises(TaskFileError) as info:
        load_tasks(path)
    message = str(info.value)
    assert "\n" not in message and str(path) in message
    return message


def copy_good() -> list[dict]:
    return json.loads(json.dumps(GOOD))


def test_good_file_loads_and_accepts_a_tasks_wrapper(tmp_path: Path) -> None:
    assert [t.id for t in load_tasks(write(tmp_path, GOOD))] == ["a", "b", "c"]
    assert [t.id for t in load_tasks(write(tmp_path, {"tasks": GOOD}))] == ["a", "b", "c"]


def test_json_syntax_error_gives_line_and_column(tmp_path: Path) -> None:
    text = json.dumps(GOOD, indent=2).replace('"id": "b"', '"id": "b",,', 1)
    line = next(i for i, s in enumerate(text.splitlines(), 1) if '"b",,' in s)
    message = error_of(write(tmp_path, text=text))
    assert f"line {line}, column" in message and "invalid JSON" in message


def test_wrong_field_type_names_task_id_index_line_and_field_path(tmp_path: Path) -> None:
    data = copy_good()
    data[1]["evaluation_criteria"]["reward_basis"] = ["DB", "DBX"]
    path = write(tmp_path, data)
    field_line = next(i for i, s in enumerate(path.read_text().splitlines(), 1) if '"DBX"' in s)
    message = error_of(path)
    assert (
        f"line {field_line}, task 1 (id 'b'), field evaluation_criteria.reward_basis[1]" in message
    )
    assert "'DB'" in message and "docs/file-formats.md" in message


def test_missing_required_field_in_structured_instructions(tmp_path: Path) -> None:
    data = copy_good()
    del data[1]["user_scenario"]["instructions"]["reason_for_call"]
    message = error_of(write(tmp_path, data))
    # the most specific error wins over "should be a valid string" from the other union branch
    assert (
        "task 1 (id 'b'), field user_scenario.instructions.reason_for_call: Field required"
        in message
    )


def test_error_inside_message_history_has_no_pydantic_tags_in_the_path(tmp_path: Path) -> None:
    data = copy_good()
    data[2]["initial_state"]["message_history"][1]["tool_calls"][0]["name"] = 5
    message = error_of(write(tmp_path, data))
    assert (
        "field initial_state.message_history[1].tool_calls[0].name: Input should be a valid string"
        in message
    )


def test_bad_role_is_explained(tmp_path: Path) -> None:
    data = copy_good()
    data[2]["initial_state"]["message_history"][0]["role"] = "robot"
    message = error_of(write(tmp_path, data))
    assert "field initial_state.message_history[0]: the message role must be" in message


def test_missing_id_uses_the_index(tmp_path: Path) -> None:
    data = copy_good()
    del data[2]["id"]
    message = error_of(write(tmp_path, data))
    assert "task 2, field id: Field required" in message


def test_duplicate_ids_are_refused(tmp_path: Path) -> None:
    data = copy_good()
    data[2]["id"] = "a"
    message = error_of(write(tmp_path, data))
    assert "task 2 (id 'a'): duplicate task id 'a' (first at task 0)" in message


def test_not_a_list_not_an_object_and_missing_file(tmp_path: Path) -> None:
    assert "expected a JSON list of task objects at the top level, found dict" in error_of(
        write(tmp_path, {"id": "a"})
    )
    assert "task 1: expected a task object, found int" in error_of(
        write(tmp_path, text='[{"id": "a", "user_scenario": {"instructions": "x"}}, 7]')
    )
    assert "does not exist" in error_of(tmp_path / "nope.json")


def test_line_numbers_work_on_one_line_files_and_strings_with_brackets(tmp_path: Path) -> None:
    data = copy_good()
    data[0]["user_scenario"]["instructions"] = 'tricky "[{" text with \\" escapes }]'
    data[1]["user_scenario"] = {}
    assert "line 1, task 1 (id 'b'), field user_scenario.instructions" in error_of(
        write(tmp_path, text=json.dumps(data))
    )
    pretty = write(tmp_path, data)
    expected = next(
        i for i, s in enumerate(pretty.read_text().splitlines(), 1) if '"user_scenario": {}' in s
    )
    assert f"line {expected}, task 1" in error_of(pretty)  # the line of the bad field


def test_every_invalid_task_is_reported_at_once_at_its_fields_line(tmp_path: Path) -> None:
    data = copy_good()
    data[0]["user_scenario"] = {}
    data[1]["evaluation_criteria"]["reward_basis"] = ["DBX"]
    del data[2]["id"]
    path = write(tmp_path, {"tasks": data})
    lines = path.read_text().splitlines()
    dbx = next(i for i, s in enumerate(lines, 1) if '"DBX"' in s)
    scenario = next(i for i, s in enumerate(lines, 1) if '"user_scenario": {}' in s)
    message = error_of(path)
    assert message.startswith(f"Task file {path}: 3 invalid task(s), each where its problem is")
    assert f"line {scenario}, task 0 (id 'a'), field user_scenario.instructions" in message
    assert f"line {dbx}, task 1 (id 'b'), field evaluation_criteria.reward_basis[0]" in message
    assert "task 2, field id: Field required" in message


def test_the_list_of_invalid_tasks_is_bounded(tmp_path: Path) -> None:
    from runner.models.taskfile import MAX_REPORTED

    bad = [{"id": f"t{i}", "user_scenario": {}} for i in range(MAX_REPORTED + 5)]
    message = error_of(write(tmp_path, bad))
    assert f"{MAX_REPORTED + 5} invalid task(s)" in message
    assert message.count("field user_scenario.instructions") == MAX_REPORTED
    assert "; ... and 5 more invalid task(s). Fix each one" in message


def test_task_errors_are_runner_errors_and_value_errors(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        load_tasks(write(tmp_path, text="[1"))


def test_dump_tasks_of_python_built_tasks() -> None:
    task = Task(id="z", user_scenario={"instructions": "go"})
    assert dump_tasks([task]) == [{"id": "z", "user_scenario": {"instructions": "go"}}]

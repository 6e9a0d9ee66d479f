"""`runner play` through a pseudo-terminal: a person solves a mock task by typing the expected
tool call and the answer, gets reward 1.0, and the conversation is saved as a run."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pexpect
import pytest

pytestmark = pytest.mark.slow


def test_a_person_solves_a_mock_task_in_the_terminal(tmp_path) -> None:
    runner_exe = str(Path(sys.executable).parent / "runner")
    env = {**os.environ, "RUNNER_LOAD_PLUGINS": "runner-mock,runner-gym", "TERM": "dumb"}
    child = pexpect.spawn(
        runner_exe,
        [
            "play",
            "--domain",
            "mock",
            "--task-id",
            "create_for_new_user",
            "--output-dir",
            str(tmp_path),
            "--run-name",
            "played",
        ],
        env=env,
        encoding="utf-8",
        timeout=60,
    )
    try:
        child.expect("Jonas Weber \\(user_4\\) wants a new task")
        child.expect("you> ")
        child.sendline("/tools")
        child.expect("create_task\\(user_id: string, title: string")
        child.expect("you> ")
        child.sendline('create_task {"user_id": "user_4", "title": "Prepare demo slides"}')
        child.expect('tool result: \\{"task_id": "task_5"')
        child.expect("you> ")
        child.sendline("Your task is task_5.")
        child.expect("Reward: 1.000")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0
    line = json.loads((tmp_path / "played" / "results.jsonl").read_text())
    assert line["task_id"] == "create_for_new_user" and line["reward_info"]["reward"] == 1.0
    assert (tmp_path / "played" / "run.json").exists()

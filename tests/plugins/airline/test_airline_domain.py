"""The airline domain: its own data, τ²-bench's task files, options, registration, packaging."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from repo_paths import wheel_names
from runner import RunnerError, ToolCall
from runner.errors import ConfigError

PLUGIN_ROOT = Path(__file__).resolve().parents[3] / "plugins" / "airline"


# -- own data --------------------------------------------------------------------------------
def test_own_data(own_domain: Any) -> None:
    stats = own_domain.base_db().get_statistics()
    assert (
        stats["num_flights"] >= 30 and stats["num_users"] >= 10 and stats["num_reservations"] >= 20
    )
    tasks = own_domain.all_tasks()
    assert len(tasks) >= 20
    splits = {s: {t.id for t in own_domain.tasks(s)} for s in own_domain.splits()}
    assert set(splits) == {"train", "test", "base"}
    assert splits["train"] | splits["test"] == splits["base"] == {t.id for t in tasks}
    assert not splits["train"] & splits["test"]
    assert own_domain.tasks() == own_domain.tasks("base")
    assert "2024-05-15" in own_domain.policy and "transfer_to_human_agents" in own_domain.policy


def test_own_tasks_are_complete_and_their_actions_succeed(own_domain: Any) -> None:
    """Every expected action of every own task runs without error on a fresh environment."""
    tool_names = {t.name for t in own_domain.environment().tools()}
    pristine = own_domain.base_db().hash()
    changed = 0
    for task in own_domain.all_tasks():
        criteria = task.evaluation_criteria
        assert criteria is not None and criteria.actions, task.id
        assert [r.value for r in criteria.reward_basis] == ["DB", "COMMUNICATE"], task.id
        assert task.user_scenario.instructions_text() and task.description, task.id
        assert all("," not in info for info in criteria.communicate_info or []), task.id
        env = own_domain.environment()
        for action in criteria.actions:
            assert action.name in tool_names, (task.id, action.name)
            result = env.execute(
                ToolCall(id=action.action_id, name=action.name, arguments=action.arguments)
            )
            assert not result.error, (task.id, action.action_id, result.content)
        changed += env.db_hash() != pristine
    assert changed >= 15  # most tasks change the database; the others test refusals


def test_environments_are_fresh_and_independent(own_domain: Any) -> None:
    first, second = own_domain.environment(), own_domain.environment()
    first.execute(
        ToolCall(id="1", name="cancel_reservation", arguments={"reservation_id": "W3JX5T"})
    )
    first.toolkit.db.flights["HAT101"].dates["2024-05-20"].available_seats["economy"] = -1
    assert first.db_hash() != second.db_hash() == own_domain.base_db().hash()
    assert own_domain.environment().db_hash() == own_domain.base_db().hash()


# -- τ²-bench's data -------------------------------------------------------------------------
def test_tau2_task_files_load_unchanged(own_domain: Any, tau2_airline_dir: Path) -> None:
    domain = own_domain.configure({"data_dir": str(tau2_airline_dir)})
    tasks = domain.all_tasks()
    assert len(tasks) == 50
    assert {s: len(domain.tasks(s)) for s in domain.splits()} == {
        "train": 30,
        "test": 20,
        "base": 50,
    }
    assert domain.policy == (tau2_airline_dir / "policy.md").read_text(encoding="utf-8")
    raw = json.loads((tau2_airline_dir / "tasks.json").read_text(encoding="utf-8"))
    assert [t.to_json() for t in tasks] == raw  # nothing lost, nothing added


def test_tau2_data_without_its_database_says_so(own_domain: Any, tau2_airline_dir: Path) -> None:
    domain = own_domain.configure({"data_dir": str(tau2_airline_dir)})
    with pytest.raises(RunnerError) as raised:
        domain.environment()
    message = str(raised.value)
    assert "airline database is missing" in message
    assert str(tau2_airline_dir) in message and "db.json" in message
    assert "\n" not in message
    assert len(domain.tasks()) == 50  # the tasks are still there


def test_every_tau2_action_calls_our_tools_correctly(
    own_domain: Any, tau2_airline_dir: Path
) -> None:
    """Each expected action of τ²-bench's 50 tasks names one of our tools, with arguments that
    our tool's schema accepts."""
    kit = own_domain.environment().toolkit
    checked = 0
    for task in own_domain.configure({"data_dir": str(tau2_airline_dir)}).all_tasks():
        for action in task.expected_actions():
            assert action.requestor == "assistant", task.id
            assert kit.has_tool(action.name), (task.id, action.name)
            kit.get_tool(action.name).validate(action.arguments)  # raises when they do not fit
            checked += 1
    assert checked >= 140


def test_data_dir_from_the_environment_variable(monkeypatch: Any, tau2_airline_dir: Path) -> None:
    from runner_airline.domain import AirlineDomain

    monkeypatch.setenv("RUNNER_AIRLINE_DATA_DIR", str(tau2_airline_dir))
    assert len(AirlineDomain().all_tasks()) == 50


def test_a_folder_with_its_own_database(own_domain: Any, tmp_path: Path) -> None:
    """Any folder laid out like τ²-bench's works, the database included."""
    source = own_domain.default_data_dir
    for name in ("db.json", "tasks.json", "policy.md"):
        (tmp_path / name).write_bytes((source / name).read_bytes())
    domain = own_domain.configure({"data_dir": str(tmp_path)})
    assert domain.splits() == ["base"]  # no split file: one split with every task
    assert domain.environment().db_hash() == own_domain.base_db().hash()


def test_task_file_option(own_domain: Any, tmp_path: Path) -> None:
    raw = json.loads((own_domain.default_data_dir / "tasks.json").read_text(encoding="utf-8"))[:3]
    path = tmp_path / "three.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    assert [t.id for t in own_domain.configure({"task_file": str(path)}).tasks()] == ["0", "1", "2"]


def test_bad_options_are_readable_errors(own_domain: Any, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="data_dir, task_file"):
        own_domain.configure({"data_dri": "x"})
    with pytest.raises(ConfigError, match="does not exist"):
        own_domain.configure({"data_dir": str(tmp_path / "missing")}).all_tasks()


# -- registration and packaging --------------------------------------------------------------
def test_registered_through_the_entry_point() -> None:
    from runner.plugins import load_plugins

    domain = load_plugins().registry("domains").get("airline").obj
    assert type(domain).__name__ == "AirlineDomain" and domain.name == "airline"
    assert domain.data_dir_env == "RUNNER_AIRLINE_DATA_DIR"


def test_plugin_module_imports_no_models() -> None:
    code = (
        "import sys, runner_airline.plugin as p\n"
        "p.register_domains(lambda d: None)\n"
        "print(sorted(m for m in sys.modules if m.startswith(('pydantic', 'runner_airline.models', "
        "'runner_airline.tools'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_package_data_ships_in_the_wheel(tmp_path: Path) -> None:
    """hatchling packs everything under src/runner_airline, the data folder included (built
    offline with uv)."""
    names = wheel_names(PLUGIN_ROOT, tmp_path)
    for name in ("db.json", "tasks.json", "split_tasks.json", "policy.md"):
        assert f"runner_airline/data/{name}" in names
    assert not any(n.startswith("scripts/") or "/scripts/" in n for n in names)

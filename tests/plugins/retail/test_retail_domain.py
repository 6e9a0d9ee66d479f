"""The retail domain loads τ²-bench's data and ours, hashes like τ²-bench, and registers cheaply."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from repo_paths import wheel_names
from runner import ToolCall
from runner.errors import ConfigError

#: τ²-bench's RetailDB(db.json).get_hash() for its retail data (commit a2c02472). Kept here, not
#: in conftest.py: "from conftest import" picks whichever conftest module was imported first.
TAU2_RETAIL_DB_HASH = "b25c9cb211f5efcaee5dd646054a73c4a9f43f4f5acc32c10713cd9f9ac20e9c"


def test_loads_tau2_data(tau2_domain: Any) -> None:
    db = tau2_domain.base_db()
    assert db.statistics() == {
        "num_products": 50,
        "num_users": 500,
        "num_orders": 1000,
        "total_num_items": 591,
    }
    assert len(tau2_domain.tasks(None)) == 114 or len(tau2_domain.all_tasks()) == 114
    assert {s: len(tau2_domain.tasks(s)) for s in tau2_domain.splits()} == {
        "train": 74,
        "test": 40,
        "base": 114,
    }
    assert tau2_domain.policy.startswith("# Retail agent policy")


def test_tau2_db_hash_is_tau2s(tau2_domain: Any) -> None:
    assert tau2_domain.base_db().hash() == TAU2_RETAIL_DB_HASH
    assert tau2_domain.environment().db_hash() == TAU2_RETAIL_DB_HASH


def replay_actions(domain: Any, task: Any) -> tuple[str, int, str]:
    """Run a task's expected actions on a fresh environment: (db hash, failures, results digest)."""
    env = domain.environment()
    failed = 0
    results = hashlib.sha256()
    for action in task.expected_actions():
        result = env.execute(ToolCall(id="x", name=action.name, arguments=action.arguments))
        failed += result.error
        results.update(result.content.encode() + b"\0")
    return env.db_hash(), failed, results.hexdigest()


def test_tau2_tasks_give_tau2s_results_and_state(
    tau2_domain: Any, task_hashes: dict[str, Any]
) -> None:
    """Each task's expected actions, run on a fresh environment, give the same tool message
    contents (a digest of them), failures and final database hash as τ²-bench's own tools."""
    want = task_hashes["tau2"]
    assert want["initial_db_hash"] == TAU2_RETAIL_DB_HASH
    tasks = tau2_domain.all_tasks()
    assert len(tasks) == len(want["tasks"]) == 114
    for task in tasks:
        w = want["tasks"][task.id]
        got = replay_actions(tau2_domain, task)
        assert got == (w["db_hash"], w["failed_actions"], w["results_sha256"]), task.id


def test_own_data(own_domain: Any, task_hashes: dict[str, Any]) -> None:
    db = own_domain.base_db()
    stats = db.statistics()
    assert stats["num_products"] == 50 and 30 <= stats["num_users"] <= 60
    assert db.hash() == task_hashes["own"]["initial_db_hash"]
    tasks = own_domain.all_tasks()
    assert len(tasks) >= 20
    assert set(own_domain.splits()) == {"train", "test", "base"}
    train, test = (
        {t.id for t in own_domain.tasks("train")},
        {t.id for t in own_domain.tasks("test")},
    )
    assert train | test == {t.id for t in tasks} and not train & test
    assert "Identify the customer first" in own_domain.policy


def test_own_tasks_are_valid_and_their_actions_succeed(
    own_domain: Any, task_hashes: dict[str, Any]
) -> None:
    known_tools = {t.name for t in own_domain.environment().tools()}
    writing = 0
    for task in own_domain.all_tasks():
        criteria = task.evaluation_criteria
        assert criteria is not None and criteria.actions and criteria.reward_basis, task.id
        assert {r.value for r in criteria.reward_basis} <= {"DB", "COMMUNICATE", "ACTION"}, task.id
        assert task.user_scenario.instructions_text(), task.id
        assert {a.name for a in criteria.actions} <= known_tools, task.id
        db_hash, failed, results = replay_actions(own_domain, task)
        assert failed == 0, task.id
        # and τ²-bench's tools give the same results and state from the same actions
        w = task_hashes["own"]["tasks"][task.id]
        assert (db_hash, results) == (w["db_hash"], w["results_sha256"]), task.id
        writing += db_hash != task_hashes["own"]["initial_db_hash"]
    assert writing >= 15  # most tasks change the database


def test_data_dir_from_the_environment_variable(monkeypatch: Any, tau2_retail_dir: Path) -> None:
    from runner_retail.domain import RetailDomain

    monkeypatch.setenv("RUNNER_RETAIL_DATA_DIR", str(tau2_retail_dir))
    assert len(RetailDomain().all_tasks()) == 114


def test_bad_options_are_readable_errors(own_domain: Any, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="data_dir"):
        own_domain.configure({"data_dri": "x"})
    with pytest.raises(ConfigError, match="does not exist"):
        own_domain.configure({"data_dir": str(tmp_path / "missing")})


def test_registered_through_the_entry_point() -> None:
    from runner.plugins import load_plugins

    domain = load_plugins().registry("domains").get("retail").obj
    assert type(domain).__name__ == "RetailDomain" and domain.name == "retail"


def test_plugin_module_imports_no_models() -> None:
    code = (
        "import sys, runner_retail.plugin; "
        "print(any(m.startswith(('pydantic', 'runner_retail.models', 'runner_retail.tools')) "
        "for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_package_data_ships_in_the_wheel(tmp_path: Path) -> None:
    """hatchling includes everything under src/runner_retail, the data folder included.

    Built offline with uv."""
    names = wheel_names(Path(__file__).resolve().parents[3] / "plugins" / "retail", tmp_path)
    for name in ("db.json", "tasks.json", "split_tasks.json", "policy.md"):
        assert f"runner_retail/data/{name}" in names

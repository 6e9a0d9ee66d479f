"""The telecom domain: registration, options, its own data set, and cheap plugin loading."""

from __future__ import annotations

import subprocess
import sys
from importlib.resources import files
from typing import Any

import pytest
from runner import ToolCall
from runner.errors import ConfigError, RunnerError


def test_both_domains_are_registered() -> None:
    from runner.plugins import load_plugins

    domains = load_plugins().registry("domains")
    assert domains.get("telecom").obj.name == "telecom"
    workflow = domains.get("telecom-workflow").obj
    assert "Technical Support Workflow" in workflow.policy


def test_plugin_module_imports_no_models() -> None:
    code = (
        "import sys, runner_telecom.plugin; "
        "print(sorted(m for m in sys.modules if m.startswith(('pydantic', 'runner_telecom.', 'litellm'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "['runner_telecom.plugin']"


def test_package_data_ships_with_the_package() -> None:
    data = files("runner_telecom") / "data"
    for name in (
        "db.toml",
        "user_db.toml",
        "tasks.json",
        "split_tasks.json",
        "main_policy.md",
        "tech_support_manual.md",
        "tech_support_workflow.md",
    ):
        assert (data / name).is_file(), name


def test_options(domain: Any, tmp_path: Any, monkeypatch: Any, tau2_telecom_dir: Any) -> None:
    with pytest.raises(ConfigError, match="data_dir"):
        domain.configure({"data_dri": "x"})
    with pytest.raises(ConfigError, match="does not exist"):
        domain.configure({"data_dir": str(tmp_path / "none")}).tasks()
    (tmp_path / "db.toml").write_text("", encoding="utf-8")
    with pytest.raises(RunnerError, match="main_policy.md"):
        domain.configure({"data_dir": str(tmp_path)}).policy_text()
    from runner_telecom.domain import TelecomDomain

    monkeypatch.setenv("RUNNER_TELECOM_DATA_DIR", str(tau2_telecom_dir))
    assert TelecomDomain().tasks()[0].id.startswith("[mobile_data_issue]")


def test_policy_has_both_parts(domain: Any) -> None:
    policy = domain.environment().policy
    assert policy.startswith("<main_policy>\n# Northwind Mobile")
    assert policy.endswith("</tech_support_policy>")
    assert "<tech_support_policy>\n# Technical Support Guide" in policy


def test_own_task_set(domain: Any) -> None:
    tasks = domain.tasks()
    assert len(tasks) >= 20
    assert sum(any(a.requestor == "user" for a in t.expected_actions()) for t in tasks) >= 15
    assert sum(any(a.requestor == "assistant" for a in t.expected_actions()) for t in tasks) >= 8
    assert all(t.evaluation_criteria.reward_basis for t in tasks)
    assert sum(bool(t.evaluation_criteria.env_assertions) for t in tasks) >= 20
    assert set(domain.splits()) == {"base", "small", "train", "test"}
    train, test = {t.id for t in domain.tasks("train")}, {t.id for t in domain.tasks("test")}
    assert train | test == {t.id for t in tasks} and not train & test
    assert {t.id for t in domain.tasks("small")} <= {t.id for t in tasks}


def test_every_own_task_starts_broken_and_is_fixed_by_its_expected_actions(domain: Any) -> None:
    for task in domain.tasks():
        env = domain.environment()
        env.apply_initial_state(task.initial_state)
        assertions = task.evaluation_criteria.env_assertions or []
        if any(
            a.func_name != "assert_service_status" or a.arguments["expected_status"] == "connected"
            for a in assertions
        ):
            assert not all(env.check(a) for a in assertions), (
                f"{task.id} is solved before it starts"
            )
        for i, action in enumerate(task.expected_actions()):
            result = env.execute(
                ToolCall(
                    id=str(i),
                    name=action.name,
                    arguments=action.arguments,
                    requestor=action.requestor,
                )
            )
            assert not result.error, f"{task.id}: {action.name}: {result.content}"
        for assertion in assertions:
            assert env.check(assertion), f"{task.id}: {assertion.func_name}"


def test_environments_are_independent(domain: Any) -> None:
    first, second = domain.environment(), domain.environment()
    first.execute(
        ToolCall(
            id="1", name="enable_roaming", arguments={"customer_id": "C2002", "line_id": "L2003"}
        )
    )
    first.execute(ToolCall(id="2", name="toggle_data", requestor="user"))
    assert first.state_hash() != second.state_hash()
    assert second.state_hash() == domain.environment().state_hash()

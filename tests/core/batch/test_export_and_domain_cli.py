"""`runner export --format tau2` writes τ²-bench's Results shape that `runner evaluate` reads back
with the same rewards; `runner domain` shows a domain's policy, tools and splits."""

from __future__ import annotations

import json

from click.testing import CliRunner
from runner.cli.app import cli

ENV = {"RUNNER_LOAD_PLUGINS": "runner-mock", "RUNNER_PLUGINS": "", "RUNNER_DISABLE_PLUGINS": ""}


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), env=ENV, catch_exceptions=False)


def test_an_exported_run_round_trips_through_runner_evaluate(tmp_path) -> None:
    run = invoke(
        "run",
        "--domain",
        "mock",
        "--num-trials",
        "2",
        "--output-dir",
        str(tmp_path),
        "--run-name",
        "r",
        "--no-progress",
        "--agent-llm-args",
        '{"api_key": "sk-x-123"}',
    )
    assert run.exit_code == 0, run.output
    out = tmp_path / "tau2" / "results.json"
    exported = invoke("export", str(tmp_path / "r"), "--format", "tau2", "-o", str(out))
    assert exported.exit_code == 0, exported.output
    data = json.loads(out.read_text())
    assert set(data) == {"timestamp", "info", "tasks", "simulations"}
    assert data["info"]["environment_info"]["domain_name"] == "mock"
    assert data["info"]["environment_info"]["policy"].startswith("# Task tracker support policy")
    assert data["info"]["num_trials"] == 2 and data["info"]["agent_info"]["implementation"]
    assert len(data["simulations"]) == 30 and len(data["tasks"]) == 15
    assert "sk-x-123" not in out.read_text()
    first = data["simulations"][0]
    for field in (
        "id",
        "task_id",
        "timestamp",
        "start_time",
        "end_time",
        "duration",
        "termination_reason",
        "reward_info",
        "messages",
        "trial",
        "seed",
    ):
        assert field in first, field
    recorded = {(s["task_id"], s["trial"]): s["reward_info"]["reward"] for s in data["simulations"]}
    rescored = invoke("evaluate", str(out), "--json")
    assert rescored.exit_code == 0, rescored.output
    report = json.loads(rescored.stdout)
    again = {(r["task_id"], r["trial"]): r["reward"] for r in report}
    assert again == recorded


def test_runner_domain_shows_policy_tools_and_splits() -> None:
    shown = invoke("domain", "mock", "--json")
    assert shown.exit_code == 0, shown.output
    data = json.loads(shown.stdout)
    assert data["splits"] == {"base": 15, "train": 8, "test": 7}
    names = {t["name"] for t in data["tools"]["agent"]}
    assert {"create_task", "update_task_status"} <= names
    create = next(t for t in data["tools"]["agent"] if t["name"] == "create_task")
    assert create["parameters"]["required"] == ["user_id", "title"]
    assert {t["name"] for t in data["tools"]["user"]} == {
        "check_notifications",
        "dismiss_notification",
    }
    text = invoke("domain", "mock")
    assert "- create_task(user_id: string, title: string" in text.output
    unknown = invoke("domain", "mok")
    assert unknown.exit_code == 1 and "mock" in unknown.output
    bad = invoke("domain", "mock", "--domain-option", "data_dir")
    assert bad.exit_code == 2 and "'--domain-option': 'data_dir' is not KEY=VALUE" in bad.output

"""The run-directory object: open or resume, the configuration check, run.json, summary."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
from runner.errors import ConfigError
from runner.models import RewardInfo, RunConfig, SimulationRun
from runner.store import RunDirectory, run_json, summary_json, with_run_name


@dataclass
class Info:
    name: str
    distribution: str | None = "runner-mock"
    version: str | None = "1.0"
    builtin: bool = False
    status: str = "ok"


def config(tmp_path, **kw) -> RunConfig:
    return RunConfig(domain="mock", output_dir=str(tmp_path), run_name="r", **kw)


def open_run(cfg: RunConfig, **kw):
    args = {"plugins": [Info("mock")], "argv": ["runner"], **kw}
    return RunDirectory.open(cfg, run_json(cfg, ["t1", "t2"], 2, **args), lambda message: None)


def run(task: str, reason: str = "user_stop") -> SimulationRun:
    return SimulationRun(
        id=task,
        task_id=task,
        trial=0,
        seed=1,
        termination_reason=reason,
        duration=1.0,
        reward_info=RewardInfo(reward=1.0),
        messages=[],
    )


def test_a_new_run_gets_its_run_json_with_secrets_masked(tmp_path):
    cfg = config(tmp_path, agent_llm_args={"api_key": "sk-secret-123456"})
    plugins = [Info("mock"), Info("broken", status="failed")]
    facts = {"llm_transports": {"agent": {"model": "m", "transport": "direct"}}, "api_key": "k"}
    run_dir, scan = open_run(
        cfg, plugins=plugins, argv=["runner", "api_key=sk-secret-123456"], facts=facts
    )
    assert run_dir.path == tmp_path / "r" and scan.latest == {}
    data = json.loads(run_dir.run_file.read_text())
    assert list(data)[:5] == ["run_name", "runner_version", "start_time", "command_line", "config"]
    assert list(data)[-3:] == ["num_units", "llm_transports", "api_key"]
    assert "sk-secret" not in run_dir.run_file.read_text()
    assert data["command_line"] == ["runner", "api_key=***"]
    assert [p["name"] for p in data["plugins"]] == ["mock"]
    assert data["task_ids"] == ["t1", "t2"] and data["llm_transports"] == facts["llm_transports"]


def test_a_resume_scans_and_repairs_and_checks_the_configuration(tmp_path):
    cfg = config(tmp_path)
    run_dir, _ = open_run(cfg)
    with run_dir.writer(background_sync=False) as writer:
        writer.append(run("t1"))
    with open(run_dir.results_file, "ab") as f:
        f.write(b'{"id": "torn')
    again, scan = open_run(cfg)
    assert again == run_dir and list(scan.latest) == [("t1", 0, 1)] and scan.torn_bytes
    assert run_dir.results_file.read_bytes().endswith(b"}\n")
    with pytest.raises(ConfigError, match="num_trials"):
        open_run(cfg.model_copy(update={"num_trials": 3}))
    open_run(cfg.model_copy(update={"num_trials": 3, "force_resume": True}))
    open_run(cfg.model_copy(update={"max_concurrency": 99}))  # how it runs, not what: allowed
    with pytest.raises(ConfigError, match="--no-resume"):
        open_run(cfg.model_copy(update={"resume": False}))


def test_the_directory_is_named_after_the_run(tmp_path):
    cfg = RunConfig(domain="mock", output_dir=str(tmp_path))
    named = with_run_name(cfg)
    assert named.run_name and named.run_name.startswith("mock_replay_scripted_")
    assert with_run_name(named) is named
    assert RunDirectory.of(named).path == tmp_path / named.run_name


def test_summary_and_reading_back(tmp_path):
    run_dir, _ = open_run(config(tmp_path))
    assert run_dir.read_summary() is None
    run_dir.write_summary(
        summary_json(
            "r",
            2,
            complete=False,
            interrupted=True,
            metrics={"num_results": 1},
            cpu_seconds=1.23456,
            wall_seconds=2.0,
            llm_calls={"direct": 3},
        )
    )
    summary = run_dir.read_summary()
    assert summary is not None and summary["client"]["cpu_seconds"] == 1.235
    assert summary["interrupted"] and summary["metrics"] == {"num_results": 1}
    with run_dir.writer(background_sync=False) as writer:
        writer.append(run("t1", "infrastructure_error"))
        writer.append(run("t2"))
        writer.append(run("t1"))
    assert [r.termination_reason for r in run_dir.read_results()] == ["user_stop"] * 2
    assert len(run_dir.read_results(latest_only=False)) == 3
    assert run_dir.read().domain == "mock" and len(run_dir.read().runs) == 2

"""API keys travel to Ray workers through the actors' runtime environment, never inside the
units shipped as task arguments (which Ray's dashboard shows)."""

from __future__ import annotations

import json

import pytest
from runner import RunConfig, Task, WorkUnit, mask_secrets
from runner.errors import ConfigError
from runner_ray.executor import SECRETS_ENV, RayExecutor, restore_secrets


def test_keys_leave_the_units_and_come_back_from_the_runtime_env(monkeypatch) -> None:
    config = RunConfig(
        domain="mock",
        executor="ray",
        agent_llm_args={"api_key": "sk-ray-secret-1", "temperature": 0},
        judge_llm_args={"api_key": "sk-ray-secret-2"},
    )
    executor = RayExecutor(config)
    assert executor.secrets == {
        "agent_llm_args": {"api_key": "sk-ray-secret-1"},
        "judge_llm_args": {"api_key": "sk-ray-secret-2"},
    }
    task = Task.model_validate({"id": "t", "user_scenario": {"instructions": "x"}})
    payload = mask_secrets(WorkUnit(config, task, 0, 1).to_json())
    assert "sk-ray-secret" not in json.dumps(payload)
    monkeypatch.setenv(SECRETS_ENV, json.dumps(executor.secrets))
    restored = restore_secrets(payload["config"])
    assert restored["agent_llm_args"] == {"api_key": "sk-ray-secret-1", "temperature": 0}
    assert RunConfig.model_validate(restored).judge_llm_args["api_key"] == "sk-ray-secret-2"


def test_executor_options_are_checked() -> None:
    with pytest.raises(ConfigError, match="no such option.*address"):
        RayExecutor(RunConfig(domain="mock", executor_options={"adress": "auto"}))
    with pytest.raises(ConfigError, match="num_cpus='0': expected a whole number"):
        RayExecutor(RunConfig(domain="mock", executor_options={"num_cpus": "0"}))

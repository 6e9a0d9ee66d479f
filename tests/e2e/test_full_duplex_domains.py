"""Every task of mock, retail and telecom's small split under ``full_duplex``: the wrapped
``replay`` agent and ``scripted`` user score what they score under half duplex (1.0 but for the
two τ²-bench mock tasks no oracle can pass), the ticks are saved with the result, and the
database hashes are those of half duplex."""

from __future__ import annotations

from typing import Any

import pytest
from repo_paths import TAU2_DATA
from runner.conformance import simulate_oracle
from runner.plugins import load_plugins

#: τ²-bench mock tasks whose data contradict themselves (see tests/plugins/mock/test_mock_oracle).
UNSOLVABLE = {"update_task_with_history_and_env_assertions", "update_task_with_user_tools"}


def domains() -> list[Any]:
    plugins = load_plugins()
    found = []
    for name, split in (("mock", None), ("retail", None), ("telecom", "small")):
        domain = plugins.registry("domains").get(name).obj
        tau2 = domain.configure({"data_dir": str(TAU2_DATA / name)})
        found.append(pytest.param(f"{name}-own", domain, split, id=f"{name}-own"))
        found.append(pytest.param(f"{name}-tau2", tau2, split, id=f"{name}-tau2"))
    return found


@pytest.mark.parametrize(("label", "domain", "split"), domains())
async def test_full_duplex_scores_as_half_duplex_with_the_same_databases(
    label: str, domain: Any, split: str | None
) -> None:
    plugins = load_plugins()
    tasks = domain.tasks(split) if split else domain.tasks()
    assert tasks
    for task in tasks:
        half = await simulate_oracle(domain, task, plugins=plugins, seed=1)
        full = await simulate_oracle(
            domain, task, plugins=plugins, seed=1, orchestrator="full_duplex"
        )
        assert full.termination_reason == half.termination_reason, (task.id, full.error)
        expected = 0.0 if task.id in UNSOLVABLE and label == "mock-tau2" else 1.0
        assert full.reward_info.reward == half.reward_info.reward == expected, task.id
        half_db, full_db = half.reward_info.db_check, full.reward_info.db_check
        if half_db is not None:
            assert full_db.agent_db_hash == half_db.agent_db_hash, task.id
            assert full_db.agent_user_db_hash == half_db.agent_user_db_hash, task.id
        # the ticks are kept and the transcript is what was evaluated
        assert full.ticks and full.voice["ticks"] == len(full.ticks)
        said = [m.content for m in full.messages if m.role != "tool" and m.content]
        assert said == [m.content for m in half.messages if m.role != "tool" and m.content]
        calls = [c.name for m in full.messages for c in getattr(m, "tool_calls", None) or []]
        assert calls == [
            c.name for m in half.messages for c in getattr(m, "tool_calls", None) or []
        ]

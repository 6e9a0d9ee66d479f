"""The replay oracle with the scripted user scores 1.0 on every check of every own airline task,
through the registered names and ``run_simulation`` (our tasks need no LLM judge: their reward
basis is DB and COMMUNICATE)."""

from __future__ import annotations

from typing import Any

import pytest
from runner.conformance import simulate_oracle
from runner.plugins import load_plugins


@pytest.fixture(scope="module")
def plugins() -> Any:
    return load_plugins()


async def simulate(plugins: Any, domain: Any, task: Any, script: Any = None) -> Any:
    """One simulation of ``task``; the oracle and the user follow ``script`` (default: the task)."""
    return await simulate_oracle(domain, task, script=script, plugins=plugins, seed=1)


async def test_oracle_scores_one_on_every_own_task(plugins: Any, own_domain: Any) -> None:
    tasks = own_domain.all_tasks()
    assert len(tasks) >= 20
    for task in tasks:
        run = await simulate(plugins, own_domain, task)
        info = run.reward_info
        where = f"task {task.id}: {info.reward_breakdown} {run.error}"
        assert run.termination_reason.value == "user_stop", where
        assert info.db_check.db_match, where
        assert all(c.met for c in info.communicate_checks or []), where
        assert set(info.reward_breakdown) == {"DB", "COMMUNICATE"}, where
        assert info.reward == 1.0, where
        # the oracle made exactly the expected calls, and none of them failed
        calls = [c for m in run.messages if m.role == "assistant" for c in (m.tool_calls or [])]
        assert [c.name for c in calls] == [a.name for a in task.expected_actions()], where
        assert not any(m.error for m in run.messages if m.role == "tool"), where


async def test_a_wrong_trajectory_scores_zero(plugins: Any, own_domain: Any) -> None:
    """The DB check can fail: an agent that cancels the wrong reservation gets 0."""
    task = next(t for t in own_domain.all_tasks() if t.id == "0")
    wrong = task.model_copy(deep=True)
    for action in wrong.evaluation_criteria.actions:
        if action.name == "cancel_reservation":
            action.arguments = {"reservation_id": "G5HN3Q"}
    run = await simulate(plugins, own_domain, task, script=wrong)
    assert not run.reward_info.db_check.db_match and run.reward_info.reward == 0.0

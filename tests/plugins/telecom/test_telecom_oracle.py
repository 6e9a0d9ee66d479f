"""The replay oracle with the scripted user scores 1.0 on every non-LLM check of every telecom
task, own and τ²-bench's ``small`` split, carrying out the user's actions on the phone in the
task's order (dual control) through the registered names and ``run_simulation``."""

from __future__ import annotations

from typing import Any

import pytest
from runner.conformance import simulate_oracle
from runner.plugins import load_plugins


@pytest.fixture(scope="module")
def plugins() -> Any:
    return load_plugins()


async def simulate(plugins: Any, domain: Any, task: Any) -> Any:
    return await simulate_oracle(domain, task, plugins=plugins, seed=1)


def assert_every_check_passes(run: Any) -> None:
    info = run.reward_info
    assert run.termination_reason.value == "user_stop", run.error
    assert info.db_check.db_match
    assert all(c.met for c in info.env_assertions or [])
    assert all(c.action_match for c in info.action_checks or [])
    assert all(v == 1.0 for v in info.reward_breakdown.values())
    assert info.reward == 1.0


def performed(run: Any) -> list[tuple[str, str]]:
    return [
        (c.requestor, c.name) for m in run.messages for c in getattr(m, "tool_calls", None) or []
    ]


async def test_oracle_passes_every_own_task(plugins: Any, domain: Any) -> None:
    for task in domain.tasks():
        run = await simulate(plugins, domain, task)
        assert_every_check_passes(run)
        assert performed(run) == [(a.requestor, a.name) for a in task.expected_actions()], task.id


async def test_oracle_passes_every_tau2_small_task(plugins: Any, tau2_domain: Any) -> None:
    tasks = tau2_domain.tasks("small")
    assert len(tasks) == 20
    for task in tasks:
        run = await simulate(plugins, tau2_domain, task)
        assert_every_check_passes(run)
        assert performed(run) == [(a.requestor, a.name) for a in task.expected_actions()], task.id
        assert len(run.reward_info.env_assertions) == len(task.evaluation_criteria.env_assertions)


async def test_dual_control_interleaves_agent_and_phone(plugins: Any, domain: Any) -> None:
    task = next(t for t in domain.tasks() if "overdue_bill_suspension" in t.id)
    run = await simulate(plugins, domain, task)
    assert performed(run) == [
        ("assistant", "send_payment_request"),
        ("user", "make_payment"),
        ("assistant", "resume_line"),
        ("user", "reboot_device"),
    ]
    assert run.reward_info.reward_breakdown == {"DB": 1.0, "ENV_ASSERTION": 1.0}


async def test_a_wrong_fix_fails_the_env_assertion(plugins: Any, domain: Any) -> None:
    """The checks can fail: the same conversation without the user's fix scores 0."""
    task = next(t for t in domain.tasks() if "airplane_mode_on" in t.id)
    broken = task.model_copy(deep=True)
    broken.evaluation_criteria.actions = []
    run = await simulate(plugins, domain, broken)
    assert run.reward_info.reward == 0.0
    assert [c.met for c in run.reward_info.env_assertions] == [False]

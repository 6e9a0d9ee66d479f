"""Scoring parity with τ²-bench: `runner evaluate` gives the verdicts τ²-bench itself recorded.

The fixtures (``tests/fixtures/tau2-generated/*.json``, see the README there) are τ²-bench
``Results`` files: trajectories built by executing tool calls in τ²-bench's own environments
(gold and perturbed) and scored by τ²-bench's own evaluator. Each simulation is re-scored here
through the same path as ``runner evaluate`` (read the file, take the embedded task, evaluate on
the domain configured with τ²-bench's data) and compared check by check.

The one known difference is tested explicitly, not ignored: τ²-bench builds its expected
(gold) state with raw tool calls that skip the environment's sync step, so in telecom, when an
expected action changes something the other side mirrors, its DB check fails even the gold
trajectory (DB is not in those tasks' reward basis, so the reward is unaffected). runner syncs
after every expected action, as a live simulation does. ``test_db_match`` proves that this is the
whole difference: it rebuilds τ²-bench's unsynced gold state with runner's environment and finds
τ²-bench's verdict exactly.
"""

from __future__ import annotations

import asyncio
import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from repo_paths import TAU2_DATA

ROOT = Path(__file__).resolve().parents[3]
FIXTURES = ROOT / "tests" / "fixtures" / "tau2-generated"
DOMAINS = ("mock", "retail", "telecom")


def _cases() -> list[Any]:
    cases = []
    for domain in DOMAINS:
        data = json.loads((FIXTURES / f"{domain}.json").read_text(encoding="utf-8"))
        for index, sim in enumerate(data["simulations"]):
            variant = sim["info"]["parity"]["variant"]
            cases.append(
                pytest.param(domain, index, id=f"{domain}-{sim['task_id'][:48]}-{variant}")
            )
    return cases


@cache
def _loaded(domain: str) -> tuple[Any, Any, dict[str, Any]]:
    from runner.plugins import load_plugins
    from runner.rescore import resolve_tasks
    from runner.store import read_results_file

    results = read_results_file(FIXTURES / f"{domain}.json")
    dom = (
        load_plugins()
        .registry("domains")
        .get(domain)
        .obj.configure({"data_dir": str(TAU2_DATA / domain)})
    )
    return results, dom, resolve_tasks(results, dom)


class RecordedVerdicts:
    """An NL judge that gives the verdicts τ²-bench's (stubbed) judge recorded."""

    def __init__(self, checks: list[Any]) -> None:
        self.checks = checks

    async def judge(self, task: Any, messages: list[Any], assertions: list[str]) -> list[Any]:
        from runner.models.simulation import NLAssertionCheck

        assert [c.nl_assertion for c in self.checks] == assertions
        return [
            NLAssertionCheck(nl_assertion=c.nl_assertion, met=c.met, justification="recorded")
            for c in self.checks
        ]


def _rescored(domain: str, index: int) -> tuple[Any, Any, Any, dict[str, Any]]:
    """(run, τ²-bench's reward_info, ours, the generator's notes) of one simulation."""
    from runner.evaluation import aevaluate_simulation

    results, dom, tasks = _loaded(domain)
    run = results.runs[index]
    notes = run.info["parity"]
    judge = (
        RecordedVerdicts(run.reward_info.nl_assertions)
        if notes["nl"].startswith("judged")
        else None
    )
    ours = asyncio.run(aevaluate_simulation(run, tasks[run.task_id], dom.environment, judge))
    return run, run.reward_info, ours, notes


def _flags(checks: list[Any] | None, attr: str) -> list[Any]:
    return [getattr(c, attr) for c in checks or []]


@pytest.mark.parametrize(("domain", "index"), _cases())
def test_same_verdicts_as_tau2(domain: str, index: int) -> None:
    run, theirs, ours, notes = _rescored(domain, index)
    if theirs is None:  # τ²-bench's evaluator raised on this trajectory: see the next test
        assert "tau2_evaluator_error" in notes
        return
    assert ours.reward == theirs.reward
    assert _flags(ours.action_checks, "action_match") == _flags(
        theirs.action_checks, "action_match"
    )
    assert [c.action.name for c in ours.action_checks or []] == [
        c.action.name for c in theirs.action_checks or []
    ]
    assert _flags(ours.communicate_checks, "met") == _flags(theirs.communicate_checks, "met")
    assert _flags(ours.env_assertions, "met") == _flags(theirs.env_assertions, "met")
    if notes["nl"].startswith("judged"):
        assert _flags(ours.nl_assertions, "met") == _flags(theirs.nl_assertions, "met")
    # Breakdown: every basis τ²-bench reports has our value. τ²-bench leaves DB out when nothing
    # defines an expected state (then DB is 1.0), and NL when it was excluded (not evaluated here).
    breakdown = dict(ours.reward_breakdown or {})
    for key, value in (theirs.reward_breakdown or {}).items():
        assert breakdown.pop(key) == value, key
    assert all(value == 1.0 or key == "NL_ASSERTION" for key, value in breakdown.items()), breakdown
    if notes["nl"] == "excluded" and any(c.met is None for c in ours.nl_assertions or []):
        assert ours.info["not_evaluated"] == ["NL_ASSERTION"]


@pytest.mark.parametrize(("domain", "index"), _cases())
def test_db_match(domain: str, index: int) -> None:
    run, theirs, ours, _ = _rescored(domain, index)
    if theirs is None or theirs.db_check is None:
        assert theirs is None or ours.db_check is None
        return
    if ours.db_check.db_match == theirs.db_check.db_match:
        return
    # The only allowed difference: τ²-bench's gold state skips the sync after expected actions.
    _, dom, tasks = _loaded(domain)
    gold = _unsynced_gold_hashes(dom, tasks[run.task_id])
    predicted = (ours.db_check.agent_db_hash, ours.db_check.agent_user_db_hash)
    assert (predicted == gold) == theirs.db_check.db_match
    assert domain == "telecom"  # the only domain whose environment syncs two sides


def _unsynced_gold_hashes(domain: Any, task: Any) -> tuple[str | None, str | None]:
    """τ²-bench's gold state: initial state, then the expected actions as raw tool calls."""
    env = domain.environment()
    env.apply_initial_state(task.initial_state)
    for action in task.expected_actions():
        kit = env.toolkit_for(action.requestor)
        try:
            kit.call(action.name, dict(action.arguments))
        except Exception:
            pass  # τ²-bench skips a failing expected action too
    return env.db_hash(), env.user_db_hash()


def test_the_fixtures_cover_what_they_claim() -> None:
    seen: dict[str, set[str]] = {}
    rewards: dict[str, set[float]] = {}
    for domain in DOMAINS:
        data = json.loads((FIXTURES / f"{domain}.json").read_text(encoding="utf-8"))
        assert data["info"]["environment_info"]["domain_name"] == domain
        for sim in data["simulations"]:
            seen.setdefault(domain, set()).add(sim["info"]["parity"]["variant"])
            if sim.get("reward_info"):
                rewards.setdefault(domain, set()).add(sim["reward_info"]["reward"])
    for domain in DOMAINS:
        assert {
            "gold",
            "wrong_argument",
            "missing_write",
            "extra_write",
            "tool_errors",
            "max_steps",
            "agent_stop",
        } <= seen[domain]
        assert rewards[domain] == {0.0, 1.0}
    assert "user_action_by_agent" in seen["telecom"]
    assert {"missing_communicate", "communicate_reformatted", "gold_judged_unmet"} <= seen["retail"]
    size = sum(p.stat().st_size for p in FIXTURES.glob("*.json"))
    assert size < 600_000
    retail = (FIXTURES / "retail.json").read_text(encoding="utf-8")
    assert "initialization_data" not in retail  # the trajectories do not embed τ²-bench's DB


def test_tau2_scores_its_own_gold_below_one_on_the_two_contradictory_mock_tasks() -> None:
    """The evidence behind ``TAU2_UNSOLVABLE`` in tests/plugins/mock: τ²-bench's evaluator gives
    the gold trajectory (the expected actions) 0.0 on both tasks, for the same reasons."""
    data = json.loads((FIXTURES / "mock.json").read_text(encoding="utf-8"))
    by_key = {
        (s["task_id"], s["info"]["parity"]["variant"]): s["reward_info"]
        for s in data["simulations"]
        if s.get("reward_info")
    }
    history = by_key[("update_task_with_history_and_env_assertions", "gold")]
    assert history["reward"] == 0.0 and history["reward_breakdown"] == {"ENV_ASSERTION": 0.0}
    user_tools = by_key[("update_task_with_user_tools", "gold")]
    assert user_tools["reward"] == 0.0
    assert user_tools["reward_breakdown"] == {"DB": 1.0, "ENV_ASSERTION": 0.0, "ACTION": 1.0}
    # Completing task_2 (not an expected action) is what the first task's assertion wants ...
    assert (
        by_key[("update_task_with_history_and_env_assertions", "complete_task_2")]["reward"] == 1.0
    )
    # ... while the second cannot be passed at all: dismissing the notification fixes the
    # assertion and breaks the DB check.
    dismiss = by_key[("update_task_with_user_tools", "with_dismiss")]
    assert dismiss["reward"] == 0.0 and dismiss["reward_breakdown"]["ENV_ASSERTION"] == 1.0
    assert dismiss["db_check"]["db_match"] is False


def test_where_tau2_evaluator_raises_runner_reports_a_failed_assertion() -> None:
    """τ²-bench's evaluator raises when an assertion function raises (task_2 does not exist
    when the create_task is missing); runner scores the run 0 and keeps the reason."""
    results, _, _ = _loaded("mock")
    index = next(
        i for i, r in enumerate(results.runs) if "tau2_evaluator_error" in r.info["parity"]
    )
    run, theirs, ours, notes = _rescored("mock", index)
    assert theirs is None and "not found" in notes["tau2_evaluator_error"]
    assert ours.reward == 0.0
    failed = [c for c in ours.env_assertions if not c.met]
    assert failed and "not found" in failed[0].error

"""Scoring a simulation: every check of the task, and the reward over its ``reward_basis``.

The reward is the product, over the bases in the task's ``reward_basis``, of each basis' reward
(τ²-bench's ``ALL`` evaluation): ``DB`` 1 if both databases match the expected state;
``ENV_ASSERTION`` the product of the env assertions; ``ACTION`` 1 if every expected action was
found; ``COMMUNICATE`` 1 if every item was communicated; ``NL_ASSERTION`` 1 if the judge found
every assertion met. A run that did not end with ``user_stop`` or ``agent_stop`` scores 0 without
checks; a run that ended with ``infrastructure_error`` is not scored at all (reward 0 with
``info["not_scored"] = True``; the batch layer leaves it out of every metric).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from runner.evaluation.checks import check_actions, check_communicate
from runner.evaluation.judge import NLJudge, nl_assertions_needed, unevaluated_checks
from runner.evaluation.state import check_state
from runner.models.simulation import (
    DBCheck,
    NLAssertionCheck,
    RewardInfo,
    SimulationRun,
    TerminationReason,
)
from runner.models.task import RewardType, Task

SCORED_ENDINGS = frozenset({TerminationReason.USER_STOP, TerminationReason.AGENT_STOP})


def evaluate_simulation(
    run: SimulationRun,
    task: Task,
    environment_factory: Callable[[], Any],
    judge: NLJudge | None = None,
) -> RewardInfo:
    """Score ``run`` against ``task`` (synchronous).

    ``environment_factory`` returns a fresh environment of the run's domain (pass a stable
    callable such as ``domain.environment``: the expected state is cached per factory and task).
    With a ``judge``, NL assertions are judged with ``asyncio.run``; inside a running event loop
    use :func:`aevaluate_simulation` instead.
    """
    info = _score_without_judge(run, task, environment_factory)
    if isinstance(info, RewardInfo):
        return info
    assertions = nl_assertions_needed(task)
    checks = None
    if judge is not None and assertions:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            checks = asyncio.run(judge.judge(task, list(run.messages), assertions))
        else:
            raise RuntimeError(
                "evaluate_simulation was called inside a running event loop with a "
                "judge; await aevaluate_simulation(...) instead."
            )
    return info.finish(assertions, checks)


async def aevaluate_simulation(
    run: SimulationRun,
    task: Task,
    environment_factory: Callable[[], Any],
    judge: NLJudge | None = None,
) -> RewardInfo:
    """Score ``run`` against ``task``, awaiting the judge for NL assertions when one is given."""
    info = _score_without_judge(run, task, environment_factory)
    if isinstance(info, RewardInfo):
        return info
    assertions = nl_assertions_needed(task)
    checks = None
    if judge is not None and assertions:
        checks = await judge.judge(task, list(run.messages), assertions)
    return info.finish(assertions, checks)


class _Partial:
    """Everything but the NL part, waiting for the judge's verdict."""

    def __init__(self, task: Task, fields: dict[str, Any], breakdown: dict[str, float]) -> None:
        self.task = task
        self.fields = fields
        self.breakdown = breakdown

    def finish(self, assertions: list[str], checks: list[NLAssertionCheck] | None) -> RewardInfo:
        basis = self.task.evaluation_criteria.reward_basis  # type: ignore[union-attr]
        breakdown = dict(self.breakdown)
        info: dict[str, Any] = {}
        nl_checks = None
        if RewardType.NL_ASSERTION in basis:
            if not assertions:
                breakdown[RewardType.NL_ASSERTION.value] = 1.0
                nl_checks = []
            elif checks is None:
                nl_checks = unevaluated_checks(assertions)
                info["not_evaluated"] = [RewardType.NL_ASSERTION.value]
            else:
                nl_checks = list(checks)
                met = len(nl_checks) >= len(assertions) and all(c.met is True for c in nl_checks)
                breakdown[RewardType.NL_ASSERTION.value] = 1.0 if met else 0.0
        reward = 1.0
        for value in breakdown.values():
            reward *= value
        return RewardInfo(
            reward=reward,
            nl_assertions=nl_checks,
            reward_basis=list(basis),
            reward_breakdown=_ordered(breakdown, basis),
            info=info or None,
            **self.fields,
        )


def _score_without_judge(
    run: SimulationRun, task: Task, environment_factory: Callable[[], Any]
) -> RewardInfo | _Partial:
    reason = run.termination_reason
    if reason == TerminationReason.INFRASTRUCTURE_ERROR:
        return RewardInfo(
            reward=0.0,
            info={
                "not_scored": True,
                "note": "Not scored: the simulation ended with an infrastructure error.",
            },
        )
    if reason not in SCORED_ENDINGS:
        return RewardInfo(
            reward=0.0,
            info={
                "note": f"The simulation ended prematurely ({TerminationReason(reason).value}); "
                "only runs ending with user_stop or agent_stop are checked.",
            },
        )
    criteria = task.evaluation_criteria
    if criteria is None:
        return RewardInfo(reward=1.0, info={"note": "The task has no evaluation criteria."})
    basis = set(criteria.reward_basis)
    messages = list(run.messages)
    actions = task.expected_actions()
    fields: dict[str, Any] = {}
    breakdown: dict[str, float] = {}

    if criteria.actions is None and criteria.env_assertions is None:
        # τ²-bench: nothing defines an expected state, so the DB check passes without a replay
        fields["db_check"] = DBCheck(db_match=True, db_reward=1.0)
        fields["env_assertions"] = []
    else:
        state = check_state(messages, task, environment_factory)
        fields["db_check"] = state.db_check
        fields["env_assertions"] = state.env_assertions
    if RewardType.DB in basis:
        breakdown[RewardType.DB.value] = fields["db_check"].db_reward
    if RewardType.ENV_ASSERTION in basis:
        value = 1.0
        for check in fields["env_assertions"]:
            value *= check.reward
        breakdown[RewardType.ENV_ASSERTION.value] = value

    fields["action_checks"] = check_actions(messages, actions)
    if RewardType.ACTION in basis:
        ok = all(c.action_match for c in fields["action_checks"])
        breakdown[RewardType.ACTION.value] = 1.0 if ok else 0.0

    fields["communicate_checks"] = check_communicate(
        messages, list(criteria.communicate_info or [])
    )
    if RewardType.COMMUNICATE in basis:
        ok = all(c.met for c in fields["communicate_checks"])
        breakdown[RewardType.COMMUNICATE.value] = 1.0 if ok else 0.0
    return _Partial(task, fields, breakdown)


def _ordered(breakdown: dict[str, float], basis: list[RewardType]) -> dict[str, float]:
    order = [b.value for b in basis]
    return {k: breakdown[k] for k in order if k in breakdown}

"""The first runner layer: run one simulation and score it, with no side effects.

:func:`run_simulation` takes a built orchestrator (``runner.run.build`` makes one from names) and
returns the :class:`~runner.SimulationRun` with its ``reward_info``. It writes nothing and never
retries; the batch layer does both.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from runner.evaluation.judge import NLJudge
from runner.evaluation.reward import aevaluate_simulation
from runner.evaluation.voice import voice_stats
from runner.models.simulation import SimulationRun, TerminationReason
from runner.orchestrator.failures import access_refused, describe_error


async def run_simulation(
    orchestrator: Any, *, environment_factory: Callable[[], Any], judge: NLJudge | None = None
) -> SimulationRun:
    """Run ``orchestrator`` to the end, then evaluate the result against its task.

    Whatever way the conversation ended, the run comes back with ``reward_info`` (see
    ``docs/evaluation.md`` for how each ending is scored). A failure of the ``judge`` turns the
    run into an ``infrastructure_error`` (not scored; the batch layer retries it), except a
    refused access (bad API key, unknown model), which stops the run as a ``ConfigError``.
    What the judge's calls cost is recorded as ``judge_cost`` and ``usage["judge"]``; a
    full-duplex run's turn-taking figures as ``voice``.
    """
    run = await orchestrator.run()
    if run.ticks:
        run.voice = voice_stats(run.ticks, run.messages)
    spent = _judge_spending(judge)
    try:
        run.reward_info = await aevaluate_simulation(
            run, orchestrator.task, environment_factory, judge
        )
    except Exception as exc:
        if judge is None:
            raise
        refused = access_refused("judge", exc)
        if refused is not None:
            raise refused from exc
        run.termination_reason = TerminationReason.INFRASTRUCTURE_ERROR
        run.error = f"judge: {describe_error(exc)}"
        run.reward_info = await aevaluate_simulation(run, orchestrator.task, environment_factory)
    if judge is not None:
        _record_judge(run, judge, spent)
    return run


def _judge_spending(judge: Any) -> tuple[float, dict[str, Any]]:
    """The judge's running totals (``cost``, ``usage``) before this simulation's calls."""
    return float(getattr(judge, "cost", 0.0) or 0.0), dict(getattr(judge, "usage", None) or {})


def _record_judge(run: SimulationRun, judge: Any, before: tuple[float, dict[str, Any]]) -> None:
    cost, usage = _judge_spending(judge)
    run.judge_cost = cost - before[0]
    spent = {k: v - before[1].get(k, 0) for k, v in usage.items() if isinstance(v, (int, float))}
    if any(spent.values()):
        run.usage = {**(run.usage or {}), "judge": spent}

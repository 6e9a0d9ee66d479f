"""The first runner layer: run one simulation and score it, with no side effects.

:func:`run_simulation` takes a built orchestrator (``runner.build`` makes one from names) and
returns the :class:`~runner.SimulationRun` with its ``reward_info``. It writes nothing and never
retries; the batch layer does both.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from runner.evaluation.judge import NLJudge
from runner.evaluation.reward import aevaluate_simulation
from runner.models.simulation import SimulationRun, TerminationReason
from runner.orchestrator.half_duplex import describe_error


async def run_simulation(orchestrator: Any, *, environment_factory: Callable[[], Any],
                         judge: NLJudge | None = None) -> SimulationRun:
    """Run ``orchestrator`` to the end, then evaluate the result against its task.

    Whatever way the conversation ended, the run comes back with ``reward_info`` (see
    ``docs/evaluation.md`` for how each ending is scored). A failure of the ``judge`` turns the
    run into an ``infrastructure_error`` (not scored; the batch layer retries it).
    """
    run = await orchestrator.run()
    try:
        run.reward_info = await aevaluate_simulation(run, orchestrator.task, environment_factory, judge)
    except Exception as exc:
        if judge is None:
            raise
        run.termination_reason = TerminationReason.INFRASTRUCTURE_ERROR
        run.error = f"judge: {describe_error(exc)}"
        run.reward_info = await aevaluate_simulation(run, orchestrator.task, environment_factory)
    return run

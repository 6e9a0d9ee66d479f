"""The ``local`` executor: every unit on the current asyncio event loop.

``max_concurrency`` workers share one queue of units; each worker runs a unit, hands the result
to ``on_result`` at once (before anything else can interrupt it, so a finished result is never
lost to a Ctrl+C) and takes the next unit. Cancelling :meth:`LocalExecutor.run` cancels the
units in flight and waits for them before returning.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING

from runner.run.executor import ResultCallback, WorkUnit, run_unit

if TYPE_CHECKING:
    from runner.models.config import RunConfig
    from runner.models.simulation import SimulationRun
    from runner.plugins import Plugins

UnitRunner = Callable[[WorkUnit, "Plugins"], Awaitable["SimulationRun"]]


class LocalExecutor:
    """Runs units concurrently on one event loop (``--executor local``, the default)."""

    def __init__(self, config: RunConfig, unit_runner: UnitRunner = run_unit) -> None:
        self.max_concurrency = config.max_concurrency
        self.unit_runner = unit_runner

    async def run(
        self, units: Sequence[WorkUnit], plugins: Plugins, on_result: ResultCallback
    ) -> None:
        queue = iter(units)  # shared: each next() hands a distinct unit to one worker

        async def worker() -> None:
            for unit in queue:
                result = await self.unit_runner(unit, plugins)
                on_result(result)

        workers = min(self.max_concurrency, len(units))
        try:
            async with asyncio.TaskGroup() as group:
                for _ in range(workers):
                    group.create_task(worker())
        except BaseExceptionGroup as group_error:
            # Surface the first real error (a RunnerError, a full disk), not a group of them.
            raise _first_error(group_error) from None


def _first_error(group: BaseExceptionGroup) -> BaseException:
    for exc in group.exceptions:
        if isinstance(exc, BaseExceptionGroup):
            return _first_error(exc)
        if not isinstance(exc, asyncio.CancelledError):
            return exc
    return group.exceptions[0]


def local_executor(config: RunConfig) -> LocalExecutor:
    """The registered factory: ``factory(RunConfig) -> Executor``."""
    return LocalExecutor(config)

"""The contract between the batch layer and executors: work units, the protocol, one unit's run.

A run is a list of :class:`WorkUnit`\\ s (task × trial, each with its own seed). The batch layer
hands the units still to do to an :class:`Executor` and receives each finished
:class:`~runner.SimulationRun` as soon as it is ready; it alone writes ``results.jsonl``. So an
executor decides only *where* units run: the built-in ``local`` executor runs them on the
current event loop; a ``ray`` executor can ship units (plain JSON: config, task, trial, seed) and
the plugin options to remote workers, call :func:`run_unit` there and stream the results back.

Executors are registered with ``register_executors(register)`` as
``register(name, factory(RunConfig) -> Executor, description)`` and picked with ``--executor``.
"""

from __future__ import annotations

import asyncio
import hashlib
import traceback
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from runner.errors import InfrastructureError, RunnerError

if TYPE_CHECKING:
    from runner.models.config import RunConfig
    from runner.models.simulation import SimulationRun
    from runner.models.task import Task
    from runner.plugins import Plugins


def derive_seed(base_seed: int, task_id: str, trial: int) -> int:
    """The seed of one unit: the first 4 bytes of ``sha256(f"{base_seed}:{task_id}:{trial}")``
    as an unsigned big-endian integer, masked to 31 bits.

    It depends on nothing else (not the order of tasks, not the number of trials or tasks), so
    adding trials or tasks to a run keeps the seeds of the units already done, and any process
    (a remote worker, a later resume) derives the same seed.
    """
    digest = hashlib.sha256(f"{base_seed}:{task_id}:{trial}".encode()).digest()
    return int.from_bytes(digest[:4], "big") & 0x7FFFFFFF


@dataclass(frozen=True)
class WorkUnit:
    """One simulation to run: what it runs with, which task, which trial, which seed."""

    config: RunConfig
    task: Task
    trial: int
    seed: int

    @property
    def key(self) -> tuple[str, int, int]:
        """``(task_id, trial, seed)``: how ``results.jsonl`` lines are matched to units."""
        return (self.task.id, self.trial, self.seed)

    def to_json(self) -> dict[str, Any]:
        """A JSON-compatible form (to send a unit to another process or machine)."""
        return {
            "config": self.config.model_dump(mode="json"),
            "task": self.task.to_json(),
            "trial": self.trial,
            "seed": self.seed,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> WorkUnit:
        from runner.models.config import RunConfig
        from runner.models.task import Task

        return cls(
            config=RunConfig.model_validate(data["config"]),
            task=Task.model_validate(data["task"]),
            trial=int(data["trial"]),
            seed=int(data["seed"]),
        )


def unit_keys(config: RunConfig, tasks: Sequence[Task]) -> list[tuple[str, int, int]]:
    """``(task_id, trial, seed)`` of every unit of a run, trial-major (all tasks of trial 0,
    then of trial 1, ...), so that a run stopped early has full trials for as many tasks as
    possible."""
    seed = config.seed
    return [
        (task.id, trial, derive_seed(seed, task.id, trial))
        for trial in range(config.num_trials)
        for task in tasks
    ]


#: Called by an executor with each finished result, on the event loop of ``Executor.run``.
ResultCallback = Callable[["SimulationRun"], None]


@runtime_checkable
class Executor(Protocol):
    """Runs units and reports each finished result at once.

    ``await executor.run(units, plugins, on_result)`` returns when every unit is finished. It
    must call ``on_result`` exactly once per finished unit, on the calling event loop, as soon as
    that unit finishes (no window in which a finished result could be lost), never raise for a
    unit's failure (:func:`run_unit` turns failures into results), run at most
    ``config.max_concurrency`` units at a time, and when cancelled (Ctrl+C) cancel what is in
    flight before it returns. An exception raised by ``on_result`` or a
    :class:`~runner.RunnerError` from a unit (a configuration every unit would repeat) stops the
    run and propagates. Results may come in any order.
    """

    async def run(
        self, units: Sequence[WorkUnit], plugins: Plugins, on_result: ResultCallback
    ) -> None: ...


# -- one unit ---------------------------------------------------------------------------------
def failed_run(unit: WorkUnit, reason: str, error: str) -> SimulationRun:
    """The result of a unit that produced no conversation (build failure, crash), scored like
    any premature ending: reward 0 (an infrastructure error is marked not scored)."""
    from runner.models.simulation import RewardInfo, SimulationRun, TerminationReason

    stamp = datetime.now().isoformat()
    if reason == "infrastructure_error":
        info = {
            "not_scored": True,
            "note": "Not scored: the simulation ended with an infrastructure error.",
        }
    else:
        info = {"note": f"The simulation could not run ({reason}); nothing was checked."}
    return SimulationRun(
        reward_info=RewardInfo(reward=0.0, info=info),
        id=uuid.uuid4().hex,
        task_id=unit.task.id,
        trial=unit.trial,
        seed=unit.seed,
        start_time=stamp,
        end_time=stamp,
        duration=0.0,
        termination_reason=TerminationReason(reason),
        error=error,
    )


def _describe(exc: BaseException) -> str:
    try:
        from runner.orchestrator.failures import describe_error

        return describe_error(exc)
    except ImportError:  # pragma: no cover - the orchestrator is part of the core
        return f"{type(exc).__name__}: {exc}"


async def attempt_unit(unit: WorkUnit, plugins: Plugins) -> SimulationRun:
    """Build and run one unit once; every failure becomes a result, except configuration errors
    (:class:`~runner.RunnerError`), which stop the whole run because every unit would repeat them.
    """
    from runner.run import build
    from runner.run.simulation import run_simulation

    config, task, seed = unit.config, unit.task, unit.seed
    stage = "environment"
    try:
        environment = build.build_environment(config, plugins)
        stage = "agent"
        agent = build.build_agent(config, task, seed, plugins, environment=environment)
        stage = "user"
        user = build.build_user(config, task, seed, plugins, environment=environment)
        stage = "orchestrator"
        orchestrator = build.build_orchestrator(
            config, task, seed, plugins, environment=environment, agent=agent, user=user
        )
        stage = "simulation"
        run = await run_simulation(
            orchestrator,
            environment_factory=build.environment_factory(config, plugins),
            judge=build.build_judge(config),
        )
    except RunnerError:
        raise
    except InfrastructureError as exc:
        return failed_run(unit, "infrastructure_error", _describe(exc))
    except Exception as exc:  # a plugin's bug must not end the other simulations
        reason = {"agent": "agent_error", "user": "user_error"}.get(stage, "unexpected_error")
        detail = traceback.format_exception_only(type(exc), exc)[-1].strip()
        return failed_run(unit, reason, f"{stage} failed: {_describe(exc)} ({detail[:200]})")
    return run.model_copy(update={"task_id": task.id, "trial": unit.trial, "seed": seed})


def _last_result(state: Any) -> SimulationRun:
    """The result of the last attempt, once retries are exhausted (still an infrastructure error)."""
    return state.outcome.result()  # type: ignore[no-any-return]


async def run_unit(
    unit: WorkUnit, plugins: Plugins, sleep: Callable[[float], Awaitable[None]] | None = None
) -> SimulationRun:
    """Run one unit, retrying infrastructure errors with exponential backoff and jitter.

    Up to ``config.max_retries`` retries; the waits start at ``config.retry_backoff`` seconds,
    double each time (plus up to ``retry_backoff`` seconds of random jitter) and never exceed
    ``config.retry_backoff_max``. Any other termination is final. A unit still failing after
    its retries is returned as ``infrastructure_error`` (and is run again on resume). The
    result's ``attempts`` says how many attempts it took. ``sleep`` replaces ``asyncio.sleep``
    for the waits (tests record them).
    """
    from tenacity import AsyncRetrying, retry_if_result, stop_after_attempt, wait_exponential_jitter

    config = unit.config
    attempts = 0

    async def attempt() -> SimulationRun:
        nonlocal attempts
        attempts += 1
        return await attempt_unit(unit, plugins)

    retrying = AsyncRetrying(
        sleep=sleep or asyncio.sleep,
        stop=stop_after_attempt(config.max_retries + 1),
        # the jitter spreads out units that failed together (on a rate limit, say)
        wait=wait_exponential_jitter(
            multiplier=config.retry_backoff,
            max=config.retry_backoff_max,
            jitter=config.retry_backoff,
        ),
        retry=retry_if_result(lambda run: run.is_infrastructure_error),
        retry_error_callback=_last_result,
        reraise=True,
    )
    run: SimulationRun = await retrying(attempt)
    return run.model_copy(update={"attempts": attempts})

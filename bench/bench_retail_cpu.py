"""Retail CPU per simulation: replay agent + scripted user on τ²-bench's retail tasks.

One *simulation* here is what ``runner run`` does per (task, trial): build the environment, run
the half-duplex conversation, and evaluate it with ``run_simulation`` (expected state, DB check,
communicate and action checks). The figure is CPU time (``time.process_time``), averaged over
τ²-bench's 114 retail tasks (its 2.7 MB database) -- or this plugin's own data when τ²-bench's
folder is absent.

Figures:

* ``load_ms``: once per process -- parsing db.json and the first (full) hash.
* ``ms_per_simulation_first_trial``: the first trial of each task; the evaluator computes and
  caches the task's expected state (a fresh environment, the expected actions, a hash).
* ``ms_per_simulation_later_trial``: later trials (expected state cached).
* ``ms_per_simulation_uncached``: the expected state recomputed for every simulation.
* ``baseline_ms_per_simulation_uncached``: the same with the core's default ``copy_db`` (a deep
  copy per environment) and the plain hash, i.e. without the copy-on-write database, on the
  first ``BASELINE_TASKS`` tasks (it is slow).

Target: <= 50 ms per simulation (τ²-bench needs about 1.8 s).
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

TAU2_RETAIL = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "tau2-data" / "retail"
BASELINE_TASKS = 15
TARGET_MS = 50.0


def _domain(plain: bool = False) -> Any:
    from runner_retail.domain import RetailDomain

    cls: Any = RetailDomain
    if plain:

        class PlainCopyRetail(RetailDomain):
            """The core's default copy (``model_copy(deep=True)``): the pristine DB is never
            frozen, so every hash is the plain full one."""

            def copy_db(self, db: Any) -> Any:
                return db.model_copy(deep=True)

        cls = PlainCopyRetail
    domain = cls()
    if (TAU2_RETAIL / "db.json").is_file():
        domain = domain.configure({"data_dir": str(TAU2_RETAIL)})
    return domain


async def _simulate(domain: Any, task: Any) -> Any:
    from runner import run_simulation
    from runner.builtins.replay import ReplayAgent
    from runner.builtins.scripted import ScriptedUser
    from runner.orchestrator import HalfDuplexOrchestrator

    orchestrator = HalfDuplexOrchestrator(
        environment=domain.environment(),
        agent=ReplayAgent(task),
        user=ScriptedUser(task),
        task=task,
        seed=1,
        max_errors=10,
    )
    return await run_simulation(orchestrator, environment_factory=domain.environment)


async def _pass(domain: Any, tasks: list[Any], clear_each: bool) -> float:
    """CPU ms per simulation over ``tasks``; every simulation must score 1.0 on the DB check."""
    from runner.evaluation import clear_cache

    start = time.process_time()
    for task in tasks:
        if clear_each:
            clear_cache()
        run = await _simulate(domain, task)
        assert run.reward_info.db_check.db_match, f"task {task.id}: DB check failed"
    return 1000 * (time.process_time() - start) / len(tasks)


async def _measure() -> dict[str, float]:
    from runner.evaluation import clear_cache

    domain = _domain()
    start = time.process_time()
    domain.environment().db_hash()
    load_ms = 1000 * (time.process_time() - start)
    tasks = domain.all_tasks()
    clear_cache()
    preflight = _preflight_ms(domain, tasks)
    first = await _pass(domain, tasks, clear_each=False)
    later = await _pass(domain, tasks, clear_each=False)
    uncached = await _pass(domain, tasks, clear_each=True)

    plain = _domain(plain=True)
    plain.environment()
    baseline = await _pass(plain, plain.all_tasks()[:BASELINE_TASKS], clear_each=True)
    clear_cache()
    return {
        "tasks": len(tasks),
        "tau2_data": float((TAU2_RETAIL / "db.json").is_file()),
        "load_ms": round(load_ms, 1),
        "ms_per_simulation_first_trial": round(first, 2),
        "ms_per_simulation_later_trial": round(later, 2),
        "ms_per_simulation_uncached": round(uncached, 2),
        "baseline_ms_per_simulation_uncached": round(baseline, 1),
        "preflight_ms_all_tasks": round(preflight, 1),
        "preflight_ms_per_task": round(preflight / len(tasks), 3),
    }


def _preflight_ms(domain: Any, tasks: list[Any]) -> float:
    """CPU ms of ``runner run``'s task pre-flight (replaying every task's expected actions,
    ``runner.run.preflight``) over ``tasks``; median of 5 rounds."""
    import statistics

    from runner.run.preflight import check_tasks

    rounds = []
    for _ in range(5):
        start = time.process_time()
        assert check_tasks(tasks, domain.environment) == []
        rounds.append(1000 * (time.process_time() - start))
    return statistics.median(rounds)


def main() -> dict[str, Any]:
    figures: dict[str, Any] = dict(asyncio.run(_measure()))
    figures["targets_met"] = all(
        figures[k] <= TARGET_MS
        for k in (
            "ms_per_simulation_first_trial",
            "ms_per_simulation_later_trial",
            "ms_per_simulation_uncached",
        )
    )
    for name, value in figures.items():
        print(f"{name:40s} {value}")
    return figures


if __name__ == "__main__":
    main()

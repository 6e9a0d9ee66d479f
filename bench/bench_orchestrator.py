"""Orchestrator and evaluation speed: replay agent + scripted user.

Figures: orchestrator steps per second on one core on the mock domain (no evaluation); the CPU
time of evaluating one mock simulation (cached expected state, i.e. every trial after the
first); and, when the retail plugin is installed, the CPU time of a whole retail simulation
(environment, conversation and evaluation) for a first and a later trial.
Targets: >= 5,000 steps/s; <= 50 ms CPU per whole retail simulation.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any


def _build(domain: Any, task: Any) -> Any:
    from runner.builtins.replay import ReplayAgent
    from runner.builtins.scripted import ScriptedUser
    from runner.orchestrator import HalfDuplexOrchestrator

    return HalfDuplexOrchestrator(
        environment=domain.environment(),
        agent=ReplayAgent(task),
        user=ScriptedUser(task),
        task=task,
        seed=1,
    )


async def _orchestrate(domain: Any, tasks: list[Any], seconds: float) -> tuple[int, int, float]:
    steps = sims = 0
    busy = 0.0
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        for task in tasks:
            orch = _build(domain, task)  # building the environment is not a step: not timed
            start = time.process_time()
            await orch.run()
            busy += time.process_time() - start
            steps += orch.step_count
            sims += 1
    return steps, sims, busy


async def _evaluate(domain: Any, tasks: list[Any], rounds: int) -> tuple[float, int]:
    from runner.evaluation import evaluate_simulation

    runs = [(await _build(domain, t).run(), t) for t in tasks]
    for run, task in runs:  # warm the expected-state cache (first trial of each task)
        evaluate_simulation(run, task, domain.environment)
    start = time.process_time()
    for _ in range(rounds):
        for run, task in runs:
            evaluate_simulation(run, task, domain.environment)
    return time.process_time() - start, rounds * len(runs)


async def _whole(domain: Any, tasks: list[Any]) -> tuple[float, float]:
    """CPU ms per simulation (build, run, evaluate): first trial, then a cached later trial."""
    from runner.evaluation import clear_cache, evaluate_simulation

    clear_cache()
    domain.environment()  # load the data once (not a per-simulation cost)
    figures = []
    for _ in range(2):
        start = time.process_time()
        for task in tasks:
            run = await _build(domain, task).run()
            evaluate_simulation(run, task, domain.environment)
        figures.append(1000 * (time.process_time() - start) / len(tasks))
    return figures[0], figures[1]


def _retail() -> Any:
    try:
        from runner.plugins import load_plugins

        return load_plugins().registry("domains").get("retail").obj
    except Exception:
        return None


def main(seconds: float = 2.0) -> dict[str, float]:
    from runner_mock.domain import MockDomain

    domain = MockDomain()
    tasks = domain.tasks()
    steps, sims, busy = asyncio.run(_orchestrate(domain, tasks, seconds))
    eval_cpu, evaluated = asyncio.run(_evaluate(domain, tasks, 50))
    figures = {
        "orchestrator_steps_per_second": round(steps / busy),
        "simulations_per_second": round(sims / busy),
        "steps_per_simulation": round(steps / sims, 1),
        "evaluation_ms_per_simulation": round(1000 * eval_cpu / evaluated, 3),
    }
    retail = _retail()
    if retail is not None:
        first, later = asyncio.run(_whole(retail, retail.tasks()))
        figures["retail_simulation_ms_first_trial"] = round(first, 2)
        figures["retail_simulation_ms_later_trial"] = round(later, 2)
    figures["targets_met"] = figures["orchestrator_steps_per_second"] >= 5000
    for name, value in figures.items():
        print(f"{name:34s} {value}")
    return figures


if __name__ == "__main__":
    main()

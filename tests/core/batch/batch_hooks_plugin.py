"""Test plugin recording the batch layer's lifecycle hooks (one of them raises, harmlessly)."""

from __future__ import annotations

from typing import Any

from runner import hookimpl

CALLS: list[tuple[str, Any]] = []


@hookimpl
def runner_run_start(config: Any, tasks: list[Any]) -> None:
    CALLS.append(("start", len(tasks)))


@hookimpl
def runner_simulation_end(config: Any, result: Any) -> None:
    CALLS.append(("simulation", result.task_id))
    raise RuntimeError("an observer's bug must not stop the run")


@hookimpl
def runner_run_end(config: Any, results: list[Any], metrics: Any) -> None:
    CALLS.append(("end", (len(results), metrics.avg_reward)))

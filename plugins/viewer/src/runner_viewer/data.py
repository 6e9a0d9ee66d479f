"""Reading a run directory into plain values the report, server and comparison share."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from runner import ConfigError, SimulationRun, compute_metrics, read_results


def is_run_dir(path: Path) -> bool:
    return (path / "run.json").is_file() and (path / "results.jsonl").is_file()


def find_runs(root: Path) -> list[Path]:
    """Run directories at or under ``root`` (bounded depth: a runs folder holds run dirs)."""
    if is_run_dir(root):
        return [root]
    found: list[Path] = []
    for depth in ("*", "*/*", "*/*/*"):
        found += [p for p in sorted(root.glob(depth)) if p.is_dir() and is_run_dir(p)]
    return found


def load_run(run_dir: Path | str) -> list[SimulationRun]:
    path = Path(run_dir)
    if not is_run_dir(path):
        raise ConfigError(f"{path} is not a run directory: it needs run.json and results.jsonl.")
    return read_results(path)


def read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def summarize(sims: list[SimulationRun]) -> dict[str, Any]:
    """The run's figures: the core's metrics (the numbers ``runner show`` and ``summary.json``
    give, infrastructure errors left out of every score) and the durations the charts need."""
    metrics = compute_metrics(sims)
    ci = metrics.avg_reward_ci95
    return {
        "num": metrics.num_results,
        "num_tasks": metrics.num_tasks,
        "avg_reward": metrics.avg_reward,
        "ci95": list(ci) if ci else None,
        "pass_hat_k": metrics.pass_hat_k,
        "termination": metrics.termination_reasons,
        "infrastructure_errors": metrics.infrastructure_errors,
        "cost": metrics.cost.get("total") or 0.0,
        "tokens": metrics.tokens["total"],
        "durations": [s.duration for s in sims],
        "errors": sum(1 for s in sims if s.error),
    }

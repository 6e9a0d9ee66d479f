"""Reading a run directory into plain values the report, server and comparison share."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from runner import ConfigError, SimulationRun, read_results

from runner_viewer.stats import mean_ci95, pass_hat_k


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


def reward_of(sim: SimulationRun) -> float | None:
    return sim.reward_info.reward if sim.reward_info is not None else None


def cost_of(sim: SimulationRun) -> float:
    return sum(c or 0.0 for c in (sim.agent_cost, sim.user_cost, sim.judge_cost))


def tokens_of(sim: SimulationRun) -> int:
    """Prompt + completion tokens found anywhere in ``usage`` (its shape varies by side)."""

    def walk(value: Any) -> int:
        if isinstance(value, dict):
            total = 0
            for key, item in value.items():
                if key in ("prompt_tokens", "completion_tokens") and isinstance(item, int | float):
                    total += int(item)
                elif isinstance(item, dict):
                    total += walk(item)
            return total
        return 0

    return walk(sim.usage or {})


def summarize(sims: list[SimulationRun]) -> dict[str, Any]:
    rewards = [r for r in map(reward_of, sims) if r is not None]
    by_task: dict[str, list[float | None]] = defaultdict(list)
    for sim in sims:
        by_task[sim.task_id].append(reward_of(sim))
    ci = mean_ci95(rewards)
    return {
        "num": len(sims),
        "num_tasks": len(by_task),
        "avg_reward": ci[0] if ci else None,
        "ci95": [ci[1], ci[2]] if ci else None,
        "pass_hat_k": pass_hat_k(by_task),
        "termination": dict(Counter(str(s.termination_reason) for s in sims).most_common()),
        "cost": sum(map(cost_of, sims)),
        "tokens": sum(map(tokens_of, sims)),
        "durations": [s.duration for s in sims],
        "errors": sum(1 for s in sims if s.error),
    }

"""The viewer's statistics: a mean with its 95% interval (``runner.mean_interval``), success,
and pass^k over rewards grouped by task."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

from runner import mean_interval


def mean_ci95(values: Sequence[float]) -> tuple[float, float, float] | None:
    """Mean and its two-sided 95% Student-t interval; None when empty."""
    return mean_interval(list(values), 0.95) if values else None


def is_success(reward: float | None) -> bool:
    return reward is not None and reward >= 1.0 - 1e-6


def pass_hat_k(rewards_by_task: Mapping[str, Iterable[float | None]]) -> dict[int, float]:
    """pass^k for k = 1..min trials: mean over tasks of C(c, k) / C(n, k)."""
    counts = [(len(r), sum(is_success(x) for x in r)) for r in map(list, rewards_by_task.values())]
    counts = [(n, c) for n, c in counts if n > 0]
    if not counts:
        return {}
    out: dict[int, float] = {}
    for k in range(1, min(n for n, _ in counts) + 1):
        out[k] = sum(math.comb(c, k) / math.comb(n, k) for n, c in counts) / len(counts)
    return out

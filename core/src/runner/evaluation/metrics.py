"""Metrics of a run: average reward with a confidence interval, pass^k, costs, tokens, durations.

Metrics are computed from :class:`ResultRecord`\\ s, the few fields of a
:class:`~runner.SimulationRun` that scoring needs, so that a resumed run over 100,000 results
never has to validate every trajectory again.

Definitions (also in ``docs/running.md``):

- A result is *scored* unless it ended as ``infrastructure_error``: those never measured the
  agent, so they are excluded from every score and counted in ``infrastructure_errors``.
  A scored result without a reward counts as reward 0.
- ``avg_reward``: mean reward of the scored results, with a 95% confidence interval from the
  Student t distribution (normal approximation past 120 degrees of freedom).
- A trial *succeeds* when its reward is 1 (within 1e-6), as in τ-bench.
- ``pass^k`` (τ-bench): for each task with ``n`` scored trials of which ``c`` succeeded,
  ``C(c, k) / C(n, k)``: the probability that ``k`` trials drawn without replacement all
  succeed; averaged over tasks. Reported for ``k = 1 .. min(n)`` over tasks (capped at
  ``num_trials``).
- ``voice`` (full-duplex runs only): response latency, interruptions, barge-ins, back-channels,
  overlap ratio and talk-time share, from each result's ``voice``
  (:mod:`runner.evaluation.voice`).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from runner.evaluation.voice import SIDES
from runner.models.record import INFRASTRUCTURE_ERROR, ResultRecord
from runner.models.simulation import SimulationRun

SUCCESS_TOLERANCE = 1e-6

# Two-sided 95% critical values of Student's t for 1..30 degrees of freedom.
_T95 = (
    12.706,
    4.303,
    3.182,
    2.776,
    2.571,
    2.447,
    2.365,
    2.306,
    2.262,
    2.228,
    2.201,
    2.179,
    2.160,
    2.145,
    2.131,
    2.120,
    2.110,
    2.101,
    2.093,
    2.086,
    2.080,
    2.074,
    2.069,
    2.064,
    2.060,
    2.056,
    2.052,
    2.048,
    2.045,
    2.042,
)


_SIDES = {"agent": 0, "user": 1, "judge": 2}


def pass_hat_k(num_trials: int, successes: int, k: int) -> float:
    """τ-bench's pass^k of one task: ``C(successes, k) / C(num_trials, k)``."""
    if not 1 <= k <= num_trials:
        raise ValueError(f"k must be between 1 and the number of trials ({num_trials}), got {k}")
    return math.comb(successes, k) / math.comb(num_trials, k)


def pass_hat_ks(outcomes: Mapping[str, list[bool]], max_k: int | None = None) -> dict[int, float]:
    """pass^k for ``k = 1 .. min trials per task`` (capped at ``max_k``), averaged over tasks.

    ``outcomes`` maps each task to the success of each of its scored trials.
    """
    counts = [len(v) for v in outcomes.values() if v]
    if not counts:
        return {}
    top = min(counts) if max_k is None else min(min(counts), max_k)
    tasks = [v for v in outcomes.values() if v]
    totals = [0.0] * (top + 1)
    for v in tasks:
        for k, value in enumerate(_pass_hat_series(len(v), sum(v), top), start=1):
            totals[k] += value
    return {k: totals[k] / len(tasks) for k in range(1, top + 1)}


def _pass_hat_series(n: int, c: int, top: int) -> list[float]:
    """``C(c,k)/C(n,k)`` for ``k = 1..top`` in O(top): each term is the previous one times
    ``(c-k+1)/(n-k+1)`` (exact binomials of thousands of trials would be huge integers)."""
    out = []
    value = 1.0
    for k in range(1, top + 1):
        value = value * (c - k + 1) / (n - k + 1) if c - k + 1 > 0 else 0.0
        out.append(value)
    return out


def t_critical_95(dof: int) -> float:
    """Two-sided 95% critical value of Student's t with ``dof`` degrees of freedom."""
    if dof < 1:
        return math.nan
    if dof <= len(_T95):
        return _T95[dof - 1]
    if dof <= 60:
        return 2.042 - (dof - 30) * (2.042 - 2.000) / 30
    if dof <= 120:
        return 2.000 - (dof - 60) * (2.000 - 1.980) / 60
    return 1.960


def mean_ci95(values: list[float]) -> tuple[float | None, float | None, float | None]:
    """``(mean, low, high)``; the interval is ``None`` with fewer than two values."""
    n = len(values)
    if n == 0:
        return None, None, None
    mean = sum(values) / n
    if n < 2:
        return mean, None, None
    var = sum((v - mean) ** 2 for v in values) / (n - 1)
    half = t_critical_95(n - 1) * math.sqrt(var / n)
    return mean, mean - half, mean + half


def _percentile(sorted_values: list[float], q: float) -> float | None:
    if not sorted_values:
        return None
    idx = min(len(sorted_values) - 1, max(0, math.ceil(q * len(sorted_values)) - 1))
    return sorted_values[idx]


@dataclass
class Metrics:
    """The figures of one run (``summary.json`` holds :meth:`to_json`)."""

    num_results: int = 0
    num_scored: int = 0
    num_tasks: int = 0
    infrastructure_errors: int = 0
    avg_reward: float | None = None
    avg_reward_ci95: tuple[float, float] | None = None
    success_rate: float | None = None
    pass_hat_k: dict[int, float] = field(default_factory=dict)
    termination_reasons: dict[str, int] = field(default_factory=dict)
    cost: dict[str, float | None] = field(default_factory=dict)
    avg_cost_per_simulation: float | None = None
    tokens: dict[str, int] = field(default_factory=dict)
    #: Total tokens per participant (``agent``, ``user``, ``judge``), over results that split them.
    tokens_by_side: dict[str, int] = field(default_factory=dict)
    duration: dict[str, float | None] = field(default_factory=dict)
    #: Units of the run that have no result yet (a partial or interrupted run).
    missing: int | None = None
    #: Turn-taking figures of a full-duplex run (:func:`aggregate_voice`); None otherwise.
    voice: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "num_results": self.num_results,
            "num_scored": self.num_scored,
            "num_tasks": self.num_tasks,
            "infrastructure_errors": self.infrastructure_errors,
            "missing": self.missing,
            "avg_reward": self.avg_reward,
            "avg_reward_ci95": list(self.avg_reward_ci95) if self.avg_reward_ci95 else None,
            "success_rate": self.success_rate,
            "pass_hat_k": {str(k): v for k, v in self.pass_hat_k.items()},
            "termination_reasons": self.termination_reasons,
            "cost": self.cost,
            "avg_cost_per_simulation": self.avg_cost_per_simulation,
            "tokens": self.tokens,
            "tokens_by_side": self.tokens_by_side,
            "duration": self.duration,
            **({"voice": self.voice} if self.voice else {}),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Metrics:
        ci = data.get("avg_reward_ci95")
        return cls(
            num_results=data.get("num_results", 0),
            num_scored=data.get("num_scored", 0),
            num_tasks=data.get("num_tasks", 0),
            infrastructure_errors=data.get("infrastructure_errors", 0),
            missing=data.get("missing"),
            avg_reward=data.get("avg_reward"),
            avg_reward_ci95=tuple(ci) if ci else None,  # type: ignore[arg-type]
            success_rate=data.get("success_rate"),
            pass_hat_k={int(k): v for k, v in (data.get("pass_hat_k") or {}).items()},
            termination_reasons=dict(data.get("termination_reasons") or {}),
            cost=dict(data.get("cost") or {}),
            avg_cost_per_simulation=data.get("avg_cost_per_simulation"),
            tokens=dict(data.get("tokens") or {}),
            tokens_by_side=dict(data.get("tokens_by_side") or {}),
            duration=dict(data.get("duration") or {}),
            voice=data.get("voice"),
        )


def compute_metrics(
    records: Iterable[ResultRecord | SimulationRun],
    num_trials: int | None = None,
    expected: int | None = None,
) -> Metrics:
    """Metrics of ``records`` (one per unit: pass the newest result of each unit), as result
    records or as whole :class:`~runner.SimulationRun`\\ s (what ``runner.read_results`` gives).

    ``num_trials`` caps k of pass^k; ``expected`` (the run's number of units) fills ``missing``.
    One pass over the records: a resumed run computes this over every result it holds.
    """
    rewards: list[float] = []
    durations: list[float] = []
    outcomes: dict[str, list[bool]] = {}
    reasons: Counter[str] = Counter()
    costs: dict[str, list[float]] = {"agent": [], "user": [], "judge": []}
    tasks: set[str] = set()
    prompt = completion = successes = infra = 0
    sides: dict[str, int] = {}
    voices: list[dict[str, Any]] = []
    for item in records:
        r = item if isinstance(item, ResultRecord) else ResultRecord.from_run(item)
        tasks.add(r.task_id)
        if r.voice:
            voices.append(r.voice)
        reasons[r.termination_reason] += 1
        durations.append(r.duration)
        prompt += r.prompt_tokens
        completion += r.completion_tokens
        if r.side_tokens:
            for side, value in r.side_tokens.items():
                sides[side] = sides.get(side, 0) + value
        if r.agent_cost is not None:
            costs["agent"].append(r.agent_cost)
        if r.user_cost is not None:
            costs["user"].append(r.user_cost)
        if r.judge_cost is not None:
            costs["judge"].append(r.judge_cost)
        if r.termination_reason == INFRASTRUCTURE_ERROR:
            infra += 1
            continue
        reward = 0.0 if r.reward is None else r.reward
        rewards.append(reward)
        ok = abs(reward - 1.0) <= SUCCESS_TOLERANCE
        successes += ok
        outcomes.setdefault(r.task_id, []).append(ok)
    count = len(durations)
    mean, low, high = mean_ci95(rewards)
    cost: dict[str, float | None] = {k: (sum(v) if v else None) for k, v in costs.items()}
    known = [c for c in cost.values() if c is not None]
    total_cost = sum(known) if known else None
    cost["total"] = total_cost
    durations.sort()
    return Metrics(
        num_results=count,
        num_scored=len(rewards),
        num_tasks=len(tasks),
        infrastructure_errors=infra,
        avg_reward=mean,
        avg_reward_ci95=None if low is None or high is None else (low, high),
        success_rate=successes / len(rewards) if rewards else None,
        pass_hat_k=pass_hat_ks(outcomes, num_trials),
        termination_reasons=dict(reasons.most_common()),
        cost=cost,
        avg_cost_per_simulation=None if total_cost is None or not count else total_cost / count,
        tokens={"prompt": prompt, "completion": completion, "total": prompt + completion},
        tokens_by_side=dict(sorted(sides.items(), key=lambda kv: (_SIDES.get(kv[0], 3), kv[0]))),
        duration={
            "total": sum(durations),
            "mean": sum(durations) / count if count else None,
            "p50": _percentile(durations, 0.5),
            "p95": _percentile(durations, 0.95),
            "max": durations[-1] if durations else None,
        },
        missing=None if expected is None else max(0, expected - count),
        voice=aggregate_voice(voices),
    )


_VOICE_COUNTS = ("interruptions", "yielded", "backchannels")


def aggregate_voice(stats: Iterable[dict[str, Any] | None]) -> dict[str, Any] | None:
    """The run's voice metrics from its simulations' ``voice``
    (:func:`runner.evaluation.voice.voice_stats`); None without any."""
    found = [s for s in stats if s]
    if not found:
        return None
    ticks: list[float] = []
    seconds: list[float] = []
    totals = {key: {side: 0 for side in SIDES} for key in _VOICE_COUNTS}
    speech = {side: 0 for side in SIDES}
    errors = {side: [0, 0] for side in SIDES}  # word errors, words meant
    overlap = anyone = 0
    for s in found:
        for side, counts in (s.get("word_errors") or {}).items():
            if side in errors:
                errors[side][0] += int(counts.get("errors", 0))
                errors[side][1] += int(counts.get("words", 0))
        for latency in s.get("latency_ticks") or []:
            ticks.append(latency)
            seconds.append(latency * float(s.get("tick_seconds") or 0.0))
        for key, by_side in totals.items():
            for side in SIDES:
                by_side[side] += int((s.get(key) or {}).get(side, 0))
        for side in SIDES:
            speech[side] += int((s.get("speech_ticks") or {}).get(side, 0))
        overlap += int(s.get("overlap_ticks") or 0)
        anyone += int(s.get("speaking_ticks") or 0)
    talk = speech["agent"] + speech["user"]
    return {
        "simulations": len(found),
        "response_latency": {
            "count": len(ticks),
            "ticks": _spread(ticks),
            "seconds": _spread(seconds),
        },
        **totals,
        "overlap_ratio": overlap / anyone if anyone else None,
        "talk_share": {side: (speech[side] / talk if talk else None) for side in SIDES},
        **_word_error_rate(errors),
    }


def _word_error_rate(errors: dict[str, list[int]]) -> dict[str, Any]:
    words = sum(w for _, w in errors.values())
    if not words:
        return {}
    rate = {side: (e / w if w else None) for side, (e, w) in errors.items()}
    rate["overall"] = sum(e for e, _ in errors.values()) / words
    return {"word_error_rate": rate}


def _spread(values: list[float]) -> dict[str, float | None]:
    ordered = sorted(values)
    return {
        "mean": sum(ordered) / len(ordered) if ordered else None,
        "p50": _percentile(ordered, 0.5),
        "p95": _percentile(ordered, 0.95),
    }

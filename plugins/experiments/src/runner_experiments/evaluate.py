"""Evaluating one policy on the experiment's grid, through the runner layers.

A policy is run with :func:`runner.arun_domain` as an ordinary run (the policy goes to the agent
option named by ``optimize.option``), in its own run directory under
``<output.dir>/runs/<experiment id>/``. The run layer's checkpointing is what makes an
interrupted evaluation resumable: the same run directory is opened again and only the units
without a result are run. Every policy uses the same ``master_seed``, so every policy meets the
same (task, trial, seed) units: the grid the paired comparison needs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from runner import RunConfig, SimulationRun, arun_domain

from runner_experiments.config import ExperimentConfig
from runner_experiments.stats import mean_interval
from runner_experiments.store import micro

Unit = tuple[str, int]


@dataclass
class PolicyEvaluation:
    """One policy's results on the grid."""

    #: Reward by (task id, trial); None for a unit not scored (an infrastructure error).
    rewards: dict[Unit, float | None]
    #: One row per unit, as the store keeps it.
    rows: list[dict[str, Any]]
    runs: list[SimulationRun] = field(default_factory=list)
    run_dir: Path | None = None

    def score(self, confidence: float) -> tuple[float | None, float | None, float | None]:
        values = [v for v in self.rewards.values() if v is not None]
        return mean_interval(values, confidence) if values else (None, None, None)

    @property
    def cost_micro(self) -> int:
        return sum(int(r["cost_micro"]) for r in self.rows)


def run_config(exp: ExperimentConfig, policy: str, run_name: str, *, progress: bool) -> RunConfig:
    """The runner configuration that evaluates ``policy`` on the experiment's grid."""
    return RunConfig(
        domain=exp.domain,
        domain_options=dict(exp.domain_options),
        agent=exp.agent,
        agent_options={**exp.agent_options, exp.optimize.option: policy},
        user=exp.user,
        user_options=dict(exp.user_options),
        orchestrator=exp.orchestrator,
        agent_llm=exp.agent_llm,
        agent_llm_args=dict(exp.agent_llm_args),
        user_llm=exp.user_llm,
        user_llm_args=dict(exp.user_llm_args),
        judge_llm=exp.judge_llm,
        judge_llm_args=dict(exp.judge_llm_args),
        task_split=exp.tasks.split,
        task_ids=exp.tasks.ids,
        num_tasks=exp.tasks.limit,
        num_trials=exp.evaluation.trials,
        seed=exp.evaluation.master_seed,
        max_concurrency=exp.evaluation.max_concurrency,
        max_steps=exp.evaluation.max_steps,
        output_dir=str(exp.path(exp.output.dir) / "runs"),
        run_name=run_name,
        progress=progress,
    )


def rows_of(runs: list[SimulationRun]) -> list[dict[str, Any]]:
    """The store's rows for a policy's results (costs in micro-dollars, LLM calls counted)."""
    rows = []
    for run in runs:
        scored = getattr(run.termination_reason, "value", run.termination_reason)
        infrastructure = scored == "infrastructure_error"
        info = run.reward_info
        rows.append(
            {
                "task_id": run.task_id,
                "trial": run.trial,
                "seed": run.seed,
                "reward": None if infrastructure else float(run.reward or 0.0),
                "termination_reason": scored,
                "breakdown": info.reward_breakdown if info else None,
                "cost_micro": micro(run.agent_cost) + micro(run.user_cost) + micro(run.judge_cost),
                "llm_calls": _llm_calls(run),
            }
        )
    return rows


def _llm_calls(run: SimulationRun) -> int:
    """The model calls behind a result: one per message that reports usage, plus the judge's."""
    calls = sum(1 for m in run.messages if getattr(m, "usage", None))
    nl = run.reward_info.nl_assertions if run.reward_info else None
    return calls + (1 if nl and run.judge_cost is not None else 0)


async def evaluate_policy(
    exp: ExperimentConfig,
    policy: str,
    run_name: str,
    *,
    plugins: Any = None,
    progress: bool = True,
) -> PolicyEvaluation:
    """Run ``policy`` on the grid (resuming its run directory when it exists)."""
    config = run_config(exp, policy, run_name, progress=progress)
    result = await arun_domain(config, plugins=plugins)
    runs = result.results()
    rows = rows_of(runs)
    rewards = {(r["task_id"], r["trial"]): r["reward"] for r in rows}
    return PolicyEvaluation(rewards=rewards, rows=rows, runs=runs, run_dir=result.run_dir)

"""``runner improve``: one round of the experiment loop, with what already happened as baseline.

The baseline is past results, never re-run: the run directories of earlier ``runner run``
invocations (within a time window), or conversations read from OpenTelemetry traces
(:mod:`runner_experiments.otlp`). The failures among them (by reward, or by the reward
components and judge verdicts named in ``evaluators``) go to the optimizer; its candidate is
validated by running the baseline's tasks again with the candidate policy on the same (task,
trial, seed) units, and the paired comparison decides. The new policy is written out only when
the acceptance rule holds. Everything is recorded in the experiments database, so
``runner experiment show / replay --audit / diff`` read an improvement like an experiment.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from runner import ConfigError, SimulationRun, get_gateway, mask_secrets, read_results

from runner_experiments.config import ExperimentConfig
from runner_experiments.evaluate import evaluate_policy, rows_of
from runner_experiments.loop import compare, initial_policy
from runner_experiments.optimizer import failure_digest, propose
from runner_experiments.stats import Decision
from runner_experiments.store import Store

#: The run-level fields an experiment takes from a past run's configuration.
_RUN_FIELDS = (
    "domain",
    "domain_options",
    "agent",
    "user",
    "user_options",
    "orchestrator",
    "agent_llm",
    "agent_llm_args",
    "user_llm",
    "user_llm_args",
    "judge_llm",
    "judge_llm_args",
)
_MASK = "***"


@dataclass
class Improvement:
    experiment_id: str
    adopted: bool
    decision: Decision | None
    candidate: str | None
    output: Path | None
    failures: int
    baseline: int


def runs_baseline(
    dirs: list[Path], since: datetime | None = None, until: datetime | None = None
) -> tuple[dict[str, Any], list[SimulationRun]]:
    """The configuration the runs share and their results started within [since, until]."""
    config: dict[str, Any] | None = None
    results: list[SimulationRun] = []
    for folder in dirs:
        try:
            stored = json.loads((folder / "run.json").read_text(encoding="utf-8"))["config"]
        except (OSError, ValueError, KeyError) as exc:
            raise ConfigError(
                f"--runs {folder}: not a runner run directory (its run.json cannot be read: "
                f"{exc}). Pass folders that `runner run` created."
            ) from None
        shared = {k: stored.get(k) for k in _RUN_FIELDS}
        if config is None:
            config = {**stored}
        elif {k: config.get(k) for k in _RUN_FIELDS} != shared:
            differing = [k for k in _RUN_FIELDS if config.get(k) != shared[k]]
            raise ConfigError(
                f"--runs {folder}: its configuration differs from the first run's in "
                f"{', '.join(differing)}; a baseline must come from one setup. Improve each "
                "setup on its own."
            )
        results.extend(r for r in read_results(folder) if _within(r, since, until))
    if config is None or not results:
        window = f" between {since or 'the start'} and {until or 'now'}" if since or until else ""
        raise ConfigError(
            f"No results in {', '.join(map(str, dirs))}{window}: nothing to learn from. Check "
            "the folders and --since/--until (ISO dates, e.g. 2026-12-01T00:00)."
        )
    return config, results


def _within(run: SimulationRun, since: datetime | None, until: datetime | None) -> bool:
    if since is None and until is None:
        return True
    try:
        started = datetime.fromisoformat(str(run.start_time))
    except ValueError:
        return False
    return (since is None or started >= since) and (until is None or started <= until)


def experiment_for_runs(
    config: dict[str, Any],
    results: list[SimulationRun],
    base: ExperimentConfig | None,
    overrides: dict[str, Any],
) -> ExperimentConfig:
    """The experiment that re-runs the baseline's units: the runs' setup, the experiment
    file's optimizer and acceptance settings (when given), and ``overrides``."""
    data: dict[str, Any] = base.model_dump(exclude={"base_dir"}) if base else {"name": "improve"}
    for key in _RUN_FIELDS:
        if config.get(key) is not None:
            data[key] = _unmasked(config[key])
    option = data.get("optimize", {}).get("option", "policy")
    data["agent_options"] = {
        k: v for k, v in (config.get("agent_options") or {}).items() if k != option
    }
    tasks = sorted({r.task_id for r in results})
    data["tasks"] = {"ids": tasks}
    evaluation = dict(data.get("evaluation") or {})
    evaluation.update(
        trials=max(r.trial for r in results) + 1,
        master_seed=config.get("seed", evaluation.get("master_seed", 300)),
    )
    data["evaluation"] = evaluation
    data.update({k: v for k, v in overrides.items() if v is not None})
    exp = ExperimentConfig.model_validate(data)
    if base is not None:
        exp.base_dir = base.base_dir
    return exp


def _unmasked(value: Any) -> Any:
    """A stored value without its masked secrets (the provider's environment variable, or an
    ``--*-llm-args`` override, supplies them)."""
    if isinstance(value, dict):
        return {k: _unmasked(v) for k, v in value.items() if v != _MASK}
    return value


def failed(run: SimulationRun, evaluators: list[str]) -> bool:
    """Whether a result failed by the chosen evaluators: reward components (``DB``,
    ``ACTION``, ``COMMUNICATE``, ...) below 1, ``judge`` for an NL assertion judged unmet;
    without any, a reward below 1."""
    info = run.reward_info
    if info is None:
        return False
    if not evaluators:
        return info.reward < 1.0
    breakdown = info.reward_breakdown or {}
    for evaluator in evaluators:
        if evaluator.lower() == "judge":
            if any(check.met is False for check in info.nl_assertions or []):
                return True
        elif breakdown.get(evaluator.upper(), 1.0) < 1.0:
            return True
    return False


async def improve(
    baseline: list[SimulationRun],
    exp: ExperimentConfig,
    *,
    policy: str | None = None,
    evaluators: list[str] | None = None,
    store: Store,
    output: Path | None = None,
    plugins: Any = None,
    progress: bool = True,
) -> Improvement:
    """Propose from the baseline's failures, validate on its units, adopt when the rule holds."""
    policy = policy if policy is not None else initial_policy(exp, plugins)
    experiment_id = store.create(
        exp.name, mask_secrets(exp.model_dump(mode="json")), "", exp.fingerprint()
    )
    store.add_iteration(experiment_id, 0, policy, None, "incumbent")
    store.add_evaluations(experiment_id, 0, rows_of(baseline))
    failures = [r for r in baseline if failed(r, evaluators or [])]
    store.event(experiment_id, "baseline", 0, results=len(baseline), failures=len(failures))
    outcome = Improvement(experiment_id, False, None, None, None, len(failures), len(baseline))
    if not failures:
        store.set_experiment(experiment_id, status="done", stop_reason="no_failures", incumbent=0)
        return outcome
    digest = failure_digest(failures, exp.optimize.max_failures, exp.optimize.max_trajectory_chars)
    candidate = await propose(exp, store, experiment_id, 1, policy, digest, get_gateway())
    if candidate is None:
        store.add_iteration(experiment_id, 1, None, 0, "invalid")
        store.set_experiment(experiment_id, status="done", stop_reason="invalid", incumbent=0)
        return outcome
    outcome.candidate = candidate
    store.add_iteration(experiment_id, 1, candidate, 0, "evaluating")
    evaluation = await evaluate_policy(
        exp, candidate, f"{experiment_id}/candidate", plugins=plugins, progress=progress
    )
    store.add_evaluations(experiment_id, 1, evaluation.rows)
    rewards = {(r.task_id, r.trial): _reward(r) for r in baseline}
    decision = compare(exp, rewards, evaluation.rewards)
    outcome.decision = decision
    status = "accepted" if decision.accepted else "rejected"
    mean, low, high = evaluation.score(exp.acceptance.confidence)
    store.set_iteration(
        experiment_id,
        1,
        status=status,
        score=mean,
        score_low=low,
        score_high=high,
        decision_json=decision.to_json(),
    )
    store.event(experiment_id, status, 1, decision=decision.to_json())
    if decision.accepted:
        outcome.adopted = True
        target = output or exp.path(exp.output.dir) / experiment_id / "policy.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(candidate, encoding="utf-8")
        outcome.output = target
    store.set_experiment(
        experiment_id, status="done", stop_reason=status, incumbent=1 if decision.accepted else 0
    )
    return outcome


def _reward(run: SimulationRun) -> float | None:
    reason = getattr(run.termination_reason, "value", run.termination_reason)
    return None if reason == "infrastructure_error" else float(run.reward or 0.0)

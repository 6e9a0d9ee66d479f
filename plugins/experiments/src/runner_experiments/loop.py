"""The experiment loop, and the three stages a user can also run alone.

One round: check convergence and the budget; ask the optimizer for a candidate given the
incumbent policy and its failed trajectories (:func:`propose_update`); evaluate the candidate on
the same grid as the incumbent and compare the paired deltas (:func:`validate_update`); accept
or reject; record everything. The incumbent's results are read back, never re-run.

Crash safety: every step is recorded in the store before the next one starts, and an
evaluation is an ordinary run directory, so :func:`resume_experiment` after a crash at any point
continues where the process stopped: recorded optimizer answers are replayed, not asked again,
and finished simulations are kept. With the same seeds and the same model answers it reaches
the same final state as a run that never stopped.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from runner import ConfigError, get_gateway, load_plugins, mask_secrets, read_results

from runner_experiments.config import ExperimentConfig, load_experiment
from runner_experiments.evaluate import PolicyEvaluation, Unit, evaluate_policy
from runner_experiments.optimizer import failure_digest, propose
from runner_experiments.stats import Decision, decide, paired_deltas
from runner_experiments.store import Store

DB_NAME = "experiments.sqlite"


def default_db(exp: ExperimentConfig) -> Path:
    return exp.path(exp.output.dir) / DB_NAME


def initial_policy(exp: ExperimentConfig, plugins: Any = None) -> str:
    """The first policy: ``optimize.initial_file``, else the domain's own policy."""
    if exp.optimize.initial_file:
        return exp.read_text("optimize.initial_file", exp.optimize.initial_file)
    if exp.optimize.option != "policy":
        raise ConfigError(
            f"optimize.initial_file is needed: optimize.option is {exp.optimize.option!r}, and "
            "only the policy has a default (the domain's). Put the text the optimizer starts "
            "from in a file and name it there."
        )
    domain = (plugins or load_plugins()).registry("domains").get(exp.domain).obj
    if exp.domain_options:
        domain = domain.configure(dict(exp.domain_options))
    return str(domain.environment().policy or "")


# -- the stages ------------------------------------------------------------------------------
async def evaluate_baseline(
    exp: ExperimentConfig,
    policy: str,
    run_name: str = "baseline",
    *,
    plugins: Any = None,
    progress: bool = True,
) -> PolicyEvaluation:
    """Evaluate a policy on the experiment's grid (stage 1)."""
    return await evaluate_policy(exp, policy, run_name, plugins=plugins, progress=progress)


async def propose_update(
    exp: ExperimentConfig,
    policy: str,
    baseline: PolicyEvaluation,
    *,
    store: Store | None = None,
    experiment_id: str = "adhoc",
    n: int = 1,
    gateway: Any = None,
) -> str | None:
    """A candidate policy from the baseline's failures (stage 2); None when every attempt broke
    the constraints. Without a store the calls are recorded in a throwaway in-memory one."""
    store = store or Store(":memory:")
    failures = failure_digest(
        baseline.runs, exp.optimize.max_failures, exp.optimize.max_trajectory_chars
    )
    return await propose(exp, store, experiment_id, n, policy, failures, gateway or get_gateway())


async def validate_update(
    exp: ExperimentConfig,
    baseline: PolicyEvaluation,
    candidate: str,
    run_name: str = "candidate",
    *,
    plugins: Any = None,
    progress: bool = True,
) -> tuple[Decision, PolicyEvaluation]:
    """Evaluate the candidate on the baseline's grid and apply the acceptance rule (stage 3)."""
    evaluation = await evaluate_policy(exp, candidate, run_name, plugins=plugins, progress=progress)
    return compare(exp, baseline.rewards, evaluation.rewards), evaluation


def compare(
    exp: ExperimentConfig, incumbent: dict[Unit, float | None], candidate: dict[Unit, float | None]
) -> Decision:
    rule = exp.acceptance
    return decide(
        paired_deltas(incumbent, candidate),
        rule.rule,
        min_improvement=rule.min_improvement,
        confidence=rule.confidence,
    )


# -- the loop --------------------------------------------------------------------------------
@dataclass
class Outcome:
    experiment_id: str
    stop_reason: str
    incumbent: int
    policy: str
    policy_file: Path


async def run_experiment(
    path: str | Path, *, db: str | Path | None = None, plugins: Any = None, progress: bool = True
) -> Outcome:
    """Run the experiment file at ``path`` from the start (a new experiment id)."""
    exp = load_experiment(path)
    store = Store(db or default_db(exp))
    experiment_id = store.create(
        exp.name,
        mask_secrets(exp.model_dump(mode="json")),
        str(Path(path).resolve()),
        exp.fingerprint(),
    )
    _say(f"experiment {experiment_id} (database {store.path})")
    return await _drive(exp, store, experiment_id, plugins, progress)


async def resume_experiment(
    experiment_id: str,
    *,
    db: str | Path,
    plugins: Any = None,
    progress: bool = True,
    config_file: str | Path | None = None,
) -> Outcome:
    """Continue an experiment after a crash or an interruption (its file must be unchanged)."""
    store = Store(db)
    row = store.experiment(experiment_id)
    path = Path(config_file or row["config_file"])
    exp = load_experiment(path)
    if exp.fingerprint() != row["fingerprint"]:
        raise ConfigError(
            f"The experiment file {path} changed since experiment {experiment_id} started, so "
            "its results would not be comparable. Put the file back as it was, or start a new "
            "experiment with `runner experiment run`."
        )
    if row["status"] == "done":
        _say(f"experiment {experiment_id} is already finished ({row['stop_reason']})")
    return await _drive(exp, store, experiment_id, plugins, progress)


async def _drive(
    exp: ExperimentConfig, store: Store, experiment_id: str, plugins: Any, progress: bool
) -> Outcome:
    loop = _Loop(exp, store, experiment_id, plugins, progress, get_gateway())
    return await loop.run()


class _Loop:
    def __init__(
        self,
        exp: ExperimentConfig,
        store: Store,
        experiment_id: str,
        plugins: Any,
        progress: bool,
        gateway: Any,
    ) -> None:
        self.exp, self.store, self.id = exp, store, experiment_id
        self.plugins, self.progress, self.gateway = plugins, progress, gateway

    async def run(self) -> Outcome:
        iterations = {row["n"]: row for row in self.store.iterations(self.id)}
        if 0 not in iterations:
            self.store.add_iteration(
                self.id, 0, initial_policy(self.exp, self.plugins), None, "evaluating"
            )
            self.store.event(self.id, "start", 0)
        row = self.store.experiment(self.id)
        incumbent = row["incumbent"] if row["incumbent"] is not None else 0
        baseline = await self._evaluated(0)
        if row["incumbent"] is None:
            mean, low, high = baseline.score(self.exp.acceptance.confidence)
            self.store.set_iteration(
                self.id, 0, status="incumbent", score=mean, score_low=low, score_high=high
            )
            self.store.set_experiment(self.id, incumbent=0)
            _say(f"iteration 0 (initial policy): score {_fmt(mean)} [{_fmt(low)}, {_fmt(high)}]")
        while True:
            iterations = {r["n"]: r for r in self.store.iterations(self.id)}
            n = max(iterations)
            if not (n > 0 and iterations[n]["status"] == "evaluating"):  # else: finish round n
                reason = self._stop_reason(iterations, incumbent)
                if reason is not None:
                    return self._finish(reason, incumbent)
                n += 1
            incumbent = await self._round(n, incumbent, iterations.get(n))

    async def _round(self, n: int, incumbent: int, row: Any) -> int:
        incumbent_eval = await self._evaluated(incumbent)
        incumbent_policy = self._policy(incumbent)
        if row is None:
            self.store.event(self.id, "round", n, incumbent=incumbent)
            failures = failure_digest(
                incumbent_eval.runs,
                self.exp.optimize.max_failures,
                self.exp.optimize.max_trajectory_chars,
            )
            candidate = await propose(
                self.exp, self.store, self.id, n, incumbent_policy, failures, self.gateway
            )
            if candidate is None:
                self.store.add_iteration(self.id, n, None, incumbent, "invalid")
                self.store.event(self.id, "invalid", n)
                _say(
                    f"iteration {n}: no valid candidate after "
                    f"{self.exp.optimizer.max_retries + 1} attempts"
                )
                return incumbent
            self.store.add_iteration(self.id, n, candidate, incumbent, "evaluating")
        evaluation = await self._evaluated(n)
        decision = compare(self.exp, incumbent_eval.rewards, evaluation.rewards)
        mean, low, high = evaluation.score(self.exp.acceptance.confidence)
        status = "accepted" if decision.accepted else "rejected"
        self.store.set_iteration(
            self.id,
            n,
            status=status,
            score=mean,
            score_low=low,
            score_high=high,
            decision_json=decision.to_json(),
        )
        self.store.event(self.id, status, n, decision=decision.to_json())
        _say(
            f"iteration {n}: score {_fmt(mean)} [{_fmt(low)}, {_fmt(high)}], {status}: "
            f"{decision.reason}"
        )
        if decision.accepted:
            self.store.set_experiment(self.id, incumbent=n)
            return n
        return incumbent

    async def _evaluated(self, n: int) -> PolicyEvaluation:
        """Iteration ``n``'s evaluation: run (or finished) on the grid, its rows stored."""
        row = next(r for r in self.store.iterations(self.id) if r["n"] == n)
        run_name = f"{self.id}/iter-{n}"
        stored = self.store.evaluations(self.id, n)
        if stored and row["status"] != "evaluating":
            rewards = {(r["task_id"], r["trial"]): r["reward"] for r in stored}
            run_dir = Path(self.exp.path(self.exp.output.dir)) / "runs" / run_name
            runs = read_results(run_dir) if run_dir.exists() else []
            return PolicyEvaluation(
                rewards=rewards, rows=[dict(r) for r in stored], runs=runs, run_dir=run_dir
            )
        evaluation = await evaluate_policy(
            self.exp, row["policy"], run_name, plugins=self.plugins, progress=self.progress
        )
        self.store.add_evaluations(self.id, n, evaluation.rows)
        if n == 0:
            self.store.set_iteration(self.id, 0, status="evaluated")
        return evaluation

    def _policy(self, n: int) -> str:
        return next(r["policy"] for r in self.store.iterations(self.id) if r["n"] == n)

    def _stop_reason(self, iterations: dict[int, Any], incumbent: int) -> str | None:
        conv, budget = self.exp.convergence, self.exp.budget
        rounds = [iterations[k] for k in sorted(iterations) if k > 0]
        if len(rounds) >= conv.max_iterations:
            return "max_iterations"
        streak = 0
        for r in reversed(rounds):
            if r["status"] == "accepted":
                break
            streak += 1
        if streak >= conv.patience:
            return "patience"
        if conv.stability_threshold > 0 and len(rounds) >= conv.stability_window:
            scores = [iterations[0]["score"]]  # the incumbent's score after each round
            for r in rounds:
                scores.append(r["score"] if r["status"] == "accepted" else scores[-1])
            window = scores[-conv.stability_window - 1 :]
            if None not in window and max(window) - min(window) <= conv.stability_threshold:
                return "stable"
        spent_micro, calls = self.store.spent(self.id)
        if budget.max_usd is not None and spent_micro >= round(budget.max_usd * 1_000_000):
            return "budget_usd"
        if budget.max_llm_calls is not None and calls >= budget.max_llm_calls:
            return "budget_llm_calls"
        return None

    def _finish(self, reason: str, incumbent: int) -> Outcome:
        policy = self._policy(incumbent)
        target = (
            self.exp.path(self.exp.output.policy_file)
            if self.exp.output.policy_file
            else self.exp.path(self.exp.output.dir) / self.id / "policy.md"
        )
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(policy, encoding="utf-8")
        self.store.set_experiment(self.id, status="done", stop_reason=reason, incumbent=incumbent)
        self.store.event(self.id, "stop", None, reason=reason, incumbent=incumbent)
        _say(f"stopped ({reason}); incumbent: iteration {incumbent}; policy written to {target}")
        return Outcome(self.id, reason, incumbent, policy, target)


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _say(text: str) -> None:
    print(f"[experiment] {text}", file=sys.stderr, flush=True)

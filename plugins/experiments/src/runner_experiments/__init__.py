"""runner-experiments: LLM-driven policy optimisation, checked by paired statistics.

An experiment is one YAML file (:func:`load_experiment`); :func:`run_experiment` runs its loop
and records everything in SQLite; the three stages are also functions of their own
(:func:`evaluate_baseline`, :func:`propose_update`, :func:`validate_update`). See
``docs/experiments.md``.
"""

from runner_experiments.config import ExperimentConfig, load_experiment
from runner_experiments.evaluate import PolicyEvaluation, evaluate_policy
from runner_experiments.loop import (
    Outcome,
    evaluate_baseline,
    propose_update,
    resume_experiment,
    run_experiment,
    validate_update,
)
from runner_experiments.stats import Decision, decide, paired_deltas
from runner_experiments.store import Store

__all__ = [
    "Decision",
    "ExperimentConfig",
    "Outcome",
    "PolicyEvaluation",
    "Store",
    "decide",
    "evaluate_baseline",
    "evaluate_policy",
    "load_experiment",
    "paired_deltas",
    "propose_update",
    "resume_experiment",
    "run_experiment",
    "validate_update",
]

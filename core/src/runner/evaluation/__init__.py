"""Evaluation: the checks of a finished simulation and its reward (see ``docs/evaluation.md``).

``evaluate_simulation`` is synchronous (the common case needs no LLM); ``aevaluate_simulation``
awaits an :class:`NLJudge` for NL assertions.
"""

from runner.evaluation.judge import (
    NLJudge,
    judge_warning,
    needs_judge,
    nl_assertions_needed,
    tasks_needing_judge,
)
from runner.evaluation.reward import aevaluate_simulation, evaluate_simulation
from runner.evaluation.state import clear_cache

__all__ = [
    "NLJudge",
    "aevaluate_simulation",
    "clear_cache",
    "evaluate_simulation",
    "judge_warning",
    "needs_judge",
    "nl_assertions_needed",
    "tasks_needing_judge",
]

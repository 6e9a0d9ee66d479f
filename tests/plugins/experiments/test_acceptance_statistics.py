"""The acceptance rule under a synthetic evaluator with known truth.

Each experiment draws 30 tasks with success rates between 0.2 and 0.9; each (task, trial) unit
has a seed, and a policy succeeds on a unit when the seed's draw falls under its success rate.
The candidate shares the incumbent's draw on a unit half of the time (same seed, same user
behaviour) and draws afresh otherwise: paired outcomes are correlated, as in real runs. Over 400
experiments, a candidate exactly as good as the incumbent must be accepted in at most 5% of them
by the default rule; the power at a known margin is reported (docs/experiments.md quotes it).
"""

from __future__ import annotations

import random

from runner_experiments.stats import decide, paired_deltas

EXPERIMENTS = 400
TASKS, TRIALS = 30, 4


def acceptance_rate(margin: float, rule: str, seed: int) -> float:
    rng = random.Random(seed)
    accepted = 0
    for _ in range(EXPERIMENTS):
        rates = [rng.uniform(0.2, 0.9) for _ in range(TASKS)]
        incumbent: dict[tuple[int, int], float | None] = {}
        candidate: dict[tuple[int, int], float | None] = {}
        for task, rate in enumerate(rates):
            for trial in range(TRIALS):
                draw = rng.random()
                other = draw if rng.random() < 0.5 else rng.random()
                incumbent[(task, trial)] = float(draw < rate)
                candidate[(task, trial)] = float(other < min(1.0, rate + margin))
        accepted += decide(paired_deltas(incumbent, candidate), rule).accepted
    return accepted / EXPERIMENTS


def test_an_equal_candidate_is_rarely_accepted_by_the_paired_ci_rule() -> None:
    rate = acceptance_rate(0.0, "ci_lower_bound", seed=1)
    print(f"ci_lower_bound, no difference: accepted {rate:.1%}")
    assert rate <= 0.05


def test_power_at_a_known_margin_and_the_mean_delta_rule() -> None:
    figures = {
        (rule, margin): acceptance_rate(margin, rule, seed=2)
        for rule in ("ci_lower_bound", "mean_delta")
        for margin in (0.0, 0.05, 0.1, 0.2)
    }
    for (rule, margin), rate in figures.items():
        print(f"{rule:15s} margin {margin:.2f}: accepted {rate:.1%}")
    # the CI rule: false acceptances bounded, power grows with the margin
    assert figures[("ci_lower_bound", 0.0)] <= 0.05
    assert figures[("ci_lower_bound", 0.1)] > 0.5 and figures[("ci_lower_bound", 0.2)] > 0.95
    # the mean-delta rule adopts chance wins of an equal candidate about half of the time
    assert 0.3 < figures[("mean_delta", 0.0)] < 0.6
    assert figures[("mean_delta", 0.1)] >= figures[("ci_lower_bound", 0.1)]

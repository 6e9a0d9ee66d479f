"""The acceptance rule: is the candidate better than the incumbent on the same grid?

Both policies are evaluated on the same (task, trial, seed) units, so each unit gives a *paired*
delta, ``candidate − incumbent``. Pairing removes what the two share (how hard a task is, what
the seed made the user say) from the comparison, so the confidence interval of the mean delta
is much narrower than the difference of two independent means: fewer simulations tell a real
improvement from noise. The default rule accepts only when the lower bound of the two-sided
confidence interval of the mean paired delta (Student's t) is above ``min_improvement``; at 95%
a candidate no better than the incumbent is accepted at most 2.5% of the time. ``mean_delta``
accepts on the mean alone (fast and noisy: it adopts chance wins about half of the time).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from runner import mean_interval


@dataclass(frozen=True)
class Decision:
    """The comparison of one candidate with the incumbent."""

    accepted: bool
    rule: str
    n: int
    mean_delta: float | None
    ci_low: float | None
    ci_high: float | None
    confidence: float
    min_improvement: float
    reason: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def paired_deltas(
    incumbent: dict[Any, float | None], candidate: dict[Any, float | None]
) -> list[float]:
    """``candidate − incumbent`` for every unit both scored (``None``: not scored), in the
    incumbent's unit order."""
    return [
        float(candidate[key]) - float(value)  # type: ignore[arg-type]
        for key, value in incumbent.items()
        if value is not None and candidate.get(key) is not None
    ]


def decide(
    deltas: list[float],
    rule: str = "ci_lower_bound",
    *,
    min_improvement: float = 0.0,
    confidence: float = 0.95,
) -> Decision:
    """Accept or reject by ``rule`` (``ci_lower_bound`` or ``mean_delta``)."""
    if not deltas:
        return Decision(
            False,
            rule,
            0,
            None,
            None,
            None,
            confidence,
            min_improvement,
            "no unit was scored under both policies",
        )
    mean, low, high = mean_interval(deltas, confidence)
    if rule == "mean_delta":
        accepted = mean > min_improvement
        reason = f"mean delta {mean:+.4f} {'>' if accepted else '<='} {min_improvement:g}"
    else:
        accepted = low > min_improvement
        reason = (
            f"{confidence:.0%} CI of the mean delta [{low:+.4f}, {high:+.4f}]: lower bound "
            f"{'>' if accepted else '<='} {min_improvement:g}"
        )
    return Decision(
        accepted, rule, len(deltas), mean, low, high, confidence, min_improvement, reason
    )

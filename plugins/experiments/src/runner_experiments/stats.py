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

import math
from dataclasses import asdict, dataclass
from typing import Any


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


def mean_interval(values: list[float], confidence: float) -> tuple[float, float, float]:
    """The mean and its two-sided Student-t confidence interval (the interval is the mean
    itself for fewer than two values or no spread)."""
    n = len(values)
    mean = sum(values) / n
    if n < 2:
        return mean, mean, mean
    variance = sum((v - mean) ** 2 for v in values) / (n - 1)
    half = t_quantile(0.5 + confidence / 2, n - 1) * math.sqrt(variance / n)
    return mean, mean - half, mean + half


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


# -- Student's t quantile ------------------------------------------------------------------------
def t_quantile(p: float, dof: int) -> float:
    """The ``p`` quantile of Student's t with ``dof`` degrees of freedom (bisection on the CDF;
    accurate to 1e-10, enough for an acceptance rule)."""
    if not 0 < p < 1:
        raise ValueError("p must be in (0, 1)")
    if p == 0.5:
        return 0.0
    if p < 0.5:
        return -t_quantile(1 - p, dof)
    low, high = 0.0, 1.0
    while t_cdf(high, dof) < p:
        high *= 2
    for _ in range(200):
        middle = (low + high) / 2
        if t_cdf(middle, dof) < p:
            low = middle
        else:
            high = middle
        if high - low < 1e-12:
            break
    return (low + high) / 2


def t_cdf(t: float, dof: int) -> float:
    """P(T <= t) for Student's t with ``dof`` degrees of freedom."""
    x = dof / (dof + t * t)
    tail = 0.5 * _incomplete_beta(dof / 2, 0.5, x)
    return 1 - tail if t > 0 else tail


def _incomplete_beta(a: float, b: float, x: float) -> float:
    """The regularized incomplete beta function I_x(a, b) (Lentz's continued fraction)."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    if x > (a + 1) / (a + b + 2):  # the fraction converges fast on the other side
        return 1 - _incomplete_beta(b, a, 1 - x)
    tiny = 1e-300
    c, d = 1.0, 1 - (a + b) * x / (a + 1)
    d = 1 / (d if abs(d) > tiny else tiny)
    result = d
    for m in range(1, 300):
        for numerator in (
            m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)),
        ):
            d = 1 + numerator * d
            d = 1 / (d if abs(d) > tiny else tiny)
            c = 1 + numerator / c
            c = c if abs(c) > tiny else tiny
            result *= c * d
        if abs(c * d - 1) < 1e-15:
            break
    return math.exp(log_front) * result / a

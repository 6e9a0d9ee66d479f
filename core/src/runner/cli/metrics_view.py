"""Rich rendering of a run's metrics (shared by ``runner run`` and ``runner show``)."""

from __future__ import annotations

from typing import Any

from runner.evaluation.metrics import Metrics


def _num(value: float | None, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _money(value: float | None) -> str:
    return "-" if value is None else f"${value:.4f}"


def shown_ks(ks: list[int]) -> list[int]:
    """The k of pass^k worth a row: 1..4, the powers of two, and the largest (summary.json has
    all of them)."""
    if not ks:
        return []
    return [k for k in ks if k <= 4 or k & (k - 1) == 0 or k == ks[-1]]


def metrics_table(metrics: Metrics, title: str = "Results") -> Any:
    """A two-column table: figure, value."""
    from rich.table import Table

    table = Table(title=title, show_header=False, title_justify="left")
    table.add_column("figure", style="bold")
    table.add_column("value")
    scored = (
        f"{metrics.num_scored} scored of {metrics.num_results} results, {metrics.num_tasks} tasks"
    )
    if metrics.missing:
        scored += f" ({metrics.missing} units not run yet)"
    table.add_row("simulations", scored)
    reward = _num(metrics.avg_reward)
    if metrics.avg_reward_ci95:
        low, high = metrics.avg_reward_ci95
        reward += f"  (95% CI {low:.3f} .. {high:.3f})"
    table.add_row("average reward", reward)
    for k in shown_ks(sorted(metrics.pass_hat_k)):
        table.add_row(f"pass^{k}", _num(metrics.pass_hat_k[k]))
    reasons = ", ".join(f"{name} {count}" for name, count in metrics.termination_reasons.items())
    table.add_row("termination", reasons or "-")
    infra = str(metrics.infrastructure_errors)
    if metrics.infrastructure_errors:
        infra += " (excluded from scores; run the same command again to retry them)"
    table.add_row("infrastructure errors", infra)
    cost = metrics.cost
    table.add_row(
        "cost",
        f"total {_money(cost.get('total'))} (agent {_money(cost.get('agent'))}, "
        f"user {_money(cost.get('user'))}, judge {_money(cost.get('judge'))})",
    )
    tokens = metrics.tokens
    table.add_row(
        "tokens",
        f"{tokens.get('total', 0):,} (prompt {tokens.get('prompt', 0):,}, "
        f"completion {tokens.get('completion', 0):,})"
        + "".join(f"; {side} {n:,}" for side, n in metrics.tokens_by_side.items()),
    )
    d = metrics.duration
    table.add_row(
        "duration per simulation",
        f"mean {_num(d.get('mean'), 2)} s, p50 {_num(d.get('p50'), 2)} s, "
        f"p95 {_num(d.get('p95'), 2)} s, max {_num(d.get('max'), 2)} s",
    )
    if metrics.voice:
        for figure, value in voice_rows(metrics.voice):
            table.add_row(figure, value)
    return table


def voice_rows(voice: dict[str, Any]) -> list[tuple[str, str]]:
    """The turn-taking rows of a full-duplex run (see ``runner.evaluation.voice``)."""
    latency = voice.get("response_latency") or {}
    ticks, secs = latency.get("ticks") or {}, latency.get("seconds") or {}

    def by_side(key: str) -> str:
        counts = voice.get(key) or {}
        return f"agent {counts.get('agent', 0)}, user {counts.get('user', 0)}"

    share = voice.get("talk_share") or {}
    wer = voice.get("word_error_rate")
    heard = (
        [
            (
                "word error rate (heard vs meant)",
                f"{_num(wer.get('overall'))} (agent speech {_num(wer.get('agent'))}, user "
                f"speech {_num(wer.get('user'))})",
            )
        ]
        if wer
        else []
    )
    return heard + [
        (
            "agent response latency",
            f"mean {_num(secs.get('mean'), 2)} s ({_num(ticks.get('mean'), 1)} ticks), "
            f"p50 {_num(secs.get('p50'), 2)} s, p95 {_num(secs.get('p95'), 2)} s "
            f"over {latency.get('count', 0)} answers",
        ),
        ("interruptions", by_side("interruptions")),
        ("barge-ins (stopped)", by_side("yielded")),
        ("back-channels", by_side("backchannels")),
        (
            "overlap / talk share",
            f"overlap {_num(voice.get('overlap_ratio'))} of speech; agent "
            f"{_num(share.get('agent'))}, user {_num(share.get('user'))}",
        ),
    ]


def print_metrics(metrics: Metrics, title: str = "Results") -> None:
    from rich.console import Console

    Console().print(metrics_table(metrics, title))

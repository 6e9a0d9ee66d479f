"""``runner compare``: paired comparison of runs on the (task_id, trial) units they share; the
first run is the baseline."""

from __future__ import annotations

import io
from html import escape
from pathlib import Path
from typing import Any

from runner import SimulationRun, mean_interval

from runner_viewer.data import load_run, summarize

#: What the comparison shows of each run (its summary holds more).
SHOWN = ("num", "avg_reward", "pass_hat_k", "cost", "tokens", "infrastructure_errors")


def _scored(sims: list[SimulationRun]) -> dict[tuple[str, int], float]:
    """Reward per (task, trial); infrastructure errors never measured the agent, so they are
    left out (a scored result without a reward counts 0, as in the run's metrics)."""
    return {(s.task_id, s.trial): s.reward or 0.0 for s in sims if not s.is_infrastructure_error}


def _shown(summary: dict[str, Any]) -> dict[str, Any]:
    return {key: summary[key] for key in SHOWN}


def compare_runs(runs: list[Path | str]) -> dict[str, Any]:
    """Each run after the first against the first: per-unit deltas on the units both scored and
    the mean paired delta with its 95% Student-t interval."""
    loaded = [(str(r), load_run(r)) for r in runs]
    base_name, base = loaded[0]
    base_units = _scored(base)
    out: dict[str, Any] = {
        "baseline": base_name,
        "runs": {name: _shown(summarize(sims)) for name, sims in loaded},
        "comparisons": [],
    }
    for name, sims in loaded[1:]:
        units = _scored(sims)
        shared = sorted(base_units.keys() & units.keys())
        differences = [units[key] - base_units[key] for key in shared]
        interval = mean_interval(differences) if differences else None
        deltas = [
            {
                "task_id": task,
                "trial": trial,
                "baseline": base_units[(task, trial)],
                "reward": units[(task, trial)],
                "delta": delta,
            }
            for (task, trial), delta in zip(shared, differences, strict=True)
        ]
        out["comparisons"].append(
            {
                "run": name,
                "paired_units": len(shared),
                "mean_delta": interval[0] if interval else None,
                "ci95": [interval[1], interval[2]] if interval else None,
                "deltas": deltas,
            }
        )
    return out


def _f(v: float | None) -> str:
    return "-" if v is None else f"{v:+.3f}"


def render_text(result: dict[str, Any]) -> str:
    from rich.console import Console
    from rich.markup import escape as esc
    from rich.table import Table

    console = Console(record=True, width=120, file=io.StringIO())
    table = Table(title=f"runs (baseline: {esc(result['baseline'])})")
    for col in ("run", "n", "avg reward", "pass^k", "cost", "tokens"):
        table.add_column(col)
    for name, st in result["runs"].items():
        pk = " ".join(f"{k}:{v:.3f}" for k, v in st["pass_hat_k"].items())
        avg = "-" if st["avg_reward"] is None else f"{st['avg_reward']:.3f}"
        table.add_row(esc(name), str(st["num"]), avg, pk, f"{st['cost']:.4f}", str(st["tokens"]))
    console.print(table)
    for comp in result["comparisons"]:
        ci = comp["ci95"] or [None, None]
        console.print(
            f"{esc(comp['run'])} vs baseline: {comp['paired_units']} paired units, mean delta "
            f"{_f(comp['mean_delta'])} (95% CI {_f(ci[0])} … {_f(ci[1])})"
        )
        changed = Table(title="changed units")
        for col in ("task", "trial", "baseline", "reward", "delta"):
            changed.add_column(col)
        for d in comp["deltas"]:
            if d["delta"]:
                changed.add_row(
                    esc(d["task_id"]), str(d["trial"]), str(d["baseline"]), str(d["reward"]),
                    _f(d["delta"]),
                )  # fmt: skip
        console.print(changed)
    return console.export_text()


def render_html(result: dict[str, Any]) -> str:
    runs = "".join(
        f"<tr><td>{escape(n)}</td><td>{s['num']}</td><td>{escape(str(s['avg_reward']))}</td>"
        f"<td>{escape(str(s['pass_hat_k']))}</td><td>{s['cost']:.4f}</td><td>{s['tokens']}</td></tr>"
        for n, s in result["runs"].items()
    )
    parts = []
    for comp in result["comparisons"]:
        ci = comp["ci95"] or [None, None]
        rows = "".join(
            f"<tr><td>{escape(d['task_id'])}</td><td>{d['trial']}</td><td>{d['baseline']}</td>"
            f"<td>{d['reward']}</td><td>{_f(d['delta'])}</td></tr>"
            for d in comp["deltas"]
        )
        parts.append(
            f"<h2>{escape(comp['run'])} vs baseline</h2><p>{comp['paired_units']} paired units, "
            f"mean delta {_f(comp['mean_delta'])} (95% CI {_f(ci[0])} … {_f(ci[1])})</p>"
            "<table><tr><th>task</th><th>trial</th><th>baseline</th><th>reward</th><th>delta</th>"
            f"</tr>{rows}</table>"
        )
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>runner compare</title>'
        "<style>td,th{border:1px solid #ccc;padding:2px 6px}table{border-collapse:collapse}"
        f"</style></head><body><h1>Comparison (baseline {escape(result['baseline'])})</h1>"
        "<table><tr><th>run</th><th>n</th><th>avg reward</th><th>pass^k</th><th>cost</th>"
        f"<th>tokens</th></tr>{runs}</table>{''.join(parts)}</body></html>"
    )

"""One self-contained HTML report of a run: summary, charts as inline SVG, a task table, and each
trajectory stored gzip+base64 and decompressed by the browser only when opened.

All result text is untrusted: it is escaped here with ``html.escape`` and the script builds the
trajectory view with ``textContent`` only.
"""

from __future__ import annotations

import base64
import gzip
import json
from html import escape
from pathlib import Path
from typing import Any

from runner import SimulationRun

from runner_viewer.assets import CSS, JS
from runner_viewer.data import load_run, read_json, summarize

#: Audio files up to this size are embedded as data URIs; larger ones are linked relatively.
MAX_EMBED_AUDIO = 256 * 1024


def _fmt(value: float | None, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def line_chart_svg(points: dict[int, float], width: int = 320, height: int = 160) -> str:
    """pass^k against k as an inline SVG polyline."""
    if not points:
        return "<p>no pass^k</p>"
    ks = sorted(points)
    pad = 30
    span = max(len(ks) - 1, 1)

    def xy(i: int, k: int) -> tuple[float, float]:
        x = pad + (width - 2 * pad) * i / span
        return x, height - pad - (height - 2 * pad) * points[k]

    coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(i, k) for i, k in enumerate(ks)))
    labels = "".join(
        f'<text x="{xy(i, k)[0]:.1f}" y="{height - 10}" font-size="10">{k}</text>'
        f'<circle cx="{xy(i, k)[0]:.1f}" cy="{xy(i, k)[1]:.1f}" r="3"><title>pass^{k} = '
        f"{points[k]:.3f}</title></circle>"
        for i, k in enumerate(ks)
    )
    return (
        f'<svg class="chart" width="{width}" height="{height}" role="img" aria-label="pass^k">'
        f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" stroke="#999"/>'
        f'<line x1="{pad}" y1="{pad}" x2="{pad}" y2="{height - pad}" stroke="#999"/>'
        f'<text x="2" y="{pad + 4}" font-size="10">1</text>'
        f'<text x="2" y="{height - pad}" font-size="10">0</text>'
        f'<polyline fill="none" stroke="#36c" stroke-width="2" points="{coords}"/>{labels}</svg>'
    )


def histogram_svg(values: list[float], bins: int = 20, width: int = 320, height: int = 160) -> str:
    """Duration distribution as an inline SVG histogram."""
    if not values:
        return "<p>no durations</p>"
    lo, hi = min(values), max(values)
    step = (hi - lo) / bins or 1.0
    counts = [0] * bins
    for v in values:
        counts[min(int((v - lo) / step), bins - 1)] += 1
    top = max(counts)
    bar_w = (width - 20) / bins
    bars = "".join(
        f'<rect x="{10 + i * bar_w:.1f}" y="{height - 20 - (height - 40) * c / top:.1f}" '
        f'width="{bar_w - 1:.1f}" height="{(height - 40) * c / top:.1f}" fill="#3a3">'
        f"<title>{lo + i * step:.3g}s: {c}</title></rect>"
        for i, c in enumerate(counts)
    )
    return (
        f'<svg class="chart" width="{width}" height="{height}" role="img" aria-label="durations">'
        f'{bars}<text x="10" y="{height - 5}" font-size="10">{lo:.3g}s</text>'
        f'<text x="{width - 60}" y="{height - 5}" font-size="10">{hi:.3g}s</text></svg>'
    )


def _audio_sources(sim: SimulationRun, run_dir: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    root = run_dir.resolve()
    for side, rel in (sim.audio or {}).items():
        path = (run_dir / rel).resolve()
        if not path.is_relative_to(root):
            continue
        if path.is_file() and path.stat().st_size <= MAX_EMBED_AUDIO:
            data = base64.b64encode(path.read_bytes()).decode("ascii")
            out[side] = f"data:audio/wav;base64,{data}"
        else:
            out[side] = path.relative_to(root).as_posix()
    return out


def _payload(sim: SimulationRun, run_dir: Path) -> str:
    data: dict[str, Any] = sim.model_dump(mode="json")
    data["__audio"] = _audio_sources(sim, run_dir)
    raw = json.dumps(data, separators=(",", ":")).encode("utf-8")
    return base64.b64encode(gzip.compress(raw, 6)).decode("ascii")


def _summary_html(summary: dict[str, Any], config: dict[str, Any]) -> str:
    ci = summary["ci95"]
    ci_text = f" (95% CI {_fmt(ci[0])} – {_fmt(ci[1])})" if ci else ""
    terms = "".join(
        f"<tr><td>{escape(k)}</td><td>{v}</td></tr>" for k, v in summary["termination"].items()
    )
    pk = "".join(
        f"<tr><td>pass^{k}</td><td>{v:.3f}</td></tr>" for k, v in summary["pass_hat_k"].items()
    )
    cfg = ", ".join(
        f"{escape(str(k))}={escape(str(config[k]))}"
        for k in ("domain", "agent", "user", "agent_llm", "user_llm", "num_trials")
        if config.get(k) is not None
    )
    return (
        f"<p>{cfg}</p><div class='cards'>"
        f"<span>simulations <b>{summary['num']}</b></span>"
        f"<span>tasks <b>{summary['num_tasks']}</b></span>"
        f"<span>average reward <b>{_fmt(summary['avg_reward'])}</b>{escape(ci_text)}</span>"
        f"<span>cost <b>${summary['cost']:.4f}</b></span>"
        f"<span>tokens <b>{summary['tokens']}</b></span>"
        f"<span>errors <b>{summary['errors']}</b></span>"
        f"<span>infrastructure errors (not scored) <b>{summary['infrastructure_errors']}</b>"
        "</span></div>"
        "<table style='display:inline-table;margin:1em'><tr><th>termination</th><th>n</th></tr>"
        f"{terms}</table><table style='display:inline-table;margin:1em'>{pk}</table>"
        f"<h3>pass^k</h3>{line_chart_svg(summary['pass_hat_k'])}"
        f"<h3>Duration distribution</h3>{histogram_svg(summary['durations'])}"
    )


def _row(idx: int, sim: SimulationRun) -> str:
    reward = sim.reward
    fail = reward is None or abs(reward - 1.0) > 1e-6
    return (
        f'<tr class="{"fail" if fail else ""}" data-fail="{int(fail)}" '
        f'data-reward="{reward if reward is not None else -1}" data-cost="{sim.total_cost}" '
        f'data-order="{idx}"><td>{escape(sim.task_id)}</td><td>{sim.trial}</td>'
        f"<td>{_fmt(reward)}</td><td>{escape(str(sim.termination_reason))}</td>"
        f"<td>{sim.total_cost:.4f}</td><td>{sim.total_tokens}</td><td>{sim.duration:.3f}</td>"
        f"<td>{escape(sim.error or '')}</td>"
        f'<td><button class="open" data-idx="{idx}">open</button></td></tr>'
    )


def render_report(run_dir: Path, sims: list[SimulationRun], refresh_s: int | None = None) -> str:
    """The report page of ``sims``; ``refresh_s`` adds a meta refresh (a run still in progress)."""
    config = read_json(run_dir / "run.json")
    config = config.get("config", config) if isinstance(config.get("config"), dict) else config
    title = escape(str(config.get("run_name") or run_dir.name))
    rows = "".join(_row(i, s) for i, s in enumerate(sims))
    blobs = "".join(
        f'<script type="application/octet-stream" id="t{i}">{_payload(s, run_dir)}</script>'
        for i, s in enumerate(sims)
    )
    meta = f'<meta http-equiv="refresh" content="{refresh_s}">' if refresh_s else ""
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">{meta}'
        f"<title>runner report: {title}</title><style>{CSS}</style></head><body>"
        f"<h1>Run {title}</h1>{_summary_html(summarize(sims), config)}"
        "<h2>Tasks</h2><label><input type='checkbox' id='failonly'> failures only</label> "
        "<label>sort <select id='sortby'><option value='order'>file order</option>"
        "<option value='reward'>reward, lowest first</option><option value='cost'>cost, highest first</option></select></label>"
        "<table id='tasks'><thead><tr><th>task</th><th>trial</th><th>reward</th>"
        "<th>termination</th><th>cost</th><th>tokens</th><th>duration s</th><th>error</th>"
        f"<th></th></tr></thead><tbody>{rows}</tbody></table><div id='traj'></div>{blobs}"
        f"<script>{JS}</script></body></html>"
    )


def build_report(run_dir: Path | str, refresh_s: int | None = None) -> str:
    """Read ``run_dir`` and return its report (raises ConfigError if it is not a run dir)."""
    path = Path(run_dir)
    return render_report(path, load_run(path), refresh_s)


def run_in_progress(run_dir: Path) -> bool:
    return read_json(run_dir / "summary.json").get("complete") is not True

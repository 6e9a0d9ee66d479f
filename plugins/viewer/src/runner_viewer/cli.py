"""``runner report``, ``runner view`` and ``runner compare`` (docs/viewer.md)."""

from __future__ import annotations

import json
from pathlib import Path

import click
from runner import ConfigError


@click.command("report")
@click.argument("run_dir", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The HTML file [default: RUN_DIR/report.html].")  # fmt: skip
def report_cmd(run_dir: Path, output: Path | None) -> None:
    """Write one self-contained HTML report of RUN_DIR."""
    from runner_viewer.report import build_report

    html = build_report(run_dir)
    target = output or run_dir / "report.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(html, encoding="utf-8")
    click.echo(f"wrote {target} ({len(html.encode()) / 1e6:.2f} MB)")


@click.command("view")
@click.argument("root", type=click.Path(path_type=Path), default=Path("runs"))
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=0,
    help="Port on 127.0.0.1 [default: a free one].",
)
def view_cmd(root: Path, port: int) -> None:
    """Serve the reports of the run(s) at or under ROOT on 127.0.0.1."""
    from runner_viewer.data import find_runs
    from runner_viewer.server import serve

    if not root.is_dir() or not find_runs(root):
        raise ConfigError(f"{root} holds no run directory (one with run.json and results.jsonl).")
    serve(root, port)


@click.command("compare")
@click.argument("runs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--html", "html_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the comparison as HTML.")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def compare_cmd(runs: tuple[Path, ...], html_file: Path | None, as_json: bool) -> None:
    """Paired comparison of RUNS on shared (task, trial) units; the first is the baseline."""
    from runner_viewer.compare import compare_runs, render_html, render_text

    if len(runs) < 2:
        raise ConfigError("runner compare needs at least two run directories.")
    result = compare_runs(list(runs))
    if html_file is not None:
        html_file.parent.mkdir(parents=True, exist_ok=True)
        html_file.write_text(render_html(result), encoding="utf-8")
    if as_json:
        click.echo(json.dumps(result, indent=2, default=str))
    else:
        click.echo(render_text(result), nl=False)

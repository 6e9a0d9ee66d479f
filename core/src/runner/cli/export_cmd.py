"""``runner export RUN_DIR --format tau2 -o results.json``: a run for τ²-bench's tools."""

from __future__ import annotations

import json
from pathlib import Path

import click


@click.command("export")
@click.argument("run_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["tau2"]),
    default="tau2",
    show_default=True,
    help="tau2: τ²-bench's results.json (its Results model).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The file to write.",
)
def export(run_dir: Path, fmt: str, output: Path) -> None:
    """Export a run directory in another tool's format (τ²-bench's results.json), e.g. for
    τ²-bench's leaderboard tooling; `runner evaluate` reads the file back."""
    from runner.cli.app import get_plugins
    from runner.errors import ConfigError
    from runner.models.config import RunConfig
    from runner.run.build import get_domain
    from runner.store import RunDirectory
    from runner.store.tau2_export import tau2_results

    if fmt != "tau2":  # (click's Choice admits only the formats below)
        raise ConfigError(f"--format {fmt}: unknown format; use tau2.")
    directory = RunDirectory(run_dir)
    stored = directory.read_run()["config"]
    runs = directory.read_results()
    if not runs:
        raise ConfigError(f"{run_dir} has no results to export yet. Run it first (`runner run`).")
    config = RunConfig.model_validate(stored)
    domain = get_domain(config, get_plugins())
    tasks = domain.tasks(config.task_split)
    results, left_out = tau2_results(stored, runs, tasks, str(domain.environment().policy or ""))
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    note = f"; {left_out} infrastructure errors left out (not scored)" if left_out else ""
    click.echo(
        f"{output}: {len(results['simulations'])} simulations of {len(results['tasks'])} "
        f"tasks in τ²-bench's format{note}"
    )

"""``runner show RUN_DIR``: what a run directory holds, finished or not."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click


def describe_run(path: Path) -> dict[str, Any]:
    """Status and metrics of a run directory, from its files alone (no plugin needed).

    Read-only: a torn last line is reported, not cut (resuming cuts it).
    """
    from runner.evaluation.metrics import compute_metrics
    from runner.models.config import RunConfig
    from runner.run.executor import derive_seed
    from runner.store import RunDirectory

    run_dir = RunDirectory(path)
    run = run_dir.read_run()
    config = RunConfig.model_validate(run["config"])
    scan = run_dir.scan(repair=False)
    task_ids = run.get("task_ids")
    expected: int | None
    if task_ids is not None:
        keys = [
            (t, trial, derive_seed(config.seed, t, trial))
            for trial in range(config.num_trials)
            for t in task_ids
        ]
        records = [scan.latest[k] for k in keys if k in scan.latest]
        expected = len(keys)
    else:
        records, expected = list(scan.latest.values()), run.get("num_units")
    metrics = compute_metrics(records, config.num_trials, expected)
    done = metrics.num_results - metrics.infrastructure_errors
    summary = run_dir.read_summary() or {}
    if done == expected:
        status = "complete"
    elif summary.get("interrupted"):
        status = "interrupted"
    else:
        status = "partial"
    return {
        "run_dir": str(path),
        "run_name": run.get("run_name"),
        "status": status,
        "done": done,
        "num_units": expected,
        "start_time": run.get("start_time"),
        "command_line": run.get("command_line"),
        "config": run["config"],
        "plugins": run.get("plugins"),
        "llm_transports": run.get("llm_transports") or {},
        "torn_bytes": scan.torn_bytes,
        "bad_lines": scan.bad_lines,
        "metrics": metrics.to_json(),
        **_review(path),
    }


def _review(path: Path) -> dict[str, Any]:
    """The ``runner review`` counts of the run, when it was reviewed."""
    from runner.cli.review_cmd import REVIEW_FILE, read_reviews, summarize

    reviews = read_reviews(path / REVIEW_FILE)
    return {"review": summarize(list(reviews.values()))} if reviews else {}


@click.command("show")
@click.argument("run_dir", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output on stdout.")
def show(run_dir: Path, as_json: bool) -> None:
    """Summarise a run directory (works on partial and interrupted runs)."""
    from runner.errors import RunnerError

    if not run_dir.is_dir():
        raise RunnerError(
            f"{run_dir} is not a folder. Pass a run directory created by "
            "`runner run`, e.g. runs/<run-name>."
        )
    info = describe_run(run_dir)
    if as_json:
        click.echo(json.dumps(info, indent=2, ensure_ascii=False))
        return
    from runner.cli.metrics_view import print_metrics
    from runner.cli.run_cmd import resume_command
    from runner.evaluation.metrics import Metrics
    from runner.models.config import RunConfig

    config = RunConfig.model_validate(info["config"])
    click.echo(f"Run {info['run_name']} ({run_dir}), started {info['start_time']}")
    click.echo(
        f"  {config.domain} · agent {config.agent}"
        f"{' (' + config.agent_llm + ')' if config.agent_llm else ''} · user {config.user}"
        f"{' (' + config.user_llm + ')' if config.user_llm else ''} · "
        f"{config.num_trials} trial(s)"
    )
    if info["llm_transports"]:
        click.echo(
            "  LLM calls: "
            + " · ".join(
                f"{role} {route['model']} via {route['transport']}"
                for role, route in info["llm_transports"].items()
            )
        )
    click.echo(
        f"  status: {info['status']}, {info['done']} of {info['num_units']} simulations done"
    )
    if info["torn_bytes"]:
        click.echo(
            f"  results.jsonl ends with a torn line ({info['torn_bytes']} bytes); "
            "resuming cuts it away."
        )
    print_metrics(Metrics.from_json(info["metrics"]), title="Metrics")
    if "review" in info:
        r = info["review"]
        click.echo(
            f"Review ({r['reviewed']} simulations): {r['agent_errors']} agent errors in "
            f"{r['simulations_with_agent_errors']}, {r['user_errors']} user-simulator errors in "
            f"{r['simulations_with_user_errors']} (review.jsonl)"
        )
    if info["status"] != "complete":
        click.echo("Resume with:\n  " + resume_command(config, _plugin_modules(info)))


def _plugin_modules(info: dict[str, Any]) -> tuple[str, ...]:
    """The ``-p MODULE`` options of the stored command line (they come before ``run``)."""
    argv = list(info.get("command_line") or [])
    head = argv[: argv.index("run")] if "run" in argv else []
    return tuple(head[i + 1] for i, arg in enumerate(head[:-1]) if arg == "-p")

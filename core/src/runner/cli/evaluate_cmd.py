"""``runner evaluate RESULTS``: re-score a results file (runner's or τ²-bench's) without an LLM.

Nothing is simulated: each recorded trajectory is evaluated again against its task on a fresh
environment of the domain (see ``docs/evaluate.md``). NL assertions are reported as not
evaluated unless ``--judge-llm`` names a judge model.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from runner.cli.app import get_plugins
from runner.cli.run_cmd import JSON_OBJECT, KEY_VALUE


@click.command("evaluate")
@click.argument("results_path", metavar="RESULTS", type=click.Path(path_type=Path))
@click.option("--domain", help="Domain to score against [default: the one the file names].")
@click.option(
    "--domain-option",
    "domain_options",
    type=KEY_VALUE,
    multiple=True,
    help="Domain option, e.g. data_dir=PATH (repeatable; overrides the run's own).",
)
@click.option(
    "--judge-llm", help="Model of the NL-assertion judge (none: NL checks not evaluated)."
)
@click.option(
    "--judge-llm-args", type=JSON_OBJECT, default=None, help="JSON object of judge LLM arguments."
)
@click.option(
    "--json", "as_json", is_flag=True, help="Print one JSON object per simulation on stdout."
)
def evaluate(
    results_path: Path,
    domain: str | None,
    domain_options: tuple[tuple[str, Any], ...],
    judge_llm: str | None,
    judge_llm_args: dict[str, Any] | None,
    as_json: bool,
) -> None:
    """Re-score RESULTS: a run directory, a results.jsonl, or a τ²-bench results.json.

    Tasks come from the file when it embeds them (τ²-bench), else from the domain.
    """
    from runner.errors import RunnerError
    from runner.evaluation import judge_warning
    from runner.models.config import RunConfig
    from runner.rescore import data_mismatch_warning, evaluation_row, rescore, resolve_tasks
    from runner.run.build import get_domain
    from runner.store import read_results_file

    results = read_results_file(results_path)
    for warning in results.warnings:
        click.echo(f"warning: {warning}", err=True)
    if not results.runs:
        raise RunnerError(f"{results.path} holds no simulation results; nothing to evaluate.")
    name = domain or results.domain
    if not name:
        where = (
            "no info.environment_info.domain_name"
            if results.format == "tau2"
            else "no run.json next to it"
        )
        raise RunnerError(
            f"{results.path} does not say which domain it was run on ({where}). Pass --domain NAME."
        )
    options = {**results.domain_options, **dict(domain_options)}
    dom = get_domain(RunConfig(domain=name, domain_options=options), get_plugins())
    mismatch = data_mismatch_warning(results, dom)
    if mismatch:
        click.echo(f"warning: {mismatch}", err=True)
    judge = None
    if judge_llm:
        from runner.evaluation.judge import make_judge

        judge = make_judge(judge_llm, judge_llm_args or {})
    tasks = resolve_tasks(results, dom)
    needs_judge = judge_warning(list(tasks.values()), judge)
    if needs_judge:
        click.echo(f"warning: {needs_judge}", err=True)
    scored = rescore(results, dom, judge)
    rows = [evaluation_row(item) for item in scored]
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    _print_table(rows, results.path, name)


def _ratio(checks: list[dict[str, Any]], key: str) -> str:
    if not checks:
        return "-"
    return f"{sum(1 for c in checks if c.get(key) is True)}/{len(checks)}"


def _mark(value: bool | None) -> str:
    return "-" if value is None else ("✓" if value else "✗")


def _print_table(rows: list[dict[str, Any]], path: Path, domain: str) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{path} ({domain}): {len(rows)} simulations", title_justify="left")
    for col in (
        "task",
        "trial",
        "reward",
        "recorded",
        "DB",
        "actions",
        "comm.",
        "env",
        "NL",
        "ended",
    ):
        table.add_column(col, overflow="fold")
    for row in rows:
        nl = "n/e" if row["not_evaluated"] else _ratio(row["nl_assertion_checks"], "met")
        recorded = row["recorded_reward"]
        table.add_row(
            str(row["task_id"]),
            str(row["trial"]),
            f"{row['reward']:.3f}",
            "-" if recorded is None else f"{recorded:.3f}",
            _mark(row["db_match"]),
            _ratio(row["action_checks"], "action_match"),
            _ratio(row["communicate_checks"], "met"),
            _ratio(row["env_assertion_checks"], "met"),
            nl,
            row["termination_reason"],
        )
    console = Console()
    console.print(table)
    scored = [r for r in rows if r["termination_reason"] != "infrastructure_error"]
    if scored:
        average = sum(r["reward"] for r in scored) / len(scored)
        console.print(
            f"Average reward: {average:.3f} over {len(scored)} scored simulations"
            + (
                f" ({len(rows) - len(scored)} infrastructure errors not scored)"
                if len(scored) < len(rows)
                else ""
            )
        )
    compared = [r for r in scored if r["recorded_reward"] is not None]
    if compared:
        same = sum(1 for r in compared if abs(r["reward"] - r["recorded_reward"]) < 1e-9)
        console.print(f"Same reward as recorded in the file: {same} of {len(compared)}")
    unjudged = sum(1 for r in rows if r["not_evaluated"])
    if unjudged:
        console.print(
            f"NL assertions not evaluated (n/e) in {unjudged} simulations "
            "(pass --judge-llm MODEL to judge them)."
        )

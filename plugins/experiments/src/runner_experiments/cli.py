"""``runner experiment run | resume | list | show | replay | diff`` (and ``runner improve``, in
:mod:`runner_experiments.improve_cmd`), added through ``register_commands``."""

from __future__ import annotations

import asyncio
import difflib
import json
from pathlib import Path
from typing import Any

import click

from runner_experiments.store import Store

DEFAULT_DB = str(Path("experiments") / "experiments.sqlite")
_db_option = click.option(
    "--db",
    default=DEFAULT_DB,
    show_default=True,
    help="The experiments database (output.dir/experiments.sqlite of the experiment file).",
)


@click.group("experiment")
def experiment() -> None:
    """Optimise an agent's policy with an LLM, keeping only changes that a paired comparison
    shows to be better (see docs/experiments.md)."""


@experiment.command("run")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--db", default=None, help="Database [default: output.dir/experiments.sqlite].")
@click.option("--progress/--no-progress", default=True, help="Progress while evaluating.")
def run_cmd(file: Path, db: str | None, progress: bool) -> None:
    """Run the experiment FILE (YAML) from the start."""
    from runner_experiments.loop import run_experiment

    outcome = asyncio.run(run_experiment(file, db=db, progress=progress))
    click.echo(f"{outcome.experiment_id}: {outcome.stop_reason}; policy: {outcome.policy_file}")


@experiment.command("resume")
@click.argument("run_id")
@_db_option
@click.option("--file", "config_file", default=None, help="The experiment file, if it moved.")
@click.option("--progress/--no-progress", default=True, help="Progress while evaluating.")
def resume_cmd(run_id: str, db: str, config_file: str | None, progress: bool) -> None:
    """Continue experiment RUN_ID where it stopped (nothing is evaluated twice)."""
    from runner_experiments.loop import resume_experiment

    outcome = asyncio.run(
        resume_experiment(run_id, db=db, config_file=config_file, progress=progress)
    )
    click.echo(f"{outcome.experiment_id}: {outcome.stop_reason}; policy: {outcome.policy_file}")


@experiment.command("list")
@_db_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def list_cmd(db: str, as_json: bool) -> None:
    """The experiments of the database."""
    store = _open(db)
    rows = [
        {k: r[k] for k in ("id", "name", "status", "stop_reason", "incumbent", "created")}
        for r in store.experiments()
    ]
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        click.echo(f"No experiments in {db}.")
    for r in rows:
        state = r["status"] + (f" ({r['stop_reason']})" if r["stop_reason"] else "")
        click.echo(f"{r['id']}  {state}  incumbent: iteration {r['incumbent']}  {r['created']}")


@experiment.command("show")
@click.argument("run_id")
@_db_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def show_cmd(run_id: str, db: str, as_json: bool) -> None:
    """Iterations, accepted changes, the score trajectory with its CIs, and the cost."""
    from rich.console import Console
    from rich.table import Table

    store = _open(db)
    row = store.experiment(run_id)
    spent, calls = store.spent(run_id)
    iterations = [_iteration(r) for r in store.iterations(run_id)]
    if as_json:
        data = {
            "id": run_id,
            "name": row["name"],
            "status": row["status"],
            "stop_reason": row["stop_reason"],
            "incumbent": row["incumbent"],
            "cost_usd": spent / 1_000_000,
            "llm_calls": calls,
            "iterations": iterations,
        }
        click.echo(json.dumps(data, indent=2))
        return
    table = Table(
        title=f"Experiment {run_id} ({row['status']}"
        f"{', ' + row['stop_reason'] if row['stop_reason'] else ''})",
        title_justify="left",
    )
    for column in ("iter", "status", "score [CI]", "paired delta [CI]", "decision"):
        table.add_column(column)
    for it in iterations:
        decision = it["decision"] or {}
        delta = (
            f"{decision['mean_delta']:+.3f} [{decision['ci_low']:+.3f}, {decision['ci_high']:+.3f}]"
            if decision.get("mean_delta") is not None
            else "-"
        )
        score = (
            f"{it['score']:.3f} [{it['score_low']:.3f}, {it['score_high']:.3f}]"
            if it["score"] is not None
            else "-"
        )
        table.add_row(str(it["n"]), it["status"], score, delta, decision.get("reason", ""))
    console = Console()
    console.print(table)
    accepted = [it["n"] for it in iterations if it["status"] == "accepted"]
    console.print(
        f"accepted changes: {', '.join(map(str, accepted)) or 'none'}; incumbent: iteration "
        f"{row['incumbent']}; cost ${spent / 1_000_000:.6f} over {calls} LLM calls"
    )


@experiment.command("replay")
@click.argument("run_id")
@_db_option
@click.option("--audit", is_flag=True, required=True, help="Every optimizer call, as it happened.")
@click.option("--start", type=int, default=None, help="First iteration.")
@click.option("--end", type=int, default=None, help="Last iteration.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def replay_cmd(
    run_id: str, db: str, audit: bool, start: int | None, end: int | None, as_json: bool
) -> None:
    """The audit trail of RUN_ID: each optimizer prompt, response, parsed candidate, validation
    error, tokens, latency and cost, then the decision of the round."""
    store = _open(db)
    store.experiment(run_id)
    calls = [_interaction(r) for r in store.interactions(run_id, start, end)]
    decisions = {it["n"]: it for it in map(_iteration, store.iterations(run_id))}
    if as_json:
        click.echo(json.dumps({"interactions": calls, "iterations": decisions}, indent=2))
        return
    for call in calls:
        click.echo(f"=== iteration {call['n']}, attempt {call['attempt']} ({call['created']}) ===")
        for message in call["prompt"]:
            click.echo(f"--- {message['role']} ---\n{message['content']}")
        click.echo(f"--- response ---\n{call['response']}")
        valid = (
            "valid" if call["validation_error"] is None else f"invalid: {call['validation_error']}"
        )
        click.echo(
            f"--- candidate: {valid}; tokens {call['prompt_tokens']} in, "
            f"{call['completion_tokens']} out; {call['latency']} s; ${call['cost_usd']:.6f}"
        )
        it = decisions.get(call["n"])
        if it is not None and it["decision"] and call is _last_of(calls, call["n"]):
            click.echo(f"--- decision: {it['status']}: {it['decision']['reason']}")
        click.echo()


@experiment.command("diff")
@click.argument("run_id")
@_db_option
def diff_cmd(run_id: str, db: str) -> None:
    """The accepted policy changes of RUN_ID, as unified diffs (initial → each accepted)."""
    store = _open(db)
    store.experiment(run_id)
    iterations = store.iterations(run_id)
    previous = next((r for r in iterations if r["n"] == 0), None)
    if previous is None:
        click.echo("The experiment has no initial policy yet.")
        return
    changed = False
    for row in iterations:
        if row["status"] != "accepted":
            continue
        changed = True
        lines = difflib.unified_diff(
            (previous["policy"] or "").splitlines(keepends=True),
            (row["policy"] or "").splitlines(keepends=True),
            fromfile=f"iteration {previous['n']}",
            tofile=f"iteration {row['n']}",
        )
        click.echo("".join(lines), nl=False)
        previous = row
    if not changed:
        click.echo("No accepted change: the initial policy is still the incumbent.")


def _open(db: str) -> Store:
    from runner import ConfigError

    if not Path(db).exists():
        raise ConfigError(
            f"No experiments database at {db}. Pass --db with the file `runner experiment run` "
            "reported (output.dir/experiments.sqlite of the experiment file)."
        )
    return Store(db)


def _iteration(row: Any) -> dict[str, Any]:
    return {
        "n": row["n"],
        "status": row["status"],
        "parent": row["parent"],
        "score": row["score"],
        "score_low": row["score_low"],
        "score_high": row["score_high"],
        "decision": json.loads(row["decision_json"]) if row["decision_json"] else None,
        "policy": row["policy"],
    }


def _interaction(row: Any) -> dict[str, Any]:
    return {
        "n": row["n"],
        "attempt": row["attempt"],
        "created": row["created"],
        "prompt": json.loads(row["prompt_json"]),
        "response": row["response"],
        "candidate": row["candidate"],
        "validation_error": row["validation_error"],
        "prompt_tokens": row["prompt_tokens"],
        "completion_tokens": row["completion_tokens"],
        "latency": row["latency"],
        "cost_usd": (row["cost_micro"] or 0) / 1_000_000,
    }


def _last_of(calls: list[dict[str, Any]], n: int) -> dict[str, Any] | None:
    mine = [c for c in calls if c["n"] == n]
    return mine[-1] if mine else None

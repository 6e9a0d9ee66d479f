"""``runner tasks``: list a domain's tasks (what ``--task-ids`` and ``--task-split`` select)."""

from __future__ import annotations

import json
from typing import Any

import click

from runner.cli.app import get_plugins
from runner.cli.run_cmd import KEY_VALUE


def _summary(task: Any) -> str:
    """A one-line description: the purpose, else the ticket, else the user's instructions."""
    text = ""
    if task.description is not None and task.description.purpose:
        text = task.description.purpose
    elif task.ticket:
        text = task.ticket
    else:
        instructions = task.user_scenario.instructions
        text = instructions if isinstance(instructions, str) else instructions.reason_for_call
    text = " ".join(str(text).split())
    return text if len(text) <= 90 else text[:87] + "..."


@click.command("tasks")
@click.option("--domain", required=True, help="Domain whose tasks to list.")
@click.option("--task-split", help="Only this split [default: the domain's base split].")
@click.option(
    "--domain-option",
    "domain_options",
    type=KEY_VALUE,
    multiple=True,
    help="Domain option, e.g. data_dir=PATH (repeatable).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the tasks as a JSON list on stdout.")
def tasks(
    domain: str, task_split: str | None, domain_options: tuple[tuple[str, Any], ...], as_json: bool
) -> None:
    """List the tasks of a domain (and its splits)."""
    from runner.models.config import RunConfig
    from runner.run.build import get_domain

    config = RunConfig(domain=domain, task_split=task_split, domain_options=dict(domain_options))
    dom = get_domain(config, get_plugins())
    selected = dom.tasks(task_split)
    from runner.errors import RunnerError
    from runner.run.preflight import check_tasks

    try:
        warnings = check_tasks(selected, dom.environment)
    except RunnerError as exc:  # no environment (a missing database): the tasks still list
        warnings = [f"the expected actions were not replayed: {exc}"]
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)
    if as_json:
        click.echo(json.dumps([t.to_json() for t in selected], indent=2, ensure_ascii=False))
        return
    from rich.console import Console
    from rich.table import Table

    splits = list(dom.splits())
    if task_split:
        split = task_split
    elif splits:
        split = "base (default)" if "base" in splits else "all tasks (default)"
    else:
        split = "all tasks (the domain has no splits)"
    known = f"; splits: {', '.join(splits)}" if splits else ""
    table = Table(
        title=f"{domain}: {len(selected)} tasks (split: {split}{known})", title_justify="left"
    )
    for col in ("id", "description", "actions", "reward basis"):
        table.add_column(col, overflow="fold")
    for t in selected:
        criteria = t.evaluation_criteria
        actions = len(criteria.actions or []) if criteria else 0
        basis = (
            ", ".join(getattr(b, "value", str(b)) for b in criteria.reward_basis)
            if criteria
            else "-"
        )
        table.add_row(t.id, _summary(t), str(actions), basis)
    Console().print(table)

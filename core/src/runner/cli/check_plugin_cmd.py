"""``runner check-plugin DOMAIN``: the conformance suite every domain author can run.

Prints a table of checks and exits 1 when any check fails (warnings do not fail); see
``docs/check-plugin.md`` for what each check proves.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from runner.cli.app import get_plugins
from runner.cli.run_cmd import KEY_VALUE

EXIT_FAILED = 1
MARK = {
    "pass": "[green]pass[/]",
    "fail": "[red]FAIL[/]",
    "warn": "[yellow]warn[/]",
    "skip": "[dim]skip[/]",
}
LISTED = 10


@click.command("check-plugin")
@click.argument("domain_name", metavar="DOMAIN")
@click.option(
    "--domain-option",
    "domain_options",
    type=KEY_VALUE,
    multiple=True,
    help="Domain option, e.g. data_dir=PATH (repeatable).",
)
@click.option("--task-split", help="Only the tasks of this split [default: every split].")
@click.option(
    "--check",
    "checks",
    multiple=True,
    metavar="NAME",
    help="Run only this check (repeatable): tasks, references, schemas, oracle, "
    "state_hash, isolation, bad_arguments.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON on stdout.")
@click.pass_context
def check_plugin(
    ctx: click.Context,
    domain_name: str,
    domain_options: tuple[tuple[str, Any], ...],
    task_split: str | None,
    checks: tuple[str, ...],
    as_json: bool,
) -> None:
    """Check that a domain plugin behaves as runner expects (any domain, yours included)."""
    from runner.conformance import check_domain
    from runner.models.config import RunConfig
    from runner.run.build import get_domain

    plugins = get_plugins()
    domain = get_domain(RunConfig(domain=domain_name, domain_options=dict(domain_options)), plugins)
    modules = tuple(ctx.find_root().params.get("plugin") or ())

    def progress(result: Any) -> None:
        if not as_json:
            click.echo(f"  {result.name}: {result.status} ({result.seconds:.1f} s)", err=True)

    report = check_domain(
        domain,
        name=domain_name,
        plugin_modules=modules,
        checks=checks or None,
        split=task_split,
        on_check=progress,
    )
    if as_json:
        click.echo(json.dumps(report.to_json(), indent=2, ensure_ascii=False, default=str))
    else:
        _print_report(report)
    if not report.ok:
        sys.exit(EXIT_FAILED)


def _print_report(report: Any) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from runner.conformance import FIXES

    console = Console()
    options = ", ".join(f"{k}={v}" for k, v in report.options.items())
    table = Table(
        title=f"check-plugin {report.domain}" + (f" ({escape(options)})" if options else ""),
        title_justify="left",
    )
    for col in ("check", "status", "what it proves", "result"):
        table.add_column(col, overflow="fold")
    for c in report.checks:
        table.add_row(c.name, MARK.get(c.status, c.status), c.title, escape(c.summary))
    console.print(table)
    for c in report.checks:
        if c.status not in ("fail", "warn") or not c.failures:
            continue
        console.print(f"\n[bold]{c.name}[/] ({c.status}): {escape(c.summary)}")
        for item in c.failures[:LISTED]:
            console.print(
                "  - " + escape(json.dumps(item, ensure_ascii=False, default=str)), soft_wrap=True
            )
        if len(c.failures) > LISTED:
            console.print(f"  ... and {len(c.failures) - LISTED} more (see --json)")
        fix = FIXES.get(c.name)
        if fix:
            console.print(f"  [bold]How to fix:[/] {escape(fix)}")
    verdict = "[green]all checks passed[/]" if report.ok else "[red]some checks failed[/]"
    console.print(f"\n{report.domain}: {verdict}")

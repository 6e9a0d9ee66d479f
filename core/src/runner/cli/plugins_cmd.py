"""``runner list-plugins``: what is installed, what each plugin provides, what failed."""

from __future__ import annotations

import json

import click

from runner.cli.app import get_plugins


@click.command("list-plugins")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output on stdout.")
@click.option("--all", "show_all", is_flag=True, help="Include the core's built-in plugins.")
@click.option("--hook", "hook", metavar="NAME", help="Only plugins implementing this hook.")
def list_plugins(as_json: bool, show_all: bool, hook: str | None) -> None:
    """List installed plugins, the hooks they implement and what they provide."""
    plugins = get_plugins()
    ctx = click.get_current_context()
    # make sure plugin commands are attributed before we report them
    ctx.find_root().command.list_commands(ctx.find_root())  # type: ignore[attr-defined]
    infos = [i for i in plugins.infos if show_all or not i.builtin]
    if hook:
        infos = [i for i in infos if hook in i.hooks]
    if as_json:
        click.echo(json.dumps([i.to_json() for i in infos], indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="runner plugins", show_lines=False)
    for col in ("name", "distribution", "version", "hooks", "provides", "status"):
        table.add_column(col, overflow="fold")
    for info in infos:
        provides = "; ".join(f"{k}: {', '.join(v)}" for k, v in info.provides.items() if v)
        status = "[green]ok[/green]" if info.status == "ok" else f"[red]failed[/red]: {info.error}"
        if info.duplicates:
            status += "\n[yellow]duplicate[/yellow]: " + "; ".join(info.duplicates)
        table.add_row(info.name, info.distribution or "-", info.version or "-",
                      ", ".join(info.hooks), provides or "-", status)
    console = Console()
    if not infos:
        console.print("No plugins installed (use --all to see the built-ins).")
        return
    console.print(table)

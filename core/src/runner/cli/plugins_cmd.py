"""``runner list-plugins``: what is installed, what each plugin provides, what failed."""

from __future__ import annotations

import json

import click

from runner.cli.app import get_plugins
from runner.plugins import PluginInfo, Plugins


@click.command("list-plugins")
@click.option(
    "--json", "as_json", is_flag=True, help="Machine-readable output on stdout (a JSON list)."
)
@click.option(
    "--all", "show_all", is_flag=True, help="Include the core's built-in plugins (listed first)."
)
@click.option("--hook", "hook", metavar="NAME", help="Only plugins implementing this hook.")
def list_plugins(as_json: bool, show_all: bool, hook: str | None) -> None:
    """List installed plugins, the hooks they implement and what they provide.

    Each plugin shows its distribution and version, the hooks it implements, the names it
    registered (domains, agents, users, ...), and its status: `ok`, or `failed` with the error.
    Names registered by two plugins are flagged; pick one with DIST:NAME.
    """
    plugins = get_plugins()
    ctx = click.get_current_context()
    root = ctx.find_root()
    # building the command list lets plugins add their commands, so `provides` names them
    root.command.list_commands(root)  # type: ignore[attr-defined]
    infos = select(plugins, show_all, hook)
    if as_json:
        click.echo(json.dumps([i.to_json() for i in infos], indent=2))
        return
    _print_table(infos, show_all)


def select(plugins: Plugins, show_all: bool, hook: str | None) -> list[PluginInfo]:
    """The rows to show, sorted by name; the built-ins first when shown at all."""
    if hook:
        known = plugins.hook_names
        if hook not in known:
            from runner.errors import ConfigError, did_you_mean

            raise ConfigError(
                f"Unknown hook {hook!r}.{did_you_mean(hook, known)} "
                f"Hooks: {', '.join(sorted(known))}."
            )
    infos = [i for i in plugins.infos if show_all or not i.builtin]
    if hook:
        infos = [i for i in infos if hook in i.hooks]
    return sorted(infos, key=lambda i: (not i.builtin, i.name.lower(), i.module))


def _print_table(infos: list[PluginInfo], show_all: bool) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    # piped output gets a wide table rather than one folded to 80 columns
    console = Console() if Console().is_terminal else Console(width=160)
    if not infos:
        hint = "" if show_all else " (use --all to include the built-ins)"
        console.print(f"No plugins found{hint}.")
        return
    table = Table(title="runner plugins", show_lines=False)
    for col in ("name", "distribution", "version"):
        table.add_column(col, no_wrap=True)
    for col in ("hooks", "provides", "status"):
        table.add_column(col, overflow="fold")
    for info in infos:
        provides = "\n".join(f"{k}: {', '.join(v)}" for k, v in info.provides.items() if v)
        if info.status == "ok":
            status = "[green]ok[/green]"
        else:
            status = f"[red]failed[/red]: {escape(info.error or '')}"
        if info.duplicates:
            status += "\n[yellow]duplicate[/yellow]: " + escape("; ".join(info.duplicates))
        name = info.name + (" (built-in)" if info.builtin else "")
        table.add_row(
            escape(name),
            info.distribution or "-",
            info.version or "-",
            "\n".join(info.hooks) or "-",
            escape(provides) or "-",
            status,
        )
    console.print(table)

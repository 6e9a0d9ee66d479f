"""The ``runner`` command group.

Commands are found lazily: the built-in ones by module name (so ``runner --help`` imports
nothing heavy), plugin ones through ``register_commands``. Plugins are loaded once per
invocation, after the group's own options (``-p``, ``--strict-plugins``) are parsed.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from runner.errors import RunnerError
from runner.plugins import PluginOptions, Plugins, load_plugins

#: Built-in commands: name -> "module:attribute" (imported only when the command runs).
BUILTIN_COMMANDS: dict[str, str] = {
    "check-plugin": "runner.cli.check_plugin_cmd:check_plugin",
    "domain": "runner.cli.domain_cmd:domain",
    "evaluate": "runner.cli.evaluate_cmd:evaluate",
    "export": "runner.cli.export_cmd:export",
    "list-plugins": "runner.cli.plugins_cmd:list_plugins",
    "new-plugin": "runner.cli.new_plugin_cmd:new_plugin",
    "review": "runner.cli.review_cmd:review",
    "run": "runner.cli.run_cmd:run",
    "show": "runner.cli.show_cmd:show",
    "tasks": "runner.cli.tasks_cmd:tasks",
}


class RunnerGroup(click.Group):
    """A group that loads built-in commands lazily and plugin commands on demand."""

    def _plugins(self, ctx: click.Context) -> Plugins:
        return get_plugins(ctx)

    def _plugin_commands(self, ctx: click.Context) -> dict[str, click.Command]:
        root = ctx.find_root()
        meta = root.meta
        if "runner.plugin_commands" not in meta:
            holder = click.Group("plugins")
            plugins = self._plugins(ctx)
            plugins.add_commands(holder, reserved=set(BUILTIN_COMMANDS) | set(self.commands))
            for warning in plugins.warnings[meta.get("runner.warned", 0) :]:
                click.echo(f"warning: {warning}", err=True)
            meta["runner.warned"] = len(plugins.warnings)
            meta["runner.plugin_commands"] = dict(holder.commands)
        return meta["runner.plugin_commands"]

    def list_commands(self, ctx: click.Context) -> list[str]:
        names = set(BUILTIN_COMMANDS) | set(self.commands) | set(self._plugin_commands(ctx))
        return sorted(names)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.commands:
            return self.commands[cmd_name]
        target = BUILTIN_COMMANDS.get(cmd_name)
        if target is not None:
            module, _, attr = target.partition(":")
            return getattr(importlib.import_module(module), attr)
        return self._plugin_commands(ctx).get(cmd_name)

    def resolve_command(self, ctx: click.Context, args: list[str]) -> Any:
        name = click.utils.make_str(args[0]) if args else ""
        if name and self.get_command(ctx, name) is None and not name.startswith("-"):
            from runner.errors import did_you_mean

            hint = did_you_mean(name, self.list_commands(ctx))
            raise click.UsageError(f"No such command {name!r}.{hint} See `runner --help`.", ctx)
        return super().resolve_command(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except RunnerError as exc:
            raise click.ClickException(str(exc)) from None


def get_plugins(ctx: click.Context | None = None) -> Plugins:
    """The plugins of this invocation, loaded on first use."""
    ctx = ctx or click.get_current_context(silent=True)
    if ctx is None:
        return load_plugins()
    root = ctx.find_root()
    if "runner.plugins" not in root.meta:
        params = root.params
        options = PluginOptions.from_env(
            modules=tuple(params.get("plugin") or ()),
            strict=bool(params.get("strict_plugins")),
        )
        try:
            root.meta["runner.plugins"] = load_plugins(options)
        except RunnerError as exc:
            raise click.ClickException(str(exc)) from None
        plugins = root.meta["runner.plugins"]
        for info in plugins.failed:
            click.echo(f"warning: plugin {info.label} failed to load: {info.error}", err=True)
        for warning in plugins.warnings:
            click.echo(f"warning: {warning}", err=True)
        root.meta["runner.warned"] = len(plugins.warnings)
    return root.meta["runner.plugins"]


@click.group(cls=RunnerGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "-p",
    "plugin",
    multiple=True,
    metavar="MODULE",
    is_eager=True,  # before --help, which lists plugin commands: `runner -p mod --help`
    help="Load a plugin module that is not packaged; -p no:NAME blocks a plugin.",
)
@click.option(
    "--strict-plugins",
    is_flag=True,
    default=False,
    is_eager=True,
    help="Fail when any plugin fails to load (also RUNNER_STRICT_PLUGINS=1).",
)
@click.version_option(package_name="runner-core", prog_name="runner")
def cli(plugin: tuple[str, ...], strict_plugins: bool) -> None:
    """Simulate and evaluate tool-using conversational agents.

    Domains, agents, users, orchestrators and executors come from plugins:
    `runner list-plugins` shows what is installed.
    """


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    try:
        cli.main(args=argv, prog_name="runner")
    except RunnerError as exc:  # raised while loading, before a command runs
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)

"""``runner new-plugin NAME --kind KIND``: the plugin author kit (see ``runner.scaffold``)."""

from __future__ import annotations

import os
import shlex
from pathlib import Path

import click

from runner.scaffold import KINDS

NEXT_STEPS = {
    "domain": [
        "runner check-plugin {name}",
        "runner run --domain {name} --agent replay --user scripted",
    ],
    "agent": [
        "runner run --domain mock --agent {name} --agent-llm openai/gpt-4.1-mini "
        "--user user_simulator --user-llm openai/gpt-4.1-mini"
    ],
    "user": [
        "runner run --domain mock --agent llm_agent --agent-llm openai/gpt-4.1-mini "
        "--user {name} --user-llm openai/gpt-4.1-mini"
    ],
    "voice": [
        "runner run --domain mock --agent replay --user scripted --orchestrator full_duplex "
        "--voice-provider {name}"
    ],
}


@click.command("new-plugin")
@click.argument("name")
@click.option(
    "--kind",
    type=click.Choice(list(KINDS)),
    required=True,
    help="What the plugin provides: a domain, an agent, a (simulated) user or a voice provider.",
)
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where to write the package [default: ./runner-NAME]; must be new or empty.",
)
@click.option("--description", help="One line for pyproject.toml and the registry.")
def new_plugin(name: str, kind: str, directory: Path | None, description: str | None) -> None:
    """Write a plugin package that installs, shows in `runner list-plugins`, passes `runner
    check-plugin` (domains) and its own tests as written; then make it yours.

    NAME gives the distribution runner-NAME, the package runner_NAME and the registered name
    (`runner new-plugin shop --kind domain` registers the domain `shop`).
    """
    from runner.scaffold import write_plugin

    scaffold = write_plugin(name, kind, directory, description)
    names = scaffold.names
    shown = _shown(scaffold.root)
    click.echo(f"Wrote {names.dist} ({kind} {names.name!r}) in {shown}:")
    for path in scaffold.files:
        click.echo(f"  {path.as_posix()}")
    click.echo("\nNext:")
    click.echo(f"  pip install -e {shlex.quote(shown)}[test]   # or: uv pip install -e ...")
    click.echo("  runner list-plugins")
    for step in NEXT_STEPS[kind]:
        click.echo(f"  {step.format(name=names.name)}")
    click.echo(f"  pytest {shlex.quote(shown)}")
    warning = _clash(names.dist, names.name, kind)
    if warning:
        click.echo(f"\nwarning: {warning}", err=True)


def _clash(dist: str, name: str, kind: str) -> str | None:
    """Why installing the new package would collide with what is installed, if it would."""
    from importlib import metadata

    from runner.cli.app import get_plugins

    try:
        installed = metadata.version(dist)
    except metadata.PackageNotFoundError:
        installed = None
    if installed is not None:
        return (
            f"{dist} {installed} is already installed: installing the new package replaces it. "
            "Pick another NAME unless that is what you want."
        )
    taken = get_plugins().registry(KINDS[kind])
    if name not in taken:
        return None
    first = taken.registrations(name)[0]
    return (
        f"an installed plugin ({first.distribution or first.plugin}) already registers the "
        f"{kind} {name!r}; with both installed, runs must name yours as {dist}:{name}. "
        "Another NAME avoids that."
    )


def _shown(root: Path) -> str:
    """``root`` relative to the working directory when it is below it (what a user types)."""
    try:
        relative = root.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return str(root)
    return f".{os.sep}{relative}" if str(relative) != "." else "."

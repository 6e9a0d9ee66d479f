"""Entry point of runner-gym: adds ``runner play`` (gymnasium is imported only when it runs)."""

from __future__ import annotations

import click
from runner import hookimpl


@hookimpl
def register_commands(cli: click.Group) -> None:
    from runner_gym.play import play

    cli.add_command(play)

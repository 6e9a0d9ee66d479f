"""Entry point of runner-gym: adds ``runner play``. A package of its own, beside ``runner_gym``:
loading runner's plugins must not import Gymnasium (numpy), and importing ``runner_gym``
registers the environments with Gymnasium."""

from __future__ import annotations

import click
from runner import hookimpl


@hookimpl
def register_commands(cli: click.Group) -> None:
    from runner_gym_plugin.play import play

    cli.add_command(play)

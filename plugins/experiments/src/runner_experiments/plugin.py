"""Entry point of runner-experiments (``[project.entry-points.runner] experiments``).

Adds ``runner experiment ...`` and ``runner improve`` through ``register_commands``. Loaded by
every ``runner`` command, so it imports only click here; the commands import the rest.
"""

from __future__ import annotations

import click
from runner import hookimpl


@hookimpl
def register_commands(cli: click.Group) -> None:
    from runner_experiments.cli import experiment
    from runner_experiments.improve_cmd import improve_cmd

    cli.add_command(experiment)
    cli.add_command(improve_cmd)

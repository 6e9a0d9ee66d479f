"""Entry point of runner-viewer (``[project.entry-points.runner] viewer``).

Loaded by every ``runner`` command, so only click is imported here; the commands import the rest.
"""

from __future__ import annotations

import click
from runner import hookimpl


@hookimpl
def register_commands(cli: click.Group) -> None:
    from runner_viewer.cli import compare_cmd, report_cmd, view_cmd

    cli.add_command(report_cmd)
    cli.add_command(view_cmd)
    cli.add_command(compare_cmd)

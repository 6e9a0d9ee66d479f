"""The command line: ``runner`` and its commands, one module per command group."""

from runner.cli.app import BUILTIN_COMMANDS, cli, get_plugins, main

__all__ = ["BUILTIN_COMMANDS", "cli", "get_plugins", "main"]

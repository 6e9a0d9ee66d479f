"""The entry-point module: runner imports it at start-up, so it stays cheap.

It imports nothing but ``runner.hookimpl`` and the domain class (which refers to its database
and toolkit by "module:attribute" strings); the agent and user modules are imported inside the
factories, only when a simulation needs them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from runner import hookimpl


@hookimpl
def register_domains(register: Callable[..., None]) -> None:
    from runner_example.domain import LibraryDomain

    register(LibraryDomain())


def _librarian(ctx: Any) -> Any:
    from runner_example.agent import LibrarianAgent

    return LibrarianAgent(greeting=ctx.options.get("greeting", "Happy reading!"))


def _patron(ctx: Any) -> Any:
    from runner_example.user import PatronUser

    return PatronUser(ctx.task)


@hookimpl
def register_agents(register: Callable[..., None]) -> None:
    register(
        "librarian", _librarian, "Rule-based librarian: looks up quoted titles and lends books"
    )


@hookimpl
def register_users(register: Callable[..., None]) -> None:
    register("patron", _patron, "Library patron: says what they want, thanks the librarian, leaves")

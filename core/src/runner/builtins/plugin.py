"""Built-in registrations of the core (orchestrators, executors, replay agent, scripted user).

Factories import their modules lazily so loading this plugin stays cheap.
"""

from __future__ import annotations

from collections.abc import Callable

from runner.hookspecs import hookimpl


@hookimpl
def register_agents(register: Callable[..., None]) -> None:
    pass


@hookimpl
def register_users(register: Callable[..., None]) -> None:
    pass

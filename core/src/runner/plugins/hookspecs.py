"""The plugin contract: every hook a plugin may implement.

Plugins implement these with ``@runner.hookimpl`` in the module named by their ``runner`` entry
point. Registration hooks receive a ``register`` callable (the pattern of ``llm`` and
``datasette``) so that a plugin never imports or mutates a registry directly. Lifecycle hooks are
observers: synchronous, cheap, and an exception in one is reported on stderr naming the plugin,
not fatal (unless ``--strict-plugins``). Every hook is called through pluggy, so an
implementation may take only the arguments it needs, and ``tryfirst``/``trylast``,
``wrapper=True`` and ``specname`` work as pluggy documents.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from collections.abc import Callable

    import click

PROJECT_NAME = "runner"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)

# The one table of hook names: everything else is derived from it (and a test checks that it
# names exactly the specs below).
#: Registry kind (the ``register_<kind>`` hook's suffix) -> how messages name one entry.
REGISTRY_LABELS: dict[str, str] = {
    "domains": "domain",
    "agents": "agent",
    "users": "user",
    "orchestrators": "orchestrator",
    "voice_providers": "voice provider",
    "executors": "executor",
}
#: Registration hooks and the registry each one fills.
REGISTRATION_HOOKS: dict[str, str] = {f"register_{kind}": kind for kind in REGISTRY_LABELS}
#: Observers of a run, called through pluggy; one that raises is reported (fatal only with
#: ``--strict-plugins``).
LIFECYCLE_HOOKS = ("runner_run_start", "runner_simulation_end", "runner_run_end")
#: Every hook of the contract.
HOOK_NAMES = frozenset({*REGISTRATION_HOOKS, "register_commands", *LIFECYCLE_HOOKS})


@hookspec
def register_domains(register: Callable[..., None]) -> None:
    """Register domains: ``register(domain_instance)``."""


@hookspec
def register_agents(register: Callable[..., None]) -> None:
    """Register agents: ``register(name, factory(BuildContext) -> Agent, description="")``."""


@hookspec
def register_users(register: Callable[..., None]) -> None:
    """Register user simulators: ``register(name, factory(BuildContext) -> User, description="")``."""


@hookspec
def register_orchestrators(register: Callable[..., None]) -> None:
    """Register orchestrators: ``register(name, orchestrator_class, description="")``.

    The class is constructed with keyword arguments ``environment, agent, user, task, seed,
    max_steps, max_errors, timeout`` (and possibly more) and has ``async run() -> SimulationRun``.
    """


@hookspec
def register_voice_providers(register: Callable[..., None]) -> None:
    """Register voice providers: ``register(name, factory(options: dict) -> VoiceProvider, description="")``."""


@hookspec
def register_executors(register: Callable[..., None]) -> None:
    """Register executors: ``register(name, factory(RunConfig) -> Executor, description="")``."""


@hookspec
def register_commands(cli: click.Group) -> None:
    """Add click commands or groups to the ``runner`` command line."""


@hookspec
def runner_run_start(config: Any, tasks: list[Any]) -> None:
    """Observe the start of a run (after tasks are selected, before any simulation)."""


@hookspec
def runner_simulation_end(config: Any, result: Any) -> None:
    """Observe one finished simulation (already scored and written to ``results.jsonl``)."""


@hookspec
def runner_run_end(config: Any, results: list[Any], metrics: Any) -> None:
    """Observe the end of a run with every result and the computed metrics."""

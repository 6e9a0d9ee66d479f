"""Built-in registrations of the core (orchestrators, executors, replay agent, scripted user).

Factories import their modules lazily so loading this plugin stays cheap.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from runner.plugins.hookspecs import hookimpl


def _replay_agent(ctx: Any) -> Any:
    from runner.builtins.replay import build_replay_agent

    return build_replay_agent(ctx)


def _scripted_user(ctx: Any) -> Any:
    from runner.builtins.scripted import build_scripted_user

    return build_scripted_user(ctx)


def _scripted_streaming_user(ctx: Any) -> Any:
    from runner.builtins.scripted_streaming import build_scripted_streaming_user

    return build_scripted_streaming_user(ctx)


class HalfDuplex:
    """Registered as ``half_duplex``: constructing it builds a
    :class:`runner.orchestrator.HalfDuplexOrchestrator` (imported only then, so loading the
    built-in plugin stays cheap)."""

    def __new__(cls, **kwargs: Any) -> Any:
        from runner.orchestrator.half_duplex import HalfDuplexOrchestrator

        return HalfDuplexOrchestrator(**kwargs)


class FullDuplex:
    """Registered as ``full_duplex``: builds a
    :class:`runner.orchestrator.full_duplex.FullDuplexOrchestrator` (imported only then)."""

    def __new__(cls, **kwargs: Any) -> Any:
        from runner.orchestrator.full_duplex import FullDuplexOrchestrator

        return FullDuplexOrchestrator(**kwargs)


@hookimpl
def register_agents(register: Callable[..., None]) -> None:
    register(
        "replay",
        _replay_agent,
        "Oracle: performs the task's expected actions, then states what it must communicate",
    )


@hookimpl
def register_users(register: Callable[..., None]) -> None:
    register(
        "scripted",
        _scripted_user,
        "Deterministic user: opens with the ticket, performs the expected user actions, stops",
    )
    register(
        "scripted_streaming",
        _scripted_streaming_user,
        "The scripted user for full duplex, plus interruptions, back-channels and waits on a "
        "schedule (--user-option schedule=JSON)",
    )


@hookimpl
def register_orchestrators(register: Callable[..., None]) -> None:
    register(
        "half_duplex", HalfDuplex, "Turn-based: one message at a time (τ²-bench's orchestrator)"
    )
    register("full_duplex", FullDuplex, "Streaming: both sides produce a chunk every tick")


def _loopback_voice(options: dict[str, Any]) -> Any:
    from runner.voice.loopback import build_loopback

    return build_loopback(options)


@hookimpl
def register_voice_providers(register: Callable[..., None]) -> None:
    register(
        "loopback",
        _loopback_voice,
        "Lossless fake speech (the text rides in the samples): the audio path of a voice run "
        "without a speech engine, for tests and demos",
    )


def _local_executor(config: Any) -> Any:
    from runner.builtins.local_executor import LocalExecutor

    return LocalExecutor(config)


@hookimpl
def register_executors(register: Callable[..., None]) -> None:
    register(
        "local",
        _local_executor,
        "Runs simulations concurrently on one asyncio event loop (--max-concurrency)",
    )

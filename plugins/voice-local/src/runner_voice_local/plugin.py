"""Entry point of runner-voice-local (``[project.entry-points.runner] voice_local``).

Registers the ``local`` voice provider (eSpeak NG + PocketSphinx) and the ``cascaded`` agent.
Loaded by every ``runner`` command, so nothing heavy is imported here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from runner import hookimpl


def _local(options: dict[str, Any]) -> Any:
    from runner_voice_local.provider import build_local_voice

    return build_local_voice(options)


def _cascaded(ctx: Any) -> Any:
    from runner_voice_local.cascaded import build_cascaded_agent

    return build_cascaded_agent(ctx)


@hookimpl
def register_voice_providers(register: Callable[..., None]) -> None:
    register(
        "local",
        _local,
        "Offline speech: eSpeak NG synthesis (Debian package espeak-ng), PocketSphinx "
        "recognition (--voice-option voice=, words_per_minute=)",
    )


@hookimpl
def register_agents(register: Callable[..., None]) -> None:
    register(
        "cascaded",
        _cascaded,
        "Voice agent: recognise, answer with a text agent (--agent-option text_agent=NAME, "
        "default llm_agent), synthesise; needs --voice-provider",
    )

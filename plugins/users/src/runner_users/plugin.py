"""Entry point of runner-users (``[project.entry-points.runner] users``).

Registers ``user_simulator``, the LLM user, and ``streaming_user_simulator``, the same user
for full duplex (see ``docs/llm-participants.md``). Loaded by every
``runner`` command, so it imports nothing heavy: the factory imports its module when called.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from runner import hookimpl


def _user_simulator(ctx: Any) -> Any:
    from runner_users.simulator import build_user_simulator

    return build_user_simulator(ctx)


def _streaming_user_simulator(ctx: Any) -> Any:
    from runner_users.streaming import build_streaming_user_simulator

    return build_streaming_user_simulator(ctx)


@hookimpl
def register_users(register: Callable[..., None]) -> None:
    register(
        "user_simulator",
        _user_simulator,
        "LLM user playing the task's persona and instructions (--user-llm, --user-llm-args, "
        "--user-option prompt=PATH)",
    )
    register(
        "streaming_user_simulator",
        _streaming_user_simulator,
        "LLM user for --orchestrator full_duplex: talks, yields, interrupts and back-channels "
        "tick by tick (--user-option patience=, interrupt_probability=, "
        "backchannel_probability=)",
    )

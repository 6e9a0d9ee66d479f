"""Entry point of runner-agents (``[project.entry-points.runner] agents``).

Registers the simulation agents ``llm_agent``, ``llm_gt_agent`` and ``llm_solo_agent`` (see
``docs/llm-participants.md``). They are not built on the SDK's ``Agent``/``Runner`` loop: each
is a core ``HalfDuplexAgent`` that makes one call through the run's LLM gateway per turn, so
that the orchestrator executes every tool call; from the SDK they take only ``ModelSettings``
(their request options) and its ``UserError``. The SDK itself (``Agent``, ``Runner``, ...) is a
library imported from ``runner_agents``. This module is loaded by every ``runner``
command, so it imports nothing heavy: each factory imports its module when it is called.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from runner import hookimpl


def _llm_agent(ctx: Any) -> Any:
    from runner_agents.simulation.llm_agent import build_llm_agent

    return build_llm_agent(ctx)


def _llm_gt_agent(ctx: Any) -> Any:
    from runner_agents.simulation.llm_agent import build_llm_gt_agent

    return build_llm_gt_agent(ctx)


def _llm_solo_agent(ctx: Any) -> Any:
    from runner_agents.simulation.llm_agent import build_llm_solo_agent

    return build_llm_solo_agent(ctx)


@hookimpl
def register_agents(register: Callable[..., None]) -> None:
    register(
        "llm_agent",
        _llm_agent,
        "LLM agent: the domain policy as instructions, the environment tools as tools "
        "(--agent-llm, --agent-llm-args)",
    )
    register(
        "llm_gt_agent",
        _llm_gt_agent,
        "llm_agent that also gets the task's expected actions as resolution steps",
    )
    register(
        "llm_solo_agent",
        _llm_solo_agent,
        "LLM agent without a user: works the ticket with both sides' tools, ends with `done`",
    )

"""Solo mode (half duplex): there is no user, and the agent works alone from its ticket.

It is on when the ``solo`` orchestrator option is true or the agent class says ``solo = True``
(such as ``llm_solo_agent``). The half-duplex loop then starts with the agent (no greeting),
never calls the user, keeps the ``requestor`` the agent gave its tool calls (so it can call
user-side tools), and ends the run when the agent sends text no user could read.
"""

from __future__ import annotations

from typing import Any

#: Why a solo run ends as ``agent_error`` when the agent sends a message without tool calls.
TEXT_WITHOUT_USER = (
    "agent: sent a message without tool calls in solo mode, where there is no user to read it"
)


def solo_mode(agent: Any, options: dict[str, Any]) -> bool:
    """Whether the conversation runs without a user: the ``solo`` option (a bool or a string
    such as ``true`` from ``--orchestrator-option solo=true``), else the agent's ``solo``."""
    value = options.get("solo", getattr(agent, "solo", False))
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)

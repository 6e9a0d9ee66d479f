"""Helpers shared by the telecom tests (imported by name; this folder is on sys.path)."""

from __future__ import annotations

from typing import Any


def call(env: Any, name: str, requestor: str = "assistant", **arguments: Any) -> Any:
    """Execute one tool call through the environment (sync included) and return the message."""
    from runner import ToolCall

    return env.execute(ToolCall(id="t", name=name, arguments=arguments, requestor=requestor))


def user_env(domain: Any, phone: str = "312-555-0177", name: str = "Aisha Bello") -> Any:
    """A fresh environment whose phone belongs to the given line (default: Aisha, L2004)."""
    from runner import EnvFunctionCall

    env = domain.environment()
    env.run_function(
        EnvFunctionCall(
            env_type="user",
            func_name="set_user_info",
            arguments={"name": name, "phone_number": phone},
        )
    )
    return env

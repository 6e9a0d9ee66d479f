"""Entry point of runner-voice-openai (``[project.entry-points.runner] voice_openai``).

Registers the ``realtime`` agent. Loaded by every ``runner`` command, so it imports nothing
heavy: the factory imports the agent (and ``websockets``) when it is called.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from runner import ConfigError, hookimpl

#: The agent's options (``--agent-option NAME=VALUE``) and their defaults.
OPTIONS: dict[str, tuple[type, float, str]] = {
    "tick_seconds": (float, 0.2, "seconds per tick; must match the orchestrator's (0.2)"),
    "end_of_turn_ticks": (int, 3, "silent ticks after the user spoke before answering (3)"),
    "barge_in_ticks": (int, 2, "ticks of the user talking over it before it stops (2)"),
}
#: ``--agent-llm-args`` the connection reads; any other goes into ``session.update``.
TRANSPORT_ARGS = ("api_base", "api_key", "timeout", "max_retries", "retry_wait")
PRICE_ARGS = ("input_cost_per_token", "output_cost_per_token")
VOICE_LINE = (
    "You are a customer-service agent speaking with the customer on a voice call: answer "
    "briefly and naturally, in spoken sentences, and use the tools to act on their behalf."
)


def build_realtime_agent(ctx: Any) -> Any:
    """Factory registered as ``realtime`` (takes a :class:`runner.BuildContext`)."""
    from runner_voice_openai.agent import RealtimeAgent
    from runner_voice_openai.session import DEFAULT_URL, SessionConfig

    options = _options(dict(ctx.options or {}))
    if not ctx.llm:
        raise ConfigError(
            "The realtime agent needs a model: --agent-llm openai/gpt-realtime (or another "
            "OpenAI Realtime model)."
        )
    args = dict(ctx.llm_args or {})
    key = args.pop("api_key", None) or os.environ.get("OPENAI_API_KEY")
    if not key:
        raise ConfigError(
            "The realtime agent needs an OpenAI API key: set OPENAI_API_KEY, or pass "
            "--agent-llm-args api_key=..."
        )
    url = _websocket_url(str(args.pop("api_base", None) or DEFAULT_URL))
    numbers = {
        name: _number(name, args.pop(name))
        for name in (*TRANSPORT_ARGS, *PRICE_ARGS)
        if name in args
    }
    config = SessionConfig(
        model=str(ctx.llm),
        api_key=str(key),
        url=url,
        instructions=f"{VOICE_LINE}\n\n{ctx.policy}" if ctx.policy else VOICE_LINE,
        tools=[realtime_tool(tool.openai_schema()) for tool in ctx.tools],
        extra=args,
        timeout=numbers.get("timeout", 10.0),
        max_retries=max(1, int(numbers.get("max_retries", 3))),
        retry_wait=numbers.get("retry_wait", 0.5),
        input_cost_per_token=numbers.get("input_cost_per_token", 0.0),
        output_cost_per_token=numbers.get("output_cost_per_token", 0.0),
    )
    return RealtimeAgent(config, **options)


def realtime_tool(schema: dict[str, Any]) -> dict[str, Any]:
    """A Chat Completions tool schema in the Realtime shape (``name`` etc. at the top level)."""
    function = schema.get("function", schema)
    return {
        "type": "function",
        "name": function["name"],
        "description": function.get("description", ""),
        "parameters": function.get("parameters", {"type": "object", "properties": {}}),
    }


def _options(given: dict[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(given) - set(OPTIONS))
    if unknown:
        known = "; ".join(f"{name}: {about}" for name, (_, _, about) in OPTIONS.items())
        raise ConfigError(
            f"The realtime agent has no option {', '.join(unknown)}. Its options: {known}."
        )
    out: dict[str, Any] = {}
    for name, (kind, default, _) in OPTIONS.items():
        raw = given.get(name, default)
        value = _number(f"--agent-option {name}", raw)
        if not 0 < value < float("inf") or (kind is int and value != int(value)):
            raise ConfigError(
                f"--agent-option {name}={raw!r}: expected a positive {kind.__name__}."
            )
        out[name] = kind(value)
    return out


def _number(name: str, value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{name}={value!r}: expected a number.") from None


def _websocket_url(url: str) -> str:
    """``api_base`` as a WebSocket URL: ``http(s)`` becomes ``ws(s)``, ``/realtime`` is added."""
    parts = urlsplit(url)
    scheme = {"http": "ws", "https": "wss"}.get(parts.scheme, parts.scheme)
    if scheme not in ("ws", "wss"):
        raise ConfigError(f"api_base {url!r}: expected a ws://, wss:// or http(s):// URL.")
    path = parts.path.rstrip("/")
    if not path.endswith("/realtime"):
        path += "/realtime"
    return urlunsplit(parts._replace(scheme=scheme, path=path))


@hookimpl
def register_agents(register: Callable[..., None]) -> None:
    register(
        "realtime",
        build_realtime_agent,
        "Audio-native agent on the OpenAI Realtime API (--agent-llm openai/gpt-realtime; "
        "--agent-llm-args api_base=, api_key=; --agent-option tick_seconds=, "
        "end_of_turn_ticks=, barge_in_ticks=); needs --orchestrator full_duplex and "
        "--voice-provider",
    )

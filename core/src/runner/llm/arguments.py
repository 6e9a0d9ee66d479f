"""The arguments of one gateway call, as litellm (or the direct transport) will receive them.

The gateway takes the common options by name and passes everything else to litellm unchanged,
except what it decides itself: ``num_retries``/``max_retries`` (it is the only retry layer),
``stream`` (``stream()`` decides) and ``transport`` (which client sends the request).
"""

from __future__ import annotations

from typing import Any

from runner.llm.routing import choose_transport

# Arguments the gateway sets itself: its own retry layer, and streaming (``stream()`` decides).
OWN_ARGS = ("num_retries", "max_retries", "stream")


def request_args(
    tools: Any,
    tool_choice: Any,
    parallel_tool_calls: Any,
    response_format: Any,
    llm_args: dict[str, Any],
) -> dict[str, Any]:
    """``llm_args`` without the gateway's own arguments, plus the named options that are set."""
    args = {k: v for k, v in llm_args.items() if k not in OWN_ARGS}
    for name, value in (
        ("tools", tools),
        ("tool_choice", tool_choice),
        ("parallel_tool_calls", parallel_tool_calls),
        ("response_format", response_format),
    ):
        if value is not None:
            args[name] = value
    return args


def pop_transport(model: str, args: dict[str, Any], default: str = "auto") -> str:
    """Remove the ``transport`` argument and return the client that sends this call
    (``litellm`` or ``direct``; ``auto`` is decided by :func:`runner.llm.routing.choose_transport`)."""
    return choose_transport(model, args, args.pop("transport", None) or default)


def secrets_of(args: dict[str, Any]) -> tuple[str, ...]:
    """The call's API key, to scrub from every message, log line and cache file."""
    key = args.get("api_key")
    return (key,) if isinstance(key, str) and key else ()

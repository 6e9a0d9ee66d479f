"""The one place that imports and configures ``litellm``.

litellm is heavy (seconds to import) and has process-wide settings, so it is imported on the
first LLM call, never when ``runner`` or a plugin is loaded, and configured once:

* ``LITELLM_LOCAL_MODEL_COST_MAP=True``: prices come from the copy shipped with litellm; it
  never downloads a price list.
* its own logging and "give feedback" banners are silenced (they may echo request details).
* its aiohttp connection pool caps (1,000 connections, 500 per host by default) are raised so
  the number of requests in flight follows the caller's concurrency. An explicit
  ``AIOHTTP_CONNECTOR_LIMIT``/``AIOHTTP_CONNECTOR_LIMIT_PER_HOST`` in the environment wins.

It also turns litellm's response objects into :class:`~runner.llm.response.LLMResponse` parts.
"""

from __future__ import annotations

import logging
import os
import sys
from types import ModuleType
from typing import Any

from runner.llm.response import LLMToolCall, Usage

CONNECTION_LIMIT = 100_000  # effectively unlimited: file descriptors are the real bound
_QUIET_LOGGERS = ("LiteLLM", "LiteLLM Router", "LiteLLM Proxy", "litellm")
_litellm: ModuleType | None = None


def load_litellm() -> ModuleType:
    """Import and configure litellm (once)."""
    global _litellm
    if _litellm is not None:
        return _litellm
    os.environ["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"
    limits = {}
    for name in ("AIOHTTP_CONNECTOR_LIMIT", "AIOHTTP_CONNECTOR_LIMIT_PER_HOST"):
        if name not in os.environ:
            os.environ[name] = str(CONNECTION_LIMIT)
        limits[name] = int(os.environ[name])
    already_imported = "litellm" in sys.modules
    import litellm

    litellm.suppress_debug_info = True
    litellm.set_verbose = False
    litellm.telemetry = False
    for name in _QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.CRITICAL)
    if already_imported:  # its constants were read before we could set the environment
        _raise_connection_limits(limits)
    _litellm = litellm
    return litellm


def _raise_connection_limits(limits: dict[str, int]) -> None:
    try:
        from litellm.llms.custom_httpx import http_handler
    except ImportError:  # a litellm without this module has no such cap to raise
        return
    for name, value in limits.items():
        if hasattr(http_handler, name):
            setattr(http_handler, name, value)


def compute_cost(model: str, usage: Usage, reported: Any = None) -> float:
    """USD for ``usage`` on ``model``; litellm's own figure when it computed one; 0.0 when the
    model has no known price (a local or fine-tuned model). Never raises."""
    if isinstance(reported, (int, float)) and reported >= 0:
        return float(reported)
    try:
        prompt, completion = load_litellm().cost_per_token(
            model=model,
            prompt_tokens=usage.prompt_tokens,
            completion_tokens=usage.completion_tokens,
        )
        return float(prompt + completion)
    except Exception:  # unknown model, missing price: cost is unknown, not an error
        return 0.0


def usage_from(raw: Any) -> Usage:
    if raw is None:
        return Usage()
    get = raw.get if isinstance(raw, dict) else lambda k, d=None: getattr(raw, k, d)
    prompt = int(get("prompt_tokens", 0) or 0)
    completion = int(get("completion_tokens", 0) or 0)
    total = int(get("total_tokens", 0) or 0) or prompt + completion
    return Usage(prompt_tokens=prompt, completion_tokens=completion, total_tokens=total)


def response_parts(response: Any) -> dict[str, Any]:
    """The parts of a litellm ``ModelResponse`` an :class:`LLMResponse` is built from."""
    choice = response.choices[0]
    message = choice.message
    tool_calls = [
        LLMToolCall(
            id=call.id or f"call_{i}",
            name=call.function.name or "",
            arguments=call.function.arguments or "",
        )
        for i, call in enumerate(message.tool_calls or [])
    ]
    usage = usage_from(getattr(response, "usage", None))
    hidden = getattr(response, "_hidden_params", None) or {}
    return {
        "content": message.content,
        "tool_calls": tool_calls,
        "reasoning_content": getattr(message, "reasoning_content", None),
        "thinking_blocks": _plain(getattr(message, "thinking_blocks", None)),
        "usage": usage,
        "reported_cost": hidden.get("response_cost"),
        "model": getattr(response, "model", None) or "",
        "finish_reason": choice.finish_reason,
    }


def _plain(value: Any) -> Any:
    if value is None:
        return None
    return [dict(block) if not isinstance(block, dict) else block for block in value]

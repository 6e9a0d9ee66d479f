"""Which client sends a call: litellm, or the direct transport (:mod:`runner.llm.direct`).

litellm speaks to every provider but costs milliseconds of client CPU per call; the direct
transport is a plain OpenAI-compatible POST at a fraction of that. ``auto`` (the default) picks
direct exactly where litellm would add nothing: an endpoint the user runs that already speaks
OpenAI's chat-completions API (vLLM, SGLang, llama.cpp, Ollama, the local test server). Real
providers, OpenAI included, stay on litellm so that its parameter mapping and provider quirks
keep applying.

The decision table (first match wins):

================================================  =========
the call                                          transport
================================================  =========
``transport="litellm"`` or ``"direct"``           as named
an argument only litellm understands (below)      litellm
``hosted_vllm/…`` with an ``api_base`` (argument  direct
or ``HOSTED_VLLM_API_BASE``)
``openai/…`` with an explicit ``api_base`` that   direct
is not OpenAI's
anything else                                     litellm
================================================  =========
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from runner.llm.transports import TRANSPORTS as _TRANSPORTS

#: The values of ``--llm-transport`` and of a call's ``transport`` argument: ``auto`` and the
#: names of :data:`runner.llm.transports.TRANSPORTS`.
TRANSPORTS = ("auto", *_TRANSPORTS)
#: Arguments that only litellm interprets: a call that names one stays on litellm.
LITELLM_ONLY_ARGS = frozenset(
    {
        "mock_response",
        "fallbacks",
        "context_window_fallbacks",
        "caching",
        "custom_llm_provider",
        "drop_params",
        "additional_drop_params",
        "input_cost_per_token",
        "output_cost_per_token",
        "api_version",
        "thinking",
    }
)
#: The share of wall time the client must be busy for :func:`litellm_cpu_note` to speak.
BUSY_THRESHOLD = 0.35
#: Hosts of OpenAI's own API: real OpenAI keeps litellm's handling.
OPENAI_HOSTS = frozenset({"api.openai.com"})


def check_transport(transport: str) -> str:
    """``transport`` if it names one; else a ConfigError saying which exist."""
    if transport not in TRANSPORTS:
        from runner.errors import ConfigError

        raise ConfigError(
            f"LLM transport {transport!r}: use 'auto' (the default: direct for an "
            "OpenAI-compatible endpoint you run, litellm for providers), 'litellm' or 'direct'."
        )
    return transport


def choose_transport(model: str, args: Mapping[str, Any], requested: str = "auto") -> str:
    """``litellm`` or ``direct`` for one call of ``model`` with ``args`` (see the table above)."""
    if check_transport(requested) != "auto":
        return requested
    if not LITELLM_ONLY_ARGS.isdisjoint(args):
        return "litellm"
    base = args.get("api_base") or args.get("base_url")
    if model.startswith("hosted_vllm/"):
        return "direct" if base or os.environ.get("HOSTED_VLLM_API_BASE") else "litellm"
    if model.startswith("openai/") and isinstance(base, str) and base:
        return "litellm" if _host(base) in OPENAI_HOSTS else "direct"
    return "litellm"


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def litellm_cpu_note(
    calls: Mapping[str, int], cpu_seconds: float, wall_seconds: float
) -> str | None:
    """A line for a run's summary when litellm's client CPU is what held the run back: most LLM
    calls went through litellm and the process was busy for over a third of the wall time (one
    event loop that busy already delays the answers it picks up; the measurement behind the
    threshold is in docs/performance.md).
    ``None`` otherwise (a run waiting on its endpoint gains nothing from another transport)."""
    through_litellm = calls.get("litellm", 0)
    total = sum(calls.values())
    if through_litellm < 20 or through_litellm * 2 < total or wall_seconds < 1.0:
        return None
    busy = cpu_seconds / wall_seconds
    if busy < BUSY_THRESHOLD:
        return None
    return (
        f"note: the client was busy {busy:.0%} of the run's wall time and {through_litellm} of "
        f"{total} LLM calls went through litellm, which costs milliseconds of CPU per call. If "
        "the endpoint speaks OpenAI's chat-completions API, `--llm-transport direct` sends the "
        "calls without litellm (`auto` already does for `hosted_vllm/...` models and for "
        "`openai/...` models with an `api_base` that is not OpenAI's); see docs/llm.md."
    )

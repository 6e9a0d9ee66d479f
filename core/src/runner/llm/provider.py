"""The one place that imports and configures ``litellm``.

litellm is heavy (seconds to import) and has process-wide settings, so it is imported on the
first LLM call, never when ``runner`` or a plugin is loaded, and configured once:

* ``LITELLM_LOCAL_MODEL_COST_MAP=True``: prices come from the copy shipped with litellm; it
  never downloads a price list.
* its own logging and "give feedback" banners are silenced (they may echo request details).
* its aiohttp connection pool caps (1,000 connections, 500 per host by default) are raised so
  the number of requests in flight follows the caller's concurrency. An explicit
  ``AIOHTTP_CONNECTOR_LIMIT``/``AIOHTTP_CONNECTOR_LIMIT_PER_HOST`` in the environment wins.
* the objects its import leaves behind (hundreds of thousands) are moved out of the garbage
  collector's sight (``gc.freeze()``): otherwise every full collection scans them again, which
  adds CPU to every call when many calls are in flight (``docs/performance.md``, *LLM gateway*).

Each call goes through :func:`acompletion`, which switches off per-call litellm work whose
result nobody reads (see its docstring; what it saves is measured in ``docs/performance.md``).
It also turns litellm's response objects into :class:`~runner.llm.response.LLMResponse` parts
and prices calls (:func:`compute_cost`, one price-list look-up per model).
"""

from __future__ import annotations

import functools
import gc
import logging
import os
import sys
import warnings
from contextvars import ContextVar
from types import ModuleType
from typing import Any

from runner.llm.response import LLMToolCall, Usage

CONNECTION_LIMIT = 100_000  # effectively unlimited: file descriptors are the real bound
_QUIET_LOGGERS = ("LiteLLM", "LiteLLM Router", "LiteLLM Proxy", "litellm")
# litellm's callback lists: while all are empty (and no litellm cache is set) nobody reads the
# success/failure logging litellm prepares after each call.
_CALLBACK_LISTS = (
    "callbacks",
    "success_callback",
    "failure_callback",
    "input_callback",
    "service_callback",
    "_async_success_callback",
    "_async_failure_callback",
    "_async_input_callback",
)
# Arguments that change how litellm prices a call: such calls always get litellm's own figure.
_PRICING_ARGS = ("base_model", "model_info", "metadata", "litellm_metadata", "custom_llm_provider")
_litellm: ModuleType | None = None
# Set (per call, in the caller's context) while litellm must not price the call itself.
_skip_litellm_cost: ContextVar[bool] = ContextVar("runner_skip_litellm_cost", default=False)
# litellm's own "internal sub-call" switch (no success/failure logging), when it has one.
_internal_call: ContextVar[bool] | None = None
# Price-list knowledge, per model string; dropped when the price list changes size.
_priced: dict[str, bool] = {}
_unpriced_by_litellm: set[str] = set()
_price_list_size = -1


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
    if isinstance(getattr(litellm, "telemetry", None), bool):  # older litellm; now a subpackage
        litellm.telemetry = False
    for name in _QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.CRITICAL)
    if already_imported:  # its constants were read before we could set the environment
        _raise_connection_limits(limits)
    _install_cost_switch()
    _find_internal_call_switch()
    warnings.filterwarnings("ignore", message=ORPHANED_CALL_WARNING, category=RuntimeWarning)
    gc.freeze()  # litellm's modules live as long as the process: no collection needs to scan them
    _litellm = litellm
    return litellm


#: litellm's ``acompletion`` builds the provider's coroutine in a worker thread. A call cancelled
#: meanwhile (a run that stops on a refused key, Ctrl+C) leaves that coroutine unawaited, and
#: Python would print a RuntimeWarning for each on stderr, in front of the run's own message.
#: Nothing is lost: the coroutine never ran, so its request was never sent.
ORPHANED_CALL_WARNING = r"coroutine '\w+\.a(?:sync_)?completion\w*' was never awaited"


def _raise_connection_limits(limits: dict[str, int]) -> None:
    try:
        from litellm.llms.custom_httpx import http_handler
    except ImportError:  # a litellm without this module has no such cap to raise
        return
    for name, value in limits.items():
        if hasattr(http_handler, name):
            setattr(http_handler, name, value)


# --------------------------------------------------------------------- one call
async def acompletion(model: str, **kwargs: Any) -> Any:
    """``litellm.acompletion(model=model, **kwargs)`` without the per-call work nobody reads.

    * litellm prices every response (``_hidden_params["response_cost"]``). For a model its
      price list does not know, that takes an exception-driven search of the list and a
      "zero cost" diagnosis on every call, to find no price. Once litellm found no
      price for a model that :func:`compute_cost` cannot price either, later calls to it skip
      litellm's pricing: the cost is 0.0 either way. Priced models keep litellm's figure.
    * While no litellm callback (``litellm.callbacks``, ``success_callback``, ...) and no
      ``litellm.cache`` is set, the call runs as one of litellm's internal sub-calls, which
      skips building and dispatching its success/failure logging payloads.

    Everything else (the request, retries, errors, the response) is litellm's, unchanged.
    """
    litellm = load_litellm()
    skip_cost = model in _unpriced_by_litellm and not _custom_pricing(kwargs)
    cost_token = _skip_litellm_cost.set(True) if skip_cost else None
    quiet = _internal_call is not None and _litellm_logging_unused(litellm)
    quiet_token = _internal_call.set(True) if quiet else None  # type: ignore[union-attr]
    try:
        response = await litellm.acompletion(model=model, **kwargs)
    finally:
        if quiet_token is not None:
            _internal_call.reset(quiet_token)  # type: ignore[union-attr]
        if cost_token is not None:
            _skip_litellm_cost.reset(cost_token)
    if not skip_cost and not kwargs.get("stream"):
        _learn_litellm_pricing(model, response, kwargs)
    return response


def _custom_pricing(kwargs: dict[str, Any]) -> bool:
    return any("cost" in name or name in _PRICING_ARGS for name in kwargs)


def _litellm_logging_unused(litellm: ModuleType) -> bool:
    if getattr(litellm, "cache", None) is not None or getattr(litellm, "max_budget", None):
        return False
    return not any(getattr(litellm, name, None) for name in _CALLBACK_LISTS)


def _learn_litellm_pricing(model: str, response: Any, kwargs: dict[str, Any]) -> None:
    hidden = getattr(response, "_hidden_params", None)
    if not isinstance(hidden, dict) or "response_cost" not in hidden:
        return  # not a priced litellm response (or a stub in a benchmark)
    if hidden["response_cost"] is None and not _custom_pricing(kwargs) and not is_priced(model):
        _unpriced_by_litellm.add(model)


def _install_cost_switch() -> None:
    """Let :func:`acompletion` switch litellm's own pricing off for one call (only when the
    ``_skip_litellm_cost`` context variable is set: other litellm users are unaffected)."""
    try:
        from litellm.litellm_core_utils.litellm_logging import Logging
    except ImportError:  # another litellm layout: nothing is switched off, all still works
        return
    original = getattr(Logging, "response_cost_calculator", None)
    if not callable(original) or getattr(original, "_runner_switch", False):
        return

    @functools.wraps(original)
    def response_cost_calculator(self: Any, *args: Any, **kwargs: Any) -> Any:
        if _skip_litellm_cost.get():
            return None
        return original(self, *args, **kwargs)

    response_cost_calculator._runner_switch = True  # type: ignore[attr-defined]
    Logging.response_cost_calculator = response_cost_calculator  # type: ignore[method-assign]
    if getattr(Logging, "_response_cost_calculator", None) is original:  # litellm's alias
        Logging._response_cost_calculator = response_cost_calculator


def _find_internal_call_switch() -> None:
    global _internal_call
    try:
        from litellm._internal_context import is_internal_call
    except ImportError:  # another litellm: its logging runs as usual
        return
    if isinstance(is_internal_call, ContextVar):
        _internal_call = is_internal_call


# --------------------------------------------------------------------- cost
def is_priced(model: str) -> bool:
    """Whether litellm's price list prices ``model`` (looked up once per model)."""
    global _price_list_size
    litellm = load_litellm()
    size = len(getattr(litellm, "model_cost", ()) or ())
    if size != _price_list_size:  # a model was registered: forget what was learnt
        _priced.clear()
        _unpriced_by_litellm.clear()
        _price_list_size = size
    known = _priced.get(model)
    if known is None:
        try:
            litellm.cost_per_token(model=model, prompt_tokens=1, completion_tokens=1)
            known = True
        except Exception:  # litellm raises for a model it has no price for
            known = False
        _priced[model] = known
    return known


def compute_cost(model: str, usage: Usage, reported: Any = None) -> float:
    """USD for ``usage`` on ``model``; litellm's own figure when it computed one; 0.0 when the
    model has no known price (a local or fine-tuned model). Never raises."""
    if isinstance(reported, (int, float)) and reported >= 0:
        return float(reported)
    if not is_priced(model):
        return 0.0
    try:
        prompt, completion = load_litellm().cost_per_token(
            model=model,
            prompt_tokens=usage.prompt_tokens,
            completion_tokens=usage.completion_tokens,
        )
        return float(prompt + completion)
    except Exception:  # a price entry litellm cannot apply: cost is unknown, not an error
        return 0.0


# --------------------------------------------------------------------- responses
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

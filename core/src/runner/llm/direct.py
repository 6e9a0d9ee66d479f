"""The ``direct`` transport: OpenAI-compatible chat completions over aiohttp, without litellm.

litellm translates between providers, and that costs about 5-8 ms of client CPU per call (its
dispatch, logging object, cost calculation and response conversion). An endpoint that already
speaks OpenAI's chat-completions API (OpenAI itself, vLLM, a self-hosted server, the local test
server) needs none of it. With ``"transport": "direct"`` in a call's arguments
(``--agent-llm-args '{"api_base": "...", "transport": "direct"}'``) the gateway POSTs the request
itself: about 10x less CPU per call, which is what lets one process keep a thousand
conversations in flight. Everything else is the gateway's as usual (retries, timeouts, cache,
cost, key scrubbing); streaming always goes through litellm.

The request body is the OpenAI one: ``model`` (a leading ``openai/``, ``hosted_vllm/`` or
``custom_openai/`` provider prefix is removed), ``messages``, and every other argument as is,
except the connection ones (``api_base``, ``api_key``, ``extra_headers`` ...); ``extra_body`` is
merged into the body. ``api_base`` defaults to ``OPENAI_BASE_URL`` / ``OPENAI_API_BASE`` or
OpenAI's, ``api_key`` to ``OPENAI_API_KEY``. Costs use litellm's per-token prices for the model
(looked up once per model; tiered and cached-token prices are not applied).
"""

from __future__ import annotations

import json
import os
import weakref
from typing import Any

from runner.llm.provider import compute_cost as litellm_cost
from runner.llm.provider import usage_from
from runner.llm.response import LLMToolCall, Usage

DEFAULT_API_BASE = "https://api.openai.com/v1"
PROVIDER_PREFIXES = ("openai/", "hosted_vllm/", "custom_openai/")
#: Arguments about the connection, not the request body.
CONNECTION_ARGS = frozenset(
    {
        "api_base",
        "base_url",
        "api_key",
        "api_version",
        "organization",
        "extra_headers",
        "headers",
        "extra_body",
        "metadata",
        "drop_params",
        "custom_llm_provider",
    }
)
_sessions: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()
_keepers: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()
_prices: dict[str, tuple[float, float]] = {}
_timeouts: dict[float | None, Any] = {}
_CACHE_SIZE = 256
_system_json: dict[str, str] = {}
#: id(tools list) -> (the list, its JSON); the list is kept so its id cannot be reused.
_tools_json: dict[int, tuple[Any, str]] = {}


class APIStatusError(Exception):
    """The endpoint answered with an HTTP error (``status_code``; ``response.headers`` for
    ``Retry-After``). The gateway classifies it like litellm's errors: 429, 408 and 5xx are
    retried, a context overflow is reported as such, the rest is refused."""

    def __init__(self, status: int, message: str, headers: Any = None) -> None:
        super().__init__(message)
        self.status_code = status
        self.response = _Response(status, headers or {})


class AuthenticationError(APIStatusError):
    pass


class PermissionDeniedError(APIStatusError):
    pass


class NotFoundError(APIStatusError):
    pass


class BadRequestError(APIStatusError):
    pass


class RateLimitError(APIStatusError):
    pass


class InternalServerError(APIStatusError):
    pass


_BY_STATUS = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    429: RateLimitError,
}


class _Response:
    def __init__(self, status: int, headers: Any) -> None:
        self.status_code = status
        self.headers = headers


async def acompletion(
    model: str, messages: list[dict[str, Any]], *, timeout: float | None = None, **args: Any
) -> dict[str, Any]:
    """POST one chat completion; the decoded JSON answer (raises :class:`APIStatusError`)."""
    import aiohttp

    base = args.get("api_base") or args.get("base_url") or _env_base()
    url = str(base).rstrip("/") + "/chat/completions"
    headers = {"Content-Type": "application/json"}
    key = args.get("api_key") or os.environ.get("OPENAI_API_KEY")
    if key:
        headers["Authorization"] = f"Bearer {key}"
    for name in ("headers", "extra_headers"):
        headers.update(args.get(name) or {})
    body: dict[str, Any] = {"model": _model_name(model)}
    body.update((k, v) for k, v in args.items() if k not in CONNECTION_ARGS and v is not None)
    body.update(args.get("extra_body") or {})
    data = encode_body(body, messages)
    session = await _session()
    limit = _timeouts.get(timeout)
    if limit is None:
        limit = _timeouts[timeout] = aiohttp.ClientTimeout(total=timeout)
    async with session.post(url, data=data, headers=headers, timeout=limit) as response:
        raw = await response.read()
        if response.status != 200:
            raise _status_error(response.status, raw, response.headers)
    try:
        answer = json.loads(raw)
    except ValueError:
        raise InternalServerError(
            502, f"the endpoint's answer is not JSON: {raw[:200]!r}"
        ) from None
    if not isinstance(answer, dict):
        raise InternalServerError(502, f"the endpoint's answer is not an object: {raw[:200]!r}")
    return answer


def encode_body(body: dict[str, Any], messages: list[dict[str, Any]]) -> bytes:
    """``json.dumps({**body, "messages": messages})``, reusing the encoding of what repeats from
    call to call: system prompts (by text) and tool lists (the same list object). Encoding the
    whole request was a tenth of the client's CPU with a thousand conversations in flight."""
    tools = body.pop("tools", None)
    parts = [json.dumps(body)[:-1], ', "messages": [']
    for i, message in enumerate(messages):
        if i:
            parts.append(", ")
        content = message.get("content")
        if message.get("role") == "system" and len(message) == 2 and isinstance(content, str):
            encoded = _system_json.get(content)
            if encoded is None:
                if len(_system_json) >= _CACHE_SIZE:
                    _system_json.clear()
                encoded = _system_json[content] = json.dumps(message)
            parts.append(encoded)
        else:
            parts.append(json.dumps(message))
    parts.append("]")
    if tools is not None:
        entry = _tools_json.get(id(tools))
        if entry is None or entry[0] is not tools:
            entry = (tools, json.dumps(tools))
            if len(_tools_json) >= _CACHE_SIZE:
                _tools_json.clear()
            _tools_json[id(tools)] = entry
        parts += [', "tools": ', entry[1]]
    parts.append("}")
    return "".join(parts).encode()


def response_parts(answer: dict[str, Any]) -> dict[str, Any]:
    """The parts of an :class:`~runner.llm.LLMResponse`, from an OpenAI JSON answer (the same
    keys as :func:`runner.llm.provider.response_parts`)."""
    choice = answer["choices"][0]
    message = choice.get("message") or {}
    tool_calls = [
        LLMToolCall(
            id=call.get("id") or f"call_{i}",
            name=(call.get("function") or {}).get("name") or "",
            arguments=(call.get("function") or {}).get("arguments") or "",
        )
        for i, call in enumerate(message.get("tool_calls") or [])
    ]
    return {
        "content": message.get("content"),
        "tool_calls": tool_calls,
        "reasoning_content": message.get("reasoning_content") or message.get("reasoning"),
        "thinking_blocks": message.get("thinking_blocks"),
        "usage": usage_from(answer.get("usage")),
        "reported_cost": None,
        "model": answer.get("model") or "",
        "finish_reason": choice.get("finish_reason"),
    }


def compute_cost(model: str, usage: Usage) -> float:
    """USD for ``usage`` at litellm's per-token prices of ``model`` (0.0 when unknown)."""
    prices = _prices.get(model)
    if prices is None:
        million = 1_000_000
        prompt = litellm_cost(model, Usage(prompt_tokens=million)) / million
        completion = litellm_cost(model, Usage(completion_tokens=million)) / million
        prices = _prices[model] = (prompt, completion)
    return usage.prompt_tokens * prices[0] + usage.completion_tokens * prices[1]


def _model_name(model: str) -> str:
    for prefix in PROVIDER_PREFIXES:
        if model.startswith(prefix):
            return model[len(prefix) :]
    return model


def _env_base() -> str:
    return (
        os.environ.get("OPENAI_BASE_URL") or os.environ.get("OPENAI_API_BASE") or DEFAULT_API_BASE
    )


def _status_error(status: int, raw: bytes, headers: Any) -> APIStatusError:
    try:
        error = json.loads(raw).get("error") or {}
        message = error.get("message") if isinstance(error, dict) else str(error)
    except (ValueError, AttributeError):
        message = None
    message = message or raw[:300].decode(errors="replace") or f"HTTP {status}"
    cls = _BY_STATUS.get(status, InternalServerError if status >= 500 else APIStatusError)
    return cls(status, message, headers)


async def _session() -> Any:
    """One connection pool per event loop (no connection cap), closed with the loop."""
    import asyncio

    import aiohttp

    loop = asyncio.get_running_loop()
    session = _sessions.get(loop)
    if session is None or session.closed:
        connector = aiohttp.TCPConnector(limit=0, limit_per_host=0, ttl_dns_cache=300)
        session = aiohttp.ClientSession(connector=connector)
        _sessions[loop] = session
        keeper = _close_with_loop(session)
        await keeper.__anext__()  # the loop finalises it (closing the session) when it shuts down
        _keepers[loop] = keeper
    return session


async def _close_with_loop(session: Any) -> Any:
    try:
        yield
    finally:
        await session.close()

"""The ``direct`` transport: OpenAI-compatible chat completions over pyreqwest, without litellm.

litellm translates between providers, and that costs milliseconds of client CPU per call (its
dispatch, logging object, cost calculation and response conversion). An endpoint that already
speaks OpenAI's chat-completions API (OpenAI itself, vLLM, a self-hosted server, the local test
server) needs none of it. The HTTP client is pyreqwest (Rust's reqwest, on its own thread): the
event loop only hands it a request and picks up the answer. With a thousand calls starting at
once, a Python client (aiohttp) spent event-loop CPU on every call, mostly opening
connections, which alone used up most of the time left beside a slow answer. With
``"transport": "direct"`` in a call's arguments
(``--agent-llm-args '{"api_base": "...", "transport": "direct"}'``) the gateway POSTs the request
itself: a small fraction of litellm's CPU per call, which is what lets one process keep a
thousand conversations in flight (figures in ``docs/performance.md``). Everything else is the
gateway's as usual (retries, timeouts, cache, cost, key scrubbing), streaming included:
:func:`astream` reads the server-sent events.

The request body is the OpenAI one: ``model`` (a leading ``openai/``, ``hosted_vllm/`` or
``custom_openai/`` provider prefix is removed), ``messages``, and every other argument as is,
except the connection ones (``api_base``, ``api_key``, ``extra_headers`` ...); ``extra_body`` is
merged into the body. ``api_base`` defaults to ``OPENAI_BASE_URL`` / ``OPENAI_API_BASE`` or
OpenAI's, ``api_key`` to ``OPENAI_API_KEY`` (for ``hosted_vllm/`` names, as with litellm,
``HOSTED_VLLM_API_BASE`` and ``HOSTED_VLLM_API_KEY``).

Costs use litellm's per-token prices without importing litellm (its import takes seconds and
much memory, and would block the event loop on a run's first answer):
:mod:`runner.llm.prices` reads the price list litellm ships in its package, once per process,
and finds the model's entry the way litellm does for ``openai/``, ``hosted_vllm/`` and
``custom_openai/`` names and for bare names litellm routes to OpenAI, so both transports charge
the same. Prices are looked up once per model; tiered (long-context) and cached-token prices are
not applied. Any other name (a bare ``claude-...``), or a price list that cannot be read, is
priced by litellm itself.
"""

from __future__ import annotations

import json
import os
import weakref
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

from pyreqwest.exceptions import PyreqwestError, TransportError

from runner.llm.prices import Prices, per_token_prices
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
#: Where litellm looks for a base URL and a key when the call names none, per provider prefix.
_ENV_NAMES: dict[str, tuple[tuple[str, ...], str]] = {
    "openai": (("OPENAI_BASE_URL", "OPENAI_API_BASE"), "OPENAI_API_KEY"),
    "hosted_vllm": (("HOSTED_VLLM_API_BASE",), "HOSTED_VLLM_API_KEY"),
}
_clients: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()
_keepers: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()
_prices: dict[str, Prices] = {}
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


class APIConnectionError(Exception):
    """The endpoint could not be reached, or the connection broke (retried)."""


class APITimeoutError(APIConnectionError, TimeoutError):
    """The request ran past its timeout (retried)."""


class InvalidRequestError(Exception):
    """The request cannot be sent as given (a malformed URL or header): not retried."""


class _Response:
    def __init__(self, status: int, headers: Any) -> None:
        self.status_code = status
        self.headers = headers


async def acompletion(
    model: str, messages: list[dict[str, Any]], *, timeout: float | None = None, **args: Any
) -> dict[str, Any]:
    """POST one chat completion; the decoded JSON answer (raises :class:`APIStatusError`)."""
    url, headers, data = _request(model, messages, args)
    client = await _client()
    try:
        request = client.post(url).headers(headers).body_bytes(data)
        if timeout is not None:
            limit = _timeouts.get(timeout)
            if limit is None:
                limit = _timeouts[timeout] = timedelta(seconds=timeout)
            request = request.timeout(limit)
        response = await request.build().send()
        raw = bytes(await response.bytes())
    except (PyreqwestError, ValueError) as exc:
        raise _client_error(exc, url) from None
    if response.status != 200:
        raise _status_error(response.status, raw, _retry_headers(response))
    answer = _decode(raw, "answer")
    if not isinstance(answer, dict):
        raise InternalServerError(502, f"the endpoint's answer is not an object: {raw[:200]!r}")
    return answer


async def astream(model: str, messages: list[dict[str, Any]], **args: Any) -> AsyncIterator[Chunk]:
    """POST one streamed chat completion; yield its chunks (server-sent ``data:`` events) as
    :class:`Chunk` objects, which :class:`~runner.llm.streaming.StreamAssembler` reads like
    litellm's. No overall timeout: the gateway bounds the wait for each chunk."""
    url, headers, data = _request(model, messages, {**args, "stream": True})
    client = await _client()
    try:
        async with client.post(url).headers(headers).body_bytes(data).build_streamed() as response:
            if response.status != 200:
                raw = bytes(await response.bytes())
                raise _status_error(response.status, raw, _retry_headers(response))
            reader, pending, events = response.body_reader, b"", 0
            while (piece := await reader.read_chunk()) is not None:
                *lines, pending = (pending + bytes(piece)).split(b"\n")
                for line in lines:
                    if not line.startswith(b"data:"):
                        continue  # blank separators, comments, other event fields
                    payload = line[5:].strip()
                    if payload == b"[DONE]":
                        return
                    events += 1
                    yield _decode(payload, "stream chunk", object_hook=Chunk)
            if not events:  # a plain body where a stream was asked for: retried, as a 502
                raise InternalServerError(
                    502, f"the endpoint's stream holds no data events: {pending[:200]!r}"
                )
    except (PyreqwestError, ValueError) as exc:
        raise _client_error(exc, url) from None


class Chunk(dict):  # type: ignore[type-arg]
    """One decoded stream chunk (or a part of one): keys read as attributes, ``None`` when
    absent, as on litellm's chunk objects."""

    __getattr__ = dict.get


def _request(
    model: str, messages: list[dict[str, Any]], args: dict[str, Any]
) -> tuple[str, dict[str, str], bytes]:
    """The URL, headers and JSON body of one call."""
    env = _ENV_NAMES["hosted_vllm" if model.startswith("hosted_vllm/") else "openai"]
    base = args.get("api_base") or args.get("base_url") or _env_base(env[0])
    url = str(base).rstrip("/") + "/chat/completions"
    headers = {"Content-Type": "application/json"}
    key = args.get("api_key") or os.environ.get(env[1])
    if key:
        headers["Authorization"] = f"Bearer {key}"
    for name in ("headers", "extra_headers"):
        headers.update(args.get(name) or {})
    body: dict[str, Any] = {"model": _model_name(model)}
    body.update((k, v) for k, v in args.items() if k not in CONNECTION_ARGS and v is not None)
    body.update(args.get("extra_body") or {})
    return url, headers, encode_body(body, messages)


def _decode(raw: bytes, what: str, **options: Any) -> Any:
    """JSON from the endpoint; a body that is not JSON is a retried 502, as with litellm."""
    try:
        return json.loads(raw, **options)
    except ValueError:
        raise InternalServerError(
            502, f"the endpoint's {what} is not JSON: {raw[:200]!r}"
        ) from None


def encode_body(body: dict[str, Any], messages: list[dict[str, Any]]) -> bytes:
    """``json.dumps({**body, "messages": messages})``, reusing the encoding of what repeats from
    call to call: system prompts (by text) and tool lists (the same list object). Encoding the
    whole request each time was a sizeable share of the client's CPU with many conversations
    in flight (``docs/performance.md``, *LLM simulations*)."""
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
        prices = per_token_prices(model)
        if prices is None:
            prices = _litellm_prices(model)
        _prices[model] = prices
    return usage.prompt_tokens * prices[0] + usage.completion_tokens * prices[1]


def _litellm_prices(model: str) -> Prices:
    """litellm's own per-token prices (for a name :mod:`runner.llm.prices` leaves to it): the
    cost of one token, so no long-context tier applies; (0.0, 0.0) without litellm."""
    try:
        from runner.llm.provider import compute_cost as litellm_cost

        return (
            litellm_cost(model, Usage(prompt_tokens=1)),
            litellm_cost(model, Usage(completion_tokens=1)),
        )
    except ImportError:
        return (0.0, 0.0)


def _model_name(model: str) -> str:
    for prefix in PROVIDER_PREFIXES:
        if model.startswith(prefix):
            return model[len(prefix) :]
    return model


def _env_base(names: tuple[str, ...]) -> str:
    return next((os.environ[n] for n in names if os.environ.get(n)), DEFAULT_API_BASE)


def _status_error(status: int, raw: bytes, headers: Any) -> APIStatusError:
    try:
        error = json.loads(raw).get("error") or {}
        message = error.get("message") if isinstance(error, dict) else str(error)
    except (ValueError, AttributeError):
        message = None
    message = message or raw[:300].decode(errors="replace") or f"HTTP {status}"
    cls = _BY_STATUS.get(status, InternalServerError if status >= 500 else APIStatusError)
    return cls(status, message, headers)


def _client_error(exc: Exception, url: str) -> Exception:
    """pyreqwest's error as one readable line: its message and the chain of causes under it
    (``connection error: ...: tcp connect error: Connection refused (os error 111)``). Network
    errors and timeouts are retried; a request that cannot be built (a bad URL or header) is
    refused."""
    details = getattr(exc, "details", None) or {}
    causes = [c.get("message") for c in details.get("causes") or [] if isinstance(c, dict)]
    parts = [getattr(exc, "message", None) or str(exc), *causes]
    message = ": ".join(str(part) for part in parts if part) or type(exc).__name__
    if isinstance(exc, TimeoutError):
        return APITimeoutError(message)
    if isinstance(exc, TransportError):  # connecting, sending or reading failed
        return APIConnectionError(message)
    return InvalidRequestError(f"cannot send a request to {url}: {message}")


def _retry_headers(response: Any) -> dict[str, str]:
    """The headers the gateway's retry layer reads (``Retry-After``), as a plain mapping."""
    return {
        name: value
        for name in ("retry-after", "retry-after-ms")
        if (value := response.get_header(name)) is not None
    }


async def _client() -> Any:
    """One HTTP client per event loop (no connection cap), closed with the loop."""
    import asyncio

    from pyreqwest.client import ClientBuilder

    loop = asyncio.get_running_loop()
    client = _clients.get(loop)
    if client is None:
        client = _clients[loop] = ClientBuilder().max_connections(None).build()
        keeper = _close_with_loop(client)
        await keeper.__anext__()  # the loop finalises it (closing the client) when it shuts down
        _keepers[loop] = keeper
    return client


async def _close_with_loop(client: Any) -> Any:
    try:
        yield
    finally:
        await client.close()

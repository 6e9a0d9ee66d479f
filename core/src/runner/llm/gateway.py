"""The LLM gateway: every LLM call in runner goes through :class:`LLMGateway`.

It sends each call through a transport (:mod:`runner.llm.transports`: litellm, or straight to
an OpenAI-compatible endpoint; :mod:`runner.llm.routing` chooses) with exactly one retry layer
(litellm's and the OpenAI SDK's own retries are switched off): exponential backoff with full
jitter on rate limits (honouring ``Retry-After``), 5xx, timeouts and connection errors, via
``tenacity`` (:mod:`runner.llm.retries`). Each call has a timeout, reports usage and cost, and can be served
from an on-disk cache. Failures come out as
:class:`~runner.llm.errors.LLMError` (retryable kind, exhausted),
:class:`~runner.llm.errors.LLMRequestError` (refused) or
:class:`~runner.errors.ContextWindowExceededError`, with API keys scrubbed from every message.

``get_gateway()`` is the process-wide default; ``configure_gateway(...)`` replaces it. A run
never changes it: it gets its own gateway (``runner.run.build.run_gateway``) when it sets LLM
options, handed to its participants as ``BuildContext.gateway``.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from runner.llm.arguments import pop_transport, request_args, secrets_of
from runner.llm.cache import ResponseCache, cache_key
from runner.llm.errors import Failure, classify, final_error
from runner.llm.response import LLMResponse, StreamEvent, Usage, build_response
from runner.llm.retries import with_retries
from runner.llm.routing import check_transport
from runner.llm.streaming import StreamAssembler, close_stream, next_chunk, replay
from runner.llm.transports import TRANSPORTS


@dataclass
class GatewayStats:
    """Counters over the gateway's lifetime (cheap; read them for run metrics or benches)."""

    calls: int = 0
    cache_hits: int = 0
    retries: int = 0
    failures: int = 0
    cost: float = 0.0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    #: Calls sent (not served from the cache) by each transport: ``{"litellm": 3, "direct": 9}``.
    transports: dict[str, int] = field(default_factory=dict)


class LLMGateway:
    """Calls LLMs through litellm with retries, timeouts, cost accounting and caching.

    ``max_retries``: retries after the first attempt (so ``max_retries + 1`` attempts at most).
    ``timeout``: seconds per attempt (``None``: no limit); a call may override it.
    ``cache_dir``: record responses there and replay them on identical calls.
    ``backoff_base``/``backoff_max``: the exponential backoff's first step and cap, in seconds;
    a ``Retry-After`` from the provider is honoured instead when present.
    ``transport``: how calls that name no ``transport`` are sent: ``auto`` (direct for an
    OpenAI-compatible endpoint the user runs, litellm for providers; :mod:`runner.llm.routing`),
    ``litellm``, or ``direct`` (straight to an OpenAI-compatible endpoint,
    :mod:`runner.llm.direct`).
    """

    def __init__(
        self,
        *,
        max_retries: int = 5,
        timeout: float | None = 600,
        cache_dir: str | Path | None = None,
        backoff_base: float = 1.0,
        backoff_max: float = 60.0,
        transport: str = "auto",
    ) -> None:
        self.max_retries = max_retries
        self.timeout = timeout
        self.cache = ResponseCache(cache_dir) if cache_dir is not None else None
        self.backoff_base = backoff_base
        self.backoff_max = backoff_max
        self.transport = check_transport(transport)
        self.stats = GatewayStats()

    def with_options(self, **options: Any) -> LLMGateway:
        """A new gateway with this one's settings, ``options`` changed (fresh stats)."""
        settings: dict[str, Any] = {
            "max_retries": self.max_retries,
            "timeout": self.timeout,
            "cache_dir": self.cache.directory if self.cache is not None else None,
            "backoff_base": self.backoff_base,
            "backoff_max": self.backoff_max,
            "transport": self.transport,
        }
        return LLMGateway(**{**settings, **options})

    # ------------------------------------------------------------------ public API
    async def complete(
        self,
        model: str,
        messages: list[dict[str, Any]],
        *,
        tools: list[dict[str, Any]] | None = None,
        tool_choice: Any = None,
        parallel_tool_calls: bool | None = None,
        response_format: Any = None,
        timeout: float | None = None,
        **llm_args: Any,
    ) -> LLMResponse:
        """One chat completion. ``llm_args`` go to litellm unchanged (``temperature``,
        ``api_base``, ``api_key``, ``seed``, ``reasoning_effort``, ...), except
        ``num_retries``/``max_retries`` (the gateway is the retry layer) and ``stream`` (use
        :meth:`stream`), which are ignored. ``transport`` overrides the gateway's choice of
        client for this call (``auto``, ``litellm`` or ``direct``; :mod:`runner.llm.routing`)."""
        args = request_args(tools, tool_choice, parallel_tool_calls, response_format, llm_args)
        transport = TRANSPORTS[pop_transport(model, args, self.transport)]
        key = self._cached_key(model, messages, args)
        if key is not None and (hit := self.cache.get(key)) is not None:  # type: ignore[union-attr]
            self.stats.cache_hits += 1
            return hit
        self._count(transport.name)
        secrets = secrets_of(args)
        call_timeout = self.timeout if timeout is None else timeout
        transport.prepare()
        started = time.perf_counter()

        async def attempt() -> dict[str, Any]:
            return await transport.complete(model, messages, args, call_timeout)

        parts, attempts = await with_retries(attempt, self, model, secrets, call_timeout)
        response = build_response(
            content=parts["content"],
            tool_calls=parts["tool_calls"],
            reasoning_content=parts["reasoning_content"],
            thinking_blocks=parts["thinking_blocks"],
            usage=parts["usage"],
            cost=transport.price(model, parts["usage"], parts.get("reported_cost")),
            model=parts["model"] or model,
            finish_reason=parts["finish_reason"],
            latency=time.perf_counter() - started,
            attempts=attempts,
        )
        self._account(response, key, secrets)
        return response

    async def stream(
        self,
        model: str,
        messages: list[dict[str, Any]],
        *,
        tools: list[dict[str, Any]] | None = None,
        tool_choice: Any = None,
        parallel_tool_calls: bool | None = None,
        response_format: Any = None,
        timeout: float | None = None,
        **llm_args: Any,
    ) -> AsyncIterator[StreamEvent]:
        """Stream one chat completion: text, reasoning and tool-call deltas as they arrive, then
        a ``kind="response"`` event with the assembled :class:`LLMResponse`.

        Failures before the first chunk are retried like :meth:`complete`; a failure after
        deltas were delivered cannot be retried transparently and raises at once. ``timeout``
        bounds the wait for each chunk.
        """
        args = request_args(tools, tool_choice, parallel_tool_calls, response_format, llm_args)
        transport = TRANSPORTS[pop_transport(model, args, self.transport)]
        key = self._cached_key(model, messages, args)
        if key is not None and (hit := self.cache.get(key)) is not None:  # type: ignore[union-attr]
            self.stats.cache_hits += 1
            for event in replay(hit):
                yield event
            return
        self._count(transport.name)
        secrets = secrets_of(args)
        call_timeout = self.timeout if timeout is None else timeout
        transport.prepare()
        started = time.perf_counter()
        assembler = StreamAssembler()
        options = {**(args.get("stream_options") or {}), "include_usage": True}
        stream_args = {**args, "stream_options": options}

        async def attempt() -> tuple[Any, Any]:
            stream = await transport.open_stream(model, messages, stream_args, call_timeout)
            iterator = stream.__aiter__()
            try:  # errors up to the first chunk are still retryable
                first = await next_chunk(iterator, call_timeout)
            except BaseException:
                await close_stream(iterator)  # release the connection before the next attempt
                raise
            return iterator, first

        (iterator, chunk), attempts = await with_retries(
            attempt, self, model, secrets, call_timeout
        )
        try:
            while chunk is not None:
                for event in assembler.add(chunk):
                    yield event
                failure: Failure | None = None
                try:
                    chunk = await next_chunk(iterator, call_timeout)
                except Exception as exc:
                    failure = classify(exc, secrets)
                if failure is not None:  # raised outside ``except``: nothing unscrubbed chained
                    self.stats.failures += 1
                    raise final_error(failure, model, attempts)
        finally:
            await close_stream(iterator)
        usage = assembler.usage or Usage()
        response = assembler.response(
            model=model,
            cost=transport.price(model, usage, assembler.reported_cost),
            latency=time.perf_counter() - started,
            attempts=attempts,
        )
        self._account(response, key, secrets)
        yield StreamEvent("response", response=response)

    # ------------------------------------------------------------------ internals
    def _cached_key(
        self, model: str, messages: list[dict[str, Any]], args: dict[str, Any]
    ) -> str | None:
        return cache_key(model, messages, args) if self.cache is not None else None

    def _count(self, transport: str) -> None:
        transports = self.stats.transports
        transports[transport] = transports.get(transport, 0) + 1

    def _account(self, response: LLMResponse, key: str | None, secrets: tuple[str, ...]) -> None:
        """Count a completed call in the stats and store it in the cache."""
        self.stats.cost += response.cost
        self.stats.prompt_tokens += response.usage.prompt_tokens
        self.stats.completion_tokens += response.usage.completion_tokens
        if key is not None:
            self.cache.put(key, response, secrets)  # type: ignore[union-attr]


_default: LLMGateway | None = None


def get_gateway() -> LLMGateway:
    """The process-wide gateway (created with defaults on first use)."""
    global _default
    if _default is None:
        _default = LLMGateway()
    return _default


def configure_gateway(**options: Any) -> LLMGateway:
    """Replace the process-wide gateway with one built from ``options`` and return it."""
    global _default
    _default = LLMGateway(**options)
    return _default

"""The LLM gateway: every LLM call in runner goes through :class:`LLMGateway`.

It wraps ``litellm.acompletion`` with exactly one retry layer (litellm's and the OpenAI SDK's
own retries are switched off): exponential backoff with full jitter on rate limits (honouring
``Retry-After``), 5xx, timeouts and connection errors, via ``tenacity``. Each call has a
timeout, reports usage and cost, and can be served from an on-disk cache. Failures come out as
:class:`~runner.llm.errors.LLMError` (retryable kind, exhausted),
:class:`~runner.llm.errors.LLMRequestError` (refused) or
:class:`~runner.errors.ContextWindowExceededError`, with API keys scrubbed from every message.

``get_gateway()`` is the process-wide default; ``configure_gateway(...)`` replaces it.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from runner.llm import provider
from runner.llm.cache import ResponseCache, cache_key
from runner.llm.errors import (
    EmptyResponseError,
    Failure,
    RetryableFailure,
    classify,
    final_error,
)
from runner.llm.response import LLMResponse, StreamEvent, Usage, build_response
from runner.llm.streaming import StreamAssembler

logger = logging.getLogger("runner.llm")
T = TypeVar("T")
# Arguments the gateway sets itself: its own retry layer, and streaming (``stream()`` decides).
_OWN_ARGS = ("num_retries", "max_retries", "stream")


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


class LLMGateway:
    """Calls LLMs through litellm with retries, timeouts, cost accounting and caching.

    ``max_retries``: retries after the first attempt (so ``max_retries + 1`` attempts at most).
    ``timeout``: seconds per attempt (``None``: no limit); a call may override it.
    ``cache_dir``: record responses there and replay them on identical calls.
    ``backoff_base``/``backoff_max``: the exponential backoff's first step and cap, in seconds;
    a ``Retry-After`` from the provider is honoured instead when present.
    """

    def __init__(
        self,
        *,
        max_retries: int = 5,
        timeout: float | None = 600,
        cache_dir: str | Path | None = None,
        backoff_base: float = 1.0,
        backoff_max: float = 60.0,
    ) -> None:
        self.max_retries = max_retries
        self.timeout = timeout
        self.cache = ResponseCache(cache_dir) if cache_dir is not None else None
        self.backoff_base = backoff_base
        self.backoff_max = backoff_max
        self.stats = GatewayStats()

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
        :meth:`stream`), which are ignored. ``transport="direct"`` sends the request to an
        OpenAI-compatible endpoint without litellm (see :mod:`runner.llm.direct`)."""
        args = _request_args(tools, tool_choice, parallel_tool_calls, response_format, llm_args)
        transport = _transport(args)
        key = self._cached_key(model, messages, args)
        if key is not None and (hit := self.cache.get(key)) is not None:  # type: ignore[union-attr]
            self.stats.cache_hits += 1
            return hit
        secrets = _secrets(args)
        call_timeout = self.timeout if timeout is None else timeout
        if transport == "direct":
            return await self._complete_direct(model, messages, args, key, secrets, call_timeout)
        provider.load_litellm()  # its import takes seconds: not inside the first attempt's timeout
        started = time.perf_counter()

        async def attempt() -> Any:
            raw = await provider.acompletion(
                model=model,
                messages=messages,
                timeout=call_timeout,
                num_retries=0,
                max_retries=0,
                **args,
            )
            if not getattr(raw, "choices", None):
                raise EmptyResponseError("the provider answered without any choice")
            return raw

        raw, attempts = await self._with_retries(attempt, model, secrets, call_timeout)
        parts = provider.response_parts(raw)
        cost = provider.compute_cost(model, parts["usage"], parts["reported_cost"])
        return self._finish(model, parts, cost, started, attempts, key, secrets)

    def _finish(
        self,
        model: str,
        parts: dict[str, Any],
        cost: float,
        started: float,
        attempts: int,
        key: str | None,
        secrets: tuple[str, ...],
    ) -> LLMResponse:
        """The response of one completed call, counted in the stats and stored in the cache."""
        response = build_response(
            content=parts["content"],
            tool_calls=parts["tool_calls"],
            reasoning_content=parts["reasoning_content"],
            thinking_blocks=parts["thinking_blocks"],
            usage=parts["usage"],
            cost=cost,
            model=parts["model"] or model,
            finish_reason=parts["finish_reason"],
            latency=time.perf_counter() - started,
            attempts=attempts,
        )
        self._account(response)
        if key is not None:
            self.cache.put(key, response, secrets)  # type: ignore[union-attr]
        return response

    async def _complete_direct(
        self,
        model: str,
        messages: list[dict[str, Any]],
        args: dict[str, Any],
        key: str | None,
        secrets: tuple[str, ...],
        call_timeout: float | None,
    ) -> LLMResponse:
        """:meth:`complete` over the direct transport (same retries, cost, cache)."""
        from runner.llm import direct

        started = time.perf_counter()

        async def attempt() -> Any:
            answer = await direct.acompletion(model, messages, timeout=call_timeout, **args)
            if not answer.get("choices"):
                raise EmptyResponseError("the provider answered without any choice")
            return answer

        answer, attempts = await self._with_retries(attempt, model, secrets, call_timeout)
        parts = direct.response_parts(answer)
        cost = direct.compute_cost(model, parts["usage"])
        return self._finish(model, parts, cost, started, attempts, key, secrets)

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
        args = _request_args(tools, tool_choice, parallel_tool_calls, response_format, llm_args)
        _transport(args)  # streaming always goes through litellm
        key = self._cached_key(model, messages, args)
        if key is not None and (hit := self.cache.get(key)) is not None:  # type: ignore[union-attr]
            self.stats.cache_hits += 1
            for event in _replay(hit):
                yield event
            return
        secrets = _secrets(args)
        call_timeout = self.timeout if timeout is None else timeout
        provider.load_litellm()  # its import takes seconds: not inside the first attempt's timeout
        started = time.perf_counter()
        assembler = StreamAssembler()
        options = {**(args.get("stream_options") or {}), "include_usage": True}
        stream_args = {**args, "stream_options": options}

        async def attempt() -> tuple[Any, Any]:
            stream = await provider.acompletion(
                model=model,
                messages=messages,
                timeout=call_timeout,
                stream=True,
                num_retries=0,
                max_retries=0,
                **stream_args,
            )
            iterator = stream.__aiter__()
            try:  # errors up to the first chunk are still retryable
                first = await _next_chunk(iterator, call_timeout)
            except BaseException:
                await _close(iterator)  # release the connection before the next attempt
                raise
            return iterator, first

        (iterator, chunk), attempts = await self._with_retries(
            attempt, model, secrets, call_timeout
        )
        try:
            while chunk is not None:
                for event in assembler.add(chunk):
                    yield event
                failure: Failure | None = None
                try:
                    chunk = await _next_chunk(iterator, call_timeout)
                except Exception as exc:
                    failure = classify(exc, secrets)
                if failure is not None:  # raised outside ``except``: nothing unscrubbed chained
                    self.stats.failures += 1
                    raise final_error(failure, model, attempts)
        finally:
            await _close(iterator)
        response = assembler.response(
            model=model,
            cost=provider.compute_cost(model, assembler.usage or Usage(), assembler.reported_cost),
            latency=time.perf_counter() - started,
            attempts=attempts,
        )
        self._account(response)
        if key is not None:
            self.cache.put(key, response, secrets)  # type: ignore[union-attr]
        yield StreamEvent("response", response=response)

    # ------------------------------------------------------------------ internals
    def _cached_key(
        self, model: str, messages: list[dict[str, Any]], args: dict[str, Any]
    ) -> str | None:
        return cache_key(model, messages, args) if self.cache is not None else None

    async def _with_retries(
        self,
        attempt: Callable[[], Awaitable[T]],
        model: str,
        secrets: tuple[str, ...],
        call_timeout: float | None,
    ) -> tuple[T, int]:
        """Run ``attempt`` until it succeeds, fails for good, or retries run out.

        The first attempt runs without tenacity (most calls succeed at once, and setting up a
        retry loop costs more CPU than the rest of the gateway); its failure, if retryable,
        becomes attempt 1 of the tenacity loop, so waits and logs are uniform.
        """
        self.stats.calls += 1
        result, failure = await _attempt_once(attempt, call_timeout, secrets)
        if failure is None:
            return result, 1  # type: ignore[return-value]
        number = 1
        if failure.kind == "retry" and self.max_retries > 0:
            from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_attempt

            retrying = AsyncRetrying(
                stop=stop_after_attempt(self.max_retries + 1),
                wait=self._wait,
                retry=retry_if_exception_type(RetryableFailure),
                before_sleep=lambda state: self._log_retry(state, model),
                reraise=True,
            )
            try:
                async for state in retrying:
                    number = state.retry_state.attempt_number
                    with state:
                        if number > 1:
                            result, failure = await _attempt_once(attempt, call_timeout, secrets)
                            if failure is None:
                                return result, number  # type: ignore[return-value]
                        # Raised outside any ``except`` block on purpose: the provider's
                        # exception (its request headers hold the API key) is not chained.
                        if failure.kind == "retry":
                            raise RetryableFailure(failure)
                        break
            except RetryableFailure:
                pass
        self.stats.failures += 1
        raise final_error(failure, model, number)

    def _wait(self, state: Any) -> float:
        """Seconds before the next attempt: ``Retry-After`` (plus up to 10% jitter) when the
        provider sent one, else full-jitter exponential backoff."""
        exc = state.outcome.exception() if state.outcome is not None else None
        retry_after = exc.failure.retry_after if isinstance(exc, RetryableFailure) else None
        if retry_after is not None:
            return retry_after * (1.0 + 0.1 * random.random())
        ceiling = min(self.backoff_max, self.backoff_base * 2 ** (state.attempt_number - 1))
        return random.uniform(0, ceiling)

    def _log_retry(self, state: Any, model: str) -> None:
        self.stats.retries += 1
        exc = state.outcome.exception() if state.outcome is not None else None
        sleep = state.next_action.sleep if state.next_action is not None else 0.0
        logger.warning(
            "LLM call to %r failed (%s); retry %d/%d in %.2fs",
            model,
            exc,
            state.attempt_number,
            self.max_retries,
            sleep,
        )

    def _account(self, response: LLMResponse) -> None:
        self.stats.cost += response.cost
        self.stats.prompt_tokens += response.usage.prompt_tokens
        self.stats.completion_tokens += response.usage.completion_tokens


async def _attempt_once(
    attempt: Callable[[], Awaitable[T]], call_timeout: float | None, secrets: tuple[str, ...]
) -> tuple[T | None, Failure | None]:
    """One try: its result, or its failure classified (never the provider's exception)."""
    try:
        if call_timeout is None:
            return await attempt(), None
        # a hard bound in case a transport ignores litellm's own timeout
        async with asyncio.timeout(call_timeout + 5.0):
            return await attempt(), None
    except Exception as exc:
        return None, classify(exc, secrets)


def _request_args(
    tools: Any,
    tool_choice: Any,
    parallel_tool_calls: Any,
    response_format: Any,
    llm_args: dict[str, Any],
) -> dict[str, Any]:
    args = {k: v for k, v in llm_args.items() if k not in _OWN_ARGS}
    for name, value in (
        ("tools", tools),
        ("tool_choice", tool_choice),
        ("parallel_tool_calls", parallel_tool_calls),
        ("response_format", response_format),
    ):
        if value is not None:
            args[name] = value
    return args


TRANSPORTS = ("litellm", "direct")


def _transport(args: dict[str, Any]) -> str:
    """Remove and return the ``transport`` argument (``litellm`` unless ``direct``)."""
    transport = args.pop("transport", None) or "litellm"
    if transport not in TRANSPORTS:
        from runner.errors import ConfigError

        raise ConfigError(
            f"LLM argument transport={transport!r}: use 'litellm' (the default) or 'direct' "
            "(an OpenAI-compatible endpoint, without litellm)."
        )
    return transport


def _secrets(args: dict[str, Any]) -> tuple[str, ...]:
    key = args.get("api_key")
    return (key,) if isinstance(key, str) and key else ()


async def _next_chunk(iterator: Any, timeout: float | None) -> Any:
    """The next chunk, or ``None`` at the end of the stream."""
    try:
        if timeout is None:
            return await iterator.__anext__()
        async with asyncio.timeout(timeout):
            return await iterator.__anext__()
    except StopAsyncIteration:
        return None


async def _close(iterator: Any) -> None:
    close = getattr(iterator, "aclose", None)
    if close is not None:
        try:
            await close()
        except Exception:  # closing a broken stream must not hide the real outcome
            logger.debug("closing an LLM stream failed", exc_info=True)


def _replay(response: LLMResponse) -> list[StreamEvent]:
    """The events a cached response streams as: its parts as single deltas, then itself."""
    events: list[StreamEvent] = []
    if response.reasoning_content:
        events.append(StreamEvent("reasoning", response.reasoning_content))
    if response.content:
        events.append(StreamEvent("text", response.content))
    for index, call in enumerate(response.tool_calls):
        events.append(
            StreamEvent(
                "tool_call", call.arguments, index=index, tool_call_id=call.id, name=call.name
            )
        )
    events.append(StreamEvent("response", response=response))
    return events


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

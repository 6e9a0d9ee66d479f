"""The gateway's retry layer: the only one between runner and a provider.

litellm's and the OpenAI SDK's own retries are switched off, so every failure is retried here
or nowhere: rate limits (honouring ``Retry-After``), 5xx, timeouts and connection errors are
retried by ``tenacity`` with its full-jitter exponential wait (:func:`backoff`). Each attempt's
failure is classified (and scrubbed of API keys) at once, so the provider's exception, whose
request headers hold the key, is never chained to what the caller sees.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from runner.llm.errors import Failure, RetryableFailure, classify, final_error

if TYPE_CHECKING:
    from tenacity import RetryCallState

    from runner.llm.gateway import GatewayStats

logger = logging.getLogger("runner.llm")
T = TypeVar("T")


class RetrySettings(Protocol):
    """What the retry layer reads from its gateway, when it needs it (so changes apply)."""

    max_retries: int  # retries after the first attempt
    backoff_base: float  # the exponential backoff's first step, in seconds
    backoff_max: float  # its cap
    stats: GatewayStats  # counts calls, retries and failures


class wait_retry_after:
    """A tenacity wait: the provider's ``Retry-After`` (plus up to 10% jitter) when it sent
    one; else ``fallback``, another tenacity wait."""

    def __init__(self, fallback: Callable[[RetryCallState], float]) -> None:
        self.fallback = fallback

    def __call__(self, retry_state: RetryCallState) -> float:
        outcome = retry_state.outcome
        exc = outcome.exception() if outcome is not None else None
        if isinstance(exc, RetryableFailure) and exc.failure.retry_after is not None:
            return exc.failure.retry_after * (1.0 + 0.1 * random.random())
        return float(self.fallback(retry_state))


def backoff(settings: RetrySettings) -> wait_retry_after:
    """Full-jitter exponential backoff from ``backoff_base`` up to ``backoff_max``, or the
    provider's ``Retry-After``."""
    from tenacity import wait_random_exponential

    return wait_retry_after(
        wait_random_exponential(multiplier=settings.backoff_base, max=settings.backoff_max)
    )


async def with_retries(
    attempt: Callable[[], Awaitable[T]],
    settings: RetrySettings,
    model: str,
    secrets: tuple[str, ...],
    call_timeout: float | None,
) -> tuple[T, int]:
    """Run ``attempt`` until it succeeds, fails for good, or retries run out; return its result
    and the number of attempts it took."""
    from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_attempt

    settings.stats.calls += 1
    failure: Failure | None = None
    number = 0
    retrying = AsyncRetrying(
        stop=stop_after_attempt(settings.max_retries + 1),
        wait=backoff(settings),
        retry=retry_if_exception_type(RetryableFailure),
        before_sleep=lambda state: log_retry(state, model, settings),
        reraise=True,
    )
    try:
        async for state in retrying:
            number = state.retry_state.attempt_number
            with state:
                result, failure = await attempt_once(attempt, call_timeout, secrets)
                if failure is None:
                    return result, number  # type: ignore[return-value]
                # Raised outside any ``except`` block on purpose: the provider's exception
                # (its request headers hold the API key) is not chained.
                if failure.kind == "retry":
                    raise RetryableFailure(failure)
                break
    except RetryableFailure:
        pass
    assert failure is not None
    settings.stats.failures += 1
    raise final_error(failure, model, number)


async def attempt_once(
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


def log_retry(state: Any, model: str, settings: RetrySettings) -> None:
    """Count a retry and log it as a WARNING on the ``runner.llm`` logger (already scrubbed)."""
    settings.stats.retries += 1
    exc = state.outcome.exception() if state.outcome is not None else None
    sleep = state.next_action.sleep if state.next_action is not None else 0.0
    logger.warning(
        "LLM call to %r failed (%s); retry %d/%d in %.2fs",
        model,
        exc,
        state.attempt_number,
        settings.max_retries,
        sleep,
    )

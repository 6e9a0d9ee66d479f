"""How a failed LLM call is reported, and which failures are worth retrying.

Three outcomes, so callers can act without knowing litellm's exception zoo:

* :class:`LLMError` (an :class:`~runner.errors.InfrastructureError`): the provider was
  unreachable, overloaded or kept failing after every retry. The simulation ends as
  ``infrastructure_error`` and is re-run on resume.
* :class:`~runner.errors.ContextWindowExceededError`: the conversation no longer fits; never
  retried.
* :class:`LLMRequestError`: the request itself is wrong (bad argument, bad key, unknown model);
  retrying cannot help.

Every message is scrubbed of API keys first (:func:`runner.secrets.scrub`): providers sometimes
echo the key back, and the exceptions litellm raises carry request headers.
"""

from __future__ import annotations

import asyncio
import email.utils
import re
import time
from dataclasses import dataclass
from typing import Any

from runner.errors import ContextWindowExceededError, InfrastructureError
from runner.secrets import scrub


class LLMError(InfrastructureError):
    """The call failed for reasons outside the caller's control (retries exhausted, provider
    down or unreachable)."""

    def __init__(
        self, message: str, *, model: str = "", status_code: int | None = None, attempts: int = 1
    ) -> None:
        super().__init__(message)
        self.model = model
        self.status_code = status_code
        self.attempts = attempts


class LLMRequestError(Exception):
    """The provider refused the request (4xx other than 429: bad request, authentication,
    permission, unknown model). Not retried: the same request would fail again."""

    def __init__(self, message: str, *, model: str = "", status_code: int | None = None) -> None:
        super().__init__(message)
        self.model = model
        self.status_code = status_code


class EmptyResponseError(Exception):
    """Internal: the provider answered 200 without any choice (a provider glitch; retried)."""


RETRY_AFTER_MAX = 300.0  # seconds; a longer Retry-After is treated as this
_CONTEXT_PATTERNS = re.compile(
    r"context[_ ]length[_ ]exceeded|maximum context length|context window|too many tokens|"
    r"prompt is too long|input is too long|reduce the length of the messages",
    re.IGNORECASE,
)
# litellm reports a missing API key as a 500 before any request is sent: not worth retrying.
_MISSING_KEY = re.compile(
    r"missing credentials|api_key client option must be set|no api key|api key (?:is )?missing",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Failure:
    """A provider exception, classified. ``kind``: ``retry`` (429, 5xx, timeout, connection),
    ``context`` (context window exceeded) or ``request`` (anything else)."""

    kind: str
    message: str
    status_code: int | None = None
    retry_after: float | None = None


class RetryableFailure(Exception):
    """Internal: carries a :class:`Failure` through the retry loop."""

    def __init__(self, failure: Failure) -> None:
        super().__init__(failure.message)
        self.failure = failure


def classify(exc: BaseException, secrets: tuple[str, ...] = ()) -> Failure:
    """Sort an exception raised by litellm (or the transport under it) into a :class:`Failure`."""
    name = type(exc).__name__
    status = _status_code(exc)
    label = f"{name} (HTTP {status})" if status else name
    message = scrub(f"{label}: {_without_prefixes(str(exc)) or repr(exc)}", secrets)
    if name == "ContextWindowExceededError" or (
        status in (400, 413, 422) and _CONTEXT_PATTERNS.search(str(exc))
    ):
        return Failure("context", message, status)
    if _MISSING_KEY.search(str(exc)):
        detail = _without_prefixes(str(exc)) or repr(exc)
        return Failure("request", scrub(f"no API key: {detail}", secrets), 401)
    if status == 429:
        return Failure("retry", message, status, _retry_after(exc))
    if status is not None and (status >= 500 or status == 408):
        return Failure("retry", message, status, _retry_after(exc))
    if isinstance(exc, EmptyResponseError) or _is_transport_error(exc):
        return Failure("retry", message, status)
    return Failure("request", message, status)


def final_error(failure: Failure, model: str, attempts: int) -> Exception:
    """The exception a caller sees for a failure that will not be retried (any more)."""
    if failure.kind == "context":
        return ContextWindowExceededError(
            f"The conversation does not fit the context window of {model!r}: {failure.message}"
        )
    if failure.kind == "retry":
        tries = f"after {attempts} attempt{'s' if attempts != 1 else ''}"
        return LLMError(
            f"LLM call to {model!r} failed {tries}: {failure.message}",
            model=model,
            status_code=failure.status_code,
            attempts=attempts,
        )
    return LLMRequestError(
        f"LLM request to {model!r} was refused: {failure.message}",
        model=model,
        status_code=failure.status_code,
    )


_PREFIX = re.compile(r"^\s*(?:litellm\.)?[A-Za-z]*(?:Error|Exception|Timeout)\s*[:-]\s*")


def _without_prefixes(text: str) -> str:
    """litellm's message minus the exception names it stacks in front
    (``litellm.RateLimitError: RateLimitError: OpenAIException - ...``)."""
    while (match := _PREFIX.match(text)) is not None and match.end() > 0:
        text = text[match.end() :]
    return text.strip()


def _status_code(exc: BaseException) -> int | None:
    status = getattr(exc, "status_code", None)
    if isinstance(status, int):
        return status
    response = getattr(exc, "response", None)
    status = getattr(response, "status_code", None)
    return status if isinstance(status, int) else None


def _is_transport_error(exc: BaseException) -> bool:
    if isinstance(exc, (asyncio.TimeoutError, TimeoutError, ConnectionError)):
        return True
    names = {cls.__name__ for cls in type(exc).__mro__}
    return bool(
        names
        & {
            "APITimeoutError",
            "Timeout",
            "APIConnectionError",
            "TimeoutException",
            "TransportError",
            "ClientError",
            "ServerDisconnectedError",
        }
    )


def _retry_after(exc: BaseException) -> float | None:
    """Seconds the provider asked us to wait (``retry-after-ms`` or ``Retry-After``)."""
    headers: Any = getattr(getattr(exc, "response", None), "headers", None)
    if not headers:
        headers = getattr(exc, "litellm_response_headers", None)
    if not headers:
        return None
    try:
        value = headers.get("retry-after-ms")
        if value is not None:
            return _bounded(float(value) / 1000)
        value = headers.get("retry-after")
        if value is None:
            return None
        try:
            return _bounded(float(value))
        except ValueError:
            parsed = email.utils.parsedate_to_datetime(value)
            return _bounded(parsed.timestamp() - time.time())
    except (TypeError, ValueError, AttributeError):
        return None


def _bounded(seconds: float) -> float:
    return min(max(seconds, 0.0), RETRY_AFTER_MAX)

"""How a failure during a conversation is told: a termination reason for this simulation only,
or a :class:`~runner.errors.ConfigError` that stops the whole run because every simulation would
repeat it.

:func:`describe_error` and :func:`access_refused` also serve the other layers that call LLMs
(evaluation's judge in ``runner.run.simulation`` and ``runner.rescore``, the executor), so that
every error line is shaped and redacted the same way.
"""

from __future__ import annotations

import re

from runner.errors import ConfigError, ContextWindowExceededError, InfrastructureError, RunnerError
from runner.models.simulation import TerminationReason
from runner.orchestrator.sides import ERROR_REASON, MESSAGE_KIND

#: HTTP statuses of a refused LLM request that every simulation would repeat (bad key, no access,
#: unknown model or endpoint): the run stops with a ConfigError instead of scoring each failure.
ACCESS_REFUSED = frozenset({401, 403, 404})
_LLM_FLAG = {"agent": "--agent-llm", "user": "--user-llm", "judge": "--judge-llm"}
_SECRET = re.compile(r"(sk-[A-Za-z0-9_\-]{6,}|(?i:api[_-]?key)\s*[=:]\s*\S+|Bearer\s+\S+)")


class ParticipantFailure(Exception):
    """A participant's exception, tagged with the termination reason it causes."""

    def __init__(self, reason: TerminationReason, error: str) -> None:
        super().__init__(error)
        self.reason = reason
        self.error = error


def describe_error(exc: BaseException, limit: int = 500) -> str:
    """One line naming the exception, with anything that looks like a credential removed."""
    text = " ".join(str(exc).split())
    text = _SECRET.sub("[redacted]", text)
    line = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
    return line if len(line) <= limit else line[: limit - 3] + "..."


def access_refused(side: str, exc: BaseException) -> ConfigError | None:
    """A :class:`ConfigError` for an LLM request the provider refused for a reason every
    simulation would repeat (HTTP 401, 403, 404: bad API key, no access, unknown model or
    endpoint), else None. ``side``: ``agent``, ``user`` or ``judge``."""
    from runner.llm.errors import LLMRequestError

    if not isinstance(exc, LLMRequestError) or exc.status_code not in ACCESS_REFUSED:
        return None
    flag = _LLM_FLAG.get(side, "--agent-llm")
    return ConfigError(
        f"The {side}'s LLM refused the request: {describe_error(exc).rstrip('.')}. Every "
        "simulation would "
        f"fail the same way, so the run stopped. Check the model name ({flag}), its endpoint "
        f"and API key ({flag}-args api_base / api_key, or the provider's environment variable "
        "such as OPENAI_API_KEY). Finished simulations are saved: run the same command again "
        "to resume."
    )


def participant_failure(side: str, exc: BaseException) -> ParticipantFailure | ConfigError:
    """What a participant's exception means: a ConfigError for a configuration problem or a
    refused LLM request (the run stops), else the termination reason of this simulation."""
    if isinstance(exc, RunnerError):  # a configuration problem (an option, an LLM argument)
        return ConfigError(str(exc))
    refused = access_refused(side, exc)
    if refused is not None:
        return refused
    if isinstance(exc, InfrastructureError):
        reason = TerminationReason.INFRASTRUCTURE_ERROR
    elif isinstance(exc, ContextWindowExceededError):
        reason = TerminationReason.CONTEXT_WINDOW_EXCEEDED
    else:
        reason = ERROR_REASON[side]
    return ParticipantFailure(reason, f"{side}: {describe_error(exc)}")


def wrong_kind(side: str, reply: object, none_allowed: bool = False) -> ParticipantFailure:
    """The failure of a participant that returned something other than its side's message."""
    expected = MESSAGE_KIND[side].__name__ + (" or None" if none_allowed else "")
    return ParticipantFailure(
        ERROR_REASON[side], f"The {side} returned {type(reply).__name__}, not {expected}."
    )

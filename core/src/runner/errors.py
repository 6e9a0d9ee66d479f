"""Errors that reach a user.

Every error a person can cause by what they typed or wrote (a misspelled name, a malformed task
file, a bad option) is a :class:`RunnerError`. The CLI prints its message as one paragraph with no
traceback, so the message itself must say what was wrong, where, and what to do.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class RunnerError(Exception):
    """A problem the user can fix; the message is shown to them verbatim."""


class UnknownNameError(RunnerError, LookupError):
    """A name (domain, agent, user, ...) that no loaded plugin registered."""


class AmbiguousNameError(RunnerError, LookupError):
    """A bare name that two plugins registered; ``DIST:NAME`` picks one."""


class PluginError(RunnerError):
    """A plugin failed to load while ``--strict-plugins`` is on."""


class TaskFileError(RunnerError, ValueError):
    """A task file that cannot be read or does not validate."""


class ConfigError(RunnerError, ValueError):
    """A run configuration or option that does not make sense."""


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """A ``" Did you mean 'x'?"`` suffix, or an empty string when nothing is close.

    Up to three suggestions, but only those about as close as the best one: a typo of
    ``register_domains`` suggests that name alone, not every ``register_*`` hook.
    """
    pool = [c for c in candidates if c != name]
    matches = difflib.get_close_matches(name, pool, n=3, cutoff=0.6)
    if not matches:
        return ""
    ratio = {m: difflib.SequenceMatcher(None, name, m).ratio() for m in matches}
    best = ratio[matches[0]]
    matches = [m for m in matches if ratio[m] >= best - 0.1]
    quoted = [repr(m) for m in matches]
    listed = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
    return f" Did you mean {listed}?"


class InfrastructureError(Exception):
    """A failure outside the participants' control (network, provider outage, exhausted
    retries). The simulation ends as ``infrastructure_error``; it is excluded from scores and
    re-run on resume."""


class ContextWindowExceededError(Exception):
    """The conversation no longer fits the model's context window (never retried; the
    simulation ends as ``context_window_exceeded``)."""

"""The context a run carries: the caller's own object plus the run's usage.

The SDK never reads or copies ``context``; it hands the same object to tools, hooks, guardrails
and dynamic instructions, so they can share state (a database handle, the current user) without
globals. It is not sent to the model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

TContext = TypeVar("TContext")


@dataclass
class Usage:
    """Model calls, tokens and cost summed over a run (every agent, every turn)."""

    requests: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    total_tokens: int = 0
    cost: float = 0.0

    def add_response(self, response: Any) -> None:
        """Count one gateway response (its ``usage`` and ``cost``)."""
        self.requests += 1
        usage = getattr(response, "usage", None)
        if usage is not None:
            self.input_tokens += int(getattr(usage, "prompt_tokens", 0) or 0)
            self.output_tokens += int(getattr(usage, "completion_tokens", 0) or 0)
            self.total_tokens += int(getattr(usage, "total_tokens", 0) or 0)
        self.cost += float(getattr(response, "cost", 0.0) or 0.0)

    def add(self, other: Usage) -> None:
        """Fold another usage in (e.g. an agent run as a tool)."""
        self.requests += other.requests
        self.input_tokens += other.input_tokens
        self.output_tokens += other.output_tokens
        self.total_tokens += other.total_tokens
        self.cost += other.cost


@dataclass
class RunContextWrapper(Generic[TContext]):
    """What tools, hooks and guardrails receive: ``context`` (yours) and ``usage`` (the run's).

    A function tool whose first parameter is annotated ``RunContextWrapper`` gets this object;
    the parameter is left out of the tool's schema.
    """

    context: TContext
    usage: Usage = field(default_factory=Usage)

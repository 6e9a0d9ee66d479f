"""A minimal trace of a run: one span per agent stint, model call, tool call, handoff and
guardrail, with timings and small data (names, token counts; never message text or keys).

It lives on the result (``result.trace``) for inspection and tests, and each finished span is
logged at DEBUG level on the ``runner_agents.tracing`` logger. ``RunConfig(tracing_disabled=True)``
records nothing.
"""

from __future__ import annotations

import itertools
import logging
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger("runner_agents.tracing")
_ids = itertools.count(1)


@dataclass
class Span:
    """One timed step of a run; ``kind`` is agent, generation, function, handoff or guardrail."""

    kind: str
    name: str
    started_at: float
    ended_at: float | None = None
    data: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    span_id: int = field(default_factory=lambda: next(_ids))

    @property
    def duration(self) -> float | None:
        return None if self.ended_at is None else self.ended_at - self.started_at


@dataclass
class Trace:
    """The spans of one run, in the order they started."""

    workflow_name: str
    trace_id: str = field(default_factory=lambda: f"trace_{uuid.uuid4().hex}")
    metadata: dict[str, Any] = field(default_factory=dict)
    spans: list[Span] = field(default_factory=list)
    enabled: bool = True

    @contextmanager
    def span(self, kind: str, name: str, **data: Any) -> Iterator[Span]:
        """Time the enclosed block; an exception is recorded on the span and re-raised."""
        span = Span(kind=kind, name=name, started_at=time.time(), data=data)
        if self.enabled:
            self.spans.append(span)
        try:
            yield span
        except BaseException as exc:
            span.error = f"{type(exc).__name__}: {exc}"
            raise
        finally:
            span.ended_at = time.time()
            if self.enabled:
                log.debug(
                    "%s span %s %r %.3fs %s", self.trace_id, kind, name, span.duration, span.data
                )

    def of_kind(self, kind: str) -> list[Span]:
        return [s for s in self.spans if s.kind == kind]

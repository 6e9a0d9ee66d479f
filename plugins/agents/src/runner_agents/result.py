"""What a run returns: :class:`RunResult`, and :class:`RunResultStreaming` for streamed runs."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from runner_agents.exceptions import UserError
from runner_agents.items import RunItem, input_to_messages, items_to_messages
from runner_agents.run_context import RunContextWrapper, Usage
from runner_agents.tracing import Trace

if TYPE_CHECKING:
    from runner_agents.agent import Agent
    from runner_agents.guardrails import InputGuardrailResult, OutputGuardrailResult
    from runner_agents.stream import StreamEvent

T = TypeVar("T")


@dataclass
class RunResultBase:
    """The run's input, the items it produced, every model response, and the final output.

    ``input`` is what was passed to ``Runner.run`` (rewritten by a handoff's ``input_filter``
    when one ran). ``raw_responses`` are the gateway's ``LLMResponse`` objects, one per model
    call. ``usage`` sums tokens, requests and cost over the run.
    """

    input: str | list[dict[str, Any]]
    new_items: list[RunItem]
    raw_responses: list[Any]
    final_output: Any
    input_guardrail_results: list[InputGuardrailResult]
    output_guardrail_results: list[OutputGuardrailResult]
    context_wrapper: RunContextWrapper[Any]
    last_agent: Agent[Any]
    trace: Trace | None = None

    @property
    def usage(self) -> Usage:
        return self.context_wrapper.usage

    @property
    def last_response(self) -> Any:
        return self.raw_responses[-1] if self.raw_responses else None

    def to_input_list(self) -> list[dict[str, Any]]:
        """The whole conversation as chat messages: pass it, plus a new user message, as the
        input of the next run to continue the conversation (system prompts are not included;
        each run adds its agent's own)."""
        return input_to_messages(self.input) + items_to_messages(self.new_items)

    def final_output_as(self, cls: type[T], raise_if_incorrect_type: bool = False) -> T:
        """The final output typed as ``cls`` (checked only when asked)."""
        if raise_if_incorrect_type and not isinstance(self.final_output, cls):
            raise TypeError(
                f"Final output is {type(self.final_output).__name__}, not {cls.__name__}."
            )
        return self.final_output  # type: ignore[no-any-return]


@dataclass
class RunResult(RunResultBase):
    """The result of ``Runner.run`` / ``Runner.run_sync``."""

    def __str__(self) -> str:
        return f"RunResult(last_agent={self.last_agent.name!r}, final_output={self.final_output!r})"


_DONE = object()


@dataclass
class RunResultStreaming(RunResultBase):
    """A run in progress; its fields fill in as it goes.

    Iterate ``stream_events()`` to follow it; the iteration ends when the run does and raises
    the run's error, if any (after yielding every event before it). ``cancel()`` stops the run:
    the iteration then ends quietly and ``is_complete`` is true.
    """

    current_agent: Agent[Any] | None = None
    current_turn: int = 0
    max_turns: int = 0
    is_complete: bool = False
    _queue: asyncio.Queue[Any] = field(default_factory=asyncio.Queue, repr=False)
    _task: asyncio.Task[Any] | None = field(default=None, repr=False)
    _error: BaseException | None = field(default=None, repr=False)
    _cancelled: bool = field(default=False, repr=False)

    def _emit(self, event: StreamEvent) -> None:
        self._queue.put_nowait(event)

    def _finish(self, error: BaseException | None = None) -> None:
        self._error = error
        self.is_complete = True
        self._queue.put_nowait(_DONE)

    def cancel(self) -> None:
        """Stop the run now; pending events are dropped and ``stream_events()`` ends."""
        self._cancelled = True
        if self._task is not None and not self._task.done():
            self._task.cancel()
        while not self._queue.empty():
            self._queue.get_nowait()
        self.is_complete = True
        self._queue.put_nowait(_DONE)

    async def stream_events(self) -> AsyncIterator[StreamEvent]:
        """Events as the run produces them (see :mod:`runner_agents.stream`)."""
        if self._task is None:
            raise UserError("stream_events() needs a result from Runner.run_streamed().")
        while True:
            if self.is_complete and self._queue.empty():
                break  # a second iteration after the end: nothing more will come
            event = await self._queue.get()
            if event is _DONE:
                break
            yield event
        if self._task is not None and not self._cancelled:
            try:
                await self._task
            except asyncio.CancelledError:
                pass
        if self._error is not None and not self._cancelled:
            raise self._error

    def __str__(self) -> str:
        agent = self.current_agent.name if self.current_agent else None
        return f"RunResultStreaming(current_agent={agent!r}, is_complete={self.is_complete})"

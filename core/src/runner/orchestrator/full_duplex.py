"""The full-duplex orchestrator: both sides produce a chunk every tick.

A tick is a slice of simulated time (``tick_duration_seconds``). In every tick the user, then
the agent, is asked for its next chunk given the chunk the other side produced in the previous
tick; either may speak (a text fragment), stay silent (no content), interrupt (speak while the
other speaks) or back-channel. Tool calls are resolved within the tick: the calls of a chunk are
executed and their results handed straight back to the same participant, which answers with a
new chunk, up to ``max_tool_rounds`` times per tick.

The result has ``ticks`` (one JSON-ready dict per tick) and ``messages``: the flattened
transcript used for evaluation, in which consecutive text fragments of one side form one message
and tool calls appear as half-duplex tool-calling messages followed by their results.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

from runner.constants import GREETING
from runner.models.messages import AssistantMessage, MultiToolMessage, ToolMessage
from runner.models.simulation import TerminationReason
from runner.orchestrator.base import BaseOrchestrator, now
from runner.orchestrator.failures import ParticipantFailure, participant_failure, wrong_kind
from runner.orchestrator.participant_calls import (
    init_state,
    is_stop,
    own_calls,
    participant_caller,
    seed_participant,
)
from runner.orchestrator.sides import (
    AGENT,
    ERROR_REASON,
    MESSAGE_KIND,
    REQUESTOR,
    STOP_REASON,
    USER,
)


class FullDuplexOrchestrator(BaseOrchestrator):
    """Drives a streaming conversation tick by tick (registered as ``full_duplex``).

    Keyword arguments: those of half duplex, plus ``tick_duration_seconds`` and
    ``max_tool_rounds`` (numbers or strings). ``max_steps`` bounds the number of *ticks*;
    ``max_errors`` counts failed tool results in total, as in half duplex; ``timeout`` bounds
    the wall-clock time. Tick 0 holds the fixed greeting as the agent's chunk (the agent is not
    called) and the user's first chunk, produced while it hears silence; the greeting reaches
    the user in tick 1. Message histories are not supported (a task with one ends as
    ``unexpected_error``, as in τ²-bench).
    """

    def __init__(
        self,
        *,
        tick_duration_seconds: float | str = 0.2,
        max_tool_rounds: int | str = 10,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.tick_duration_seconds = float(tick_duration_seconds)
        self.max_tool_rounds = int(max_tool_rounds)
        self.ticks: list[dict[str, Any]] = []
        self._states: dict[str, Any] = {}
        self._open: int | None = None  # index of the text message the last fragment went to

    @property
    def step_count(self) -> int:
        return len(self.ticks)

    async def _conversation(self) -> None:
        initial = self.task.initial_state
        if initial is not None and initial.message_history:
            raise ValueError("The full-duplex orchestrator does not support message histories.")
        self.environment.apply_initial_state(initial)
        callers = {
            side: participant_caller(p, side, "aget_next_chunk", "get_next_chunk", "full-duplex")
            for side, p in ((AGENT, self.agent), (USER, self.user))
        }
        greeting = AssistantMessage(content=GREETING, cost=0.0)
        for side, participant, history in (
            (AGENT, self.agent, [greeting]),
            (USER, self.user, None),
        ):
            seed_participant(participant, side, self.seed)
            self._states[side] = init_state(participant, side, history)
        tick = self._new_tick()
        tick["agent_chunk"] = _dump(greeting)
        self._transcribe(AGENT, greeting)
        # tick 0: the user hears silence; the greeting reaches it in tick 1
        user_chunk = await self._turn(callers[USER], USER, AssistantMessage(content=None), tick)
        self._close_tick(tick, started=time.perf_counter())
        last = {AGENT: greeting, USER: user_chunk}
        while self.termination_reason is None:
            if self.step_count >= self.max_steps:
                self.termination_reason = TerminationReason.MAX_STEPS
                break
            if self.num_errors >= self.max_errors:
                self.termination_reason = TerminationReason.TOO_MANY_ERRORS
                break
            started = time.perf_counter()
            tick = self._new_tick()
            user_chunk = await self._turn(callers[USER], USER, last[AGENT], tick)
            agent_chunk = None
            if self.termination_reason is None:
                agent_chunk = await self._turn(callers[AGENT], AGENT, last[USER], tick)
            last = {AGENT: agent_chunk, USER: user_chunk}
            self._close_tick(tick, started)

    async def _turn(
        self,
        call: Callable[[Any, Any], Awaitable[tuple[Any, Any]]],
        side: str,
        incoming: Any,
        tick: dict[str, Any],
    ) -> Any:
        """One participant's chunk for this tick, its tool calls resolved within the tick."""
        chunk = await self._next_chunk(call, side, incoming)
        rounds = 0
        while chunk is not None and chunk.tool_calls:
            if rounds >= self.max_tool_rounds:
                raise ParticipantFailure(
                    ERROR_REASON[side],
                    f"The {side} made tool calls more than "
                    f"{self.max_tool_rounds} times in one tick.",
                )
            rounds += 1
            own_calls(chunk, REQUESTOR[side])
            results = [self.environment.execute(c) for c in chunk.tool_calls]
            self.num_errors += sum(1 for r in results if r.error)
            tick[f"{side}_tool_calls"].extend(c.model_dump(mode="json") for c in chunk.tool_calls)
            tick[f"{side}_tool_results"].extend(r.model_dump(mode="json") for r in results)
            self._transcribe(side, chunk, results)
            if is_stop(self._participant(side), chunk, side):
                self._stop(side)
                return chunk
            message = results[0] if len(results) == 1 else MultiToolMessage(tool_messages=results)
            chunk = await self._next_chunk(call, side, message)
        tick[f"{side}_chunk"] = _dump(chunk)
        if side == USER:
            tick["user_transcript"] = getattr(chunk, "transcript", None) or (
                chunk.content if chunk else None
            )
        if chunk is not None:
            self._transcribe(side, chunk)
            if is_stop(self._participant(side), chunk, side):
                self._stop(side)
        return chunk

    async def _next_chunk(
        self, call: Callable[[Any, Any], Awaitable[tuple[Any, Any]]], side: str, incoming: Any
    ) -> Any:
        try:
            chunk, self._states[side] = await call(self._states[side], incoming)
        except Exception as exc:
            raise participant_failure(side, exc) from exc
        if chunk is not None and not isinstance(chunk, MESSAGE_KIND[side]):
            raise wrong_kind(side, chunk, none_allowed=True)
        return chunk

    def _participant(self, side: str) -> Any:
        return self.agent if side == AGENT else self.user

    def _stop(self, side: str) -> None:
        if self.termination_reason is None:
            self.termination_reason = STOP_REASON[side]

    # -- transcript ------------------------------------------------------------------------
    def _transcribe(self, side: str, chunk: Any, results: list[ToolMessage] | None = None) -> None:
        """Add a chunk to the flat transcript: text joins the side's open message; a chunk with
        tool calls becomes a tool-calling message followed by its results."""
        if results is not None:
            if chunk.content:
                self._speak(side, chunk, chunk.content)
            kind = MESSAGE_KIND[side]
            self._add(kind(tool_calls=list(chunk.tool_calls), cost=chunk.cost, usage=chunk.usage))
            for result in results:
                self._add(result)
            return
        if chunk.content:
            self._speak(side, chunk, chunk.content)

    def _speak(self, side: str, chunk: Any, text: str) -> None:
        last = self.messages[-1] if self.messages else None
        if self._open == len(self.messages) - 1 and isinstance(last, MESSAGE_KIND[side]):
            last.content = (last.content or "") + text
            if chunk.cost:
                last.cost = (last.cost or 0.0) + chunk.cost
            return
        self._add(MESSAGE_KIND[side](content=text, cost=chunk.cost, usage=chunk.usage))
        self._open = len(self.messages) - 1

    def _add(self, message: Any) -> None:
        message.turn_idx = len(self.messages)
        message.timestamp = now()
        self.messages.append(message)

    # -- ticks -----------------------------------------------------------------------------
    def _new_tick(self) -> dict[str, Any]:
        return {
            "tick_id": len(self.ticks),
            "timestamp": now(),
            "agent_chunk": None,
            "user_chunk": None,
            "agent_tool_calls": [],
            "user_tool_calls": [],
            "agent_tool_results": [],
            "user_tool_results": [],
            "user_transcript": None,
            "tick_duration_seconds": self.tick_duration_seconds,
            "wall_clock_duration_seconds": None,
        }

    def _close_tick(self, tick: dict[str, Any], started: float) -> None:
        tick["wall_clock_duration_seconds"] = time.perf_counter() - started
        self.ticks.append(tick)

    def _result_fields(self, usage: dict[str, dict[str, float]]) -> dict[str, Any]:
        # the result's usage stays None: full duplex does not sum the chunks' usage
        return {"ticks": self.ticks, "info": {"mode": "full_duplex", "num_ticks": len(self.ticks)}}


def _dump(chunk: Any) -> dict[str, Any] | None:
    if chunk is None:
        return None
    return chunk.model_dump(mode="json", exclude_none=True, exclude={"tool_calls"})

"""The full-duplex orchestrator: both sides produce a chunk every tick.

A tick is a slice of simulated time (``tick_duration_seconds``). In every tick the user, then
the agent, is asked for its next chunk given the chunk the other side produced in the previous
tick; either may speak (a text fragment), stay silent (``None`` or no content), interrupt (speak
while the other speaks) or back-channel (``backchannel=True``). Tool calls are resolved within
the tick: the calls of a chunk are executed and their results handed straight back to the same
participant, which answers with a new chunk, up to ``max_tool_rounds`` times per tick.

A half-duplex participant is wrapped in a :class:`~runner.orchestrator.streaming.StreamingAdapter`
(speaking rate, end-of-turn silence, barge-in), so every agent and user runs here unchanged.
With ``realtime`` the ticks are paced to the wall clock; otherwise they run as fast as the
participants answer.

The result has ``ticks`` (one JSON-ready dict per tick) and ``messages``: the flat transcript
evaluation reads (:mod:`runner.orchestrator.transcript`).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any, ClassVar

from runner.constants import GREETING
from runner.errors import ConfigError
from runner.models.messages import AssistantMessage, MultiToolMessage
from runner.models.simulation import TerminationReason
from runner.orchestrator.base import BaseOrchestrator, now
from runner.orchestrator.failures import ParticipantFailure, participant_failure, wrong_kind
from runner.orchestrator.history import next_turn, replay_writes, trailing_results
from runner.orchestrator.participant_calls import (
    implements,
    init_state,
    is_stop,
    own_calls,
    participant_caller,
    seed_participant,
)
from runner.orchestrator.sides import (
    AGENT,
    ENV,
    ERROR_REASON,
    MESSAGE_KIND,
    REQUESTOR,
    STOP_REASON,
    USER,
)
from runner.orchestrator.solo import TEXT_WITHOUT_USER, solo_mode
from runner.orchestrator.streaming import StreamingAdapter
from runner.orchestrator.transcript import Transcript

#: What a tick records of a chunk: these fields, where they differ from their defaults.
_CHUNK_DEFAULTS = {
    "content": None,
    "chunk_id": None,
    "is_final_chunk": True,
    "contains_speech": True,
    "backchannel": False,
    "interrupted": False,
    "unspoken": None,
    "cost": None,
    "audio_format": None,
    "audio_path": None,
}


class FullDuplexOrchestrator(BaseOrchestrator):
    """Drives a streaming conversation tick by tick (registered as ``full_duplex``).

    Keyword arguments: those of half duplex, plus the :attr:`OPTIONS` (numbers, booleans, or
    their strings from ``--orchestrator-option``). ``max_steps`` bounds the transcript's
    messages, as in half duplex; ``max_ticks`` bounds the ticks (both end as ``max_steps``).
    Tick 0 holds the fixed greeting as the agent's chunk (the agent is not called) and the
    user's first chunk, produced while it hears silence; the greeting reaches the user in
    tick 1. A task's message history is copied into the transcript and its last message is the
    receiver's incoming chunk of tick 0.
    """

    NAME: ClassVar[str] = "full_duplex"
    OPTIONS: ClassVar[dict[str, str] | None] = {
        "tick_duration_seconds": "simulated seconds per tick (0.2)",
        "max_ticks": "ticks before the run ends as max_steps (6000)",
        "max_tool_rounds": "tool-call rounds one participant may make in one tick (25)",
        "realtime": "pace the ticks to the wall clock (false)",
        "speaking_rate": "words per second a wrapped participant speaks (2.5)",
        "end_of_turn_seconds": "silence after which a wrapped participant answers (0.6)",
        "barge_in_seconds": "speech over a wrapped agent after which it stops (0.4)",
        "solo": "no user: the agent works alone from its ticket (false)",
    }

    def __init__(
        self,
        *,
        tick_duration_seconds: float | str = 0.2,
        max_ticks: int | str = 6000,
        max_tool_rounds: int | str = 25,
        realtime: bool | str = False,
        speaking_rate: float | str = 2.5,
        end_of_turn_seconds: float | str = 0.6,
        barge_in_seconds: float | str = 0.4,
        voice: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        #: The run's voice provider: wrapped participants speak and listen through audio.
        self.voice = voice
        self.tick_duration_seconds = _number("tick_duration_seconds", tick_duration_seconds)
        self.max_ticks = int(_number("max_ticks", max_ticks, minimum=1))
        self.max_tool_rounds = int(_number("max_tool_rounds", max_tool_rounds, minimum=1))
        self.realtime = _flag("realtime", realtime)
        self.solo = solo_mode(self.agent, self.options)
        ticks_of = self._ticks_of
        wrapping = {
            "tick_seconds": self.tick_duration_seconds,
            "speaking_rate": _number("speaking_rate", speaking_rate),
            "end_of_turn_ticks": ticks_of(_number("end_of_turn_seconds", end_of_turn_seconds)),
        }
        barge_in = ticks_of(_number("barge_in_seconds", barge_in_seconds))
        self.agent = self._streaming(AGENT, self.agent, wrapping, yield_after_ticks=barge_in)
        if not self.solo:
            self.user = self._streaming(USER, self.user, wrapping, yield_after_ticks=None)
        self.ticks: list[dict[str, Any]] = []
        self._states: dict[str, Any] = {}
        self._transcript = Transcript(self.messages)
        #: Voice runs: each tick's audio frame per side (None: silence).
        self.ticks_audio: list[dict[str, Any]] = []
        self._frames: dict[str, Any] = {AGENT: None, USER: None}
        #: The greeting, until tick 0 records it as the agent's chunk.
        self._greeting: AssistantMessage | None = None

    def _ticks_of(self, seconds: float) -> int:
        return max(1, round(seconds / self.tick_duration_seconds))

    def _streaming(
        self, side: str, participant: Any, wrapping: dict[str, Any], yield_after_ticks: int | None
    ) -> Any:
        """The participant itself when it streams, else wrapped; one clear error otherwise."""
        if side == AGENT and self.solo:  # nobody listens: say a message in one piece
            wrapping = {**wrapping, "speaking_rate": float("inf")}
        voice = None if side == AGENT and self.solo else self.voice
        if isinstance(participant, StreamingAdapter):  # a streaming user built on the adapter
            participant.use_timing(**wrapping)
            participant.voice = participant.voice or voice
            return participant
        if participant is None or implements(participant, "aget_next_chunk", "get_next_chunk"):
            return participant
        if implements(participant, "agenerate_next_message", "generate_next_message"):
            adapter = StreamingAdapter(
                participant, side, yield_after_ticks=yield_after_ticks, voice=voice
            )
            adapter.use_timing(**wrapping)
            return adapter
        raise ConfigError(
            f"The {side} {type(participant).__name__} cannot run under the full-duplex "
            "orchestrator: it has neither get_next_chunk/aget_next_chunk (a streaming "
            "participant) nor generate_next_message/agenerate_next_message (a turn-based one, "
            "which full duplex wraps). Subclass runner.FullDuplexAgent or runner.HalfDuplexAgent "
            "(FullDuplexUser / HalfDuplexUser for a user)."
        )

    @property
    def step_count(self) -> int:
        return len(self.ticks)

    async def run(self) -> Any:
        """The conversation; in a voice run, its transcript is then what each listener's
        recogniser heard (:mod:`runner.orchestrator.voice_run`) and its audio tracks ride along
        for the run directory."""
        result = await super().run()
        if self.voice is not None:
            from runner.orchestrator.voice_run import finish_voice_run

            await finish_voice_run(result, self.voice, self._transcript.clips, self.ticks_audio)
        return result

    # -- the loop ----------------------------------------------------------------------------
    async def _conversation(self) -> None:
        callers = {AGENT: self._caller(AGENT)}
        if not self.solo:
            callers[USER] = self._caller(USER)
        incoming = self._start()
        loop = asyncio.get_running_loop()
        origin = loop.time()
        while self.termination_reason is None:
            if self._limit_reached():
                break
            if self.realtime and self.ticks:
                delay = origin + len(self.ticks) * self.tick_duration_seconds - loop.time()
                if delay > 0:
                    await asyncio.sleep(delay)
            started = time.perf_counter()
            tick = self._new_tick()
            chunks: dict[str, Any] = {AGENT: None, USER: None}
            if not self.solo:
                chunks[USER] = await self._turn(callers[USER], USER, incoming[USER], tick)
            if self._greeting is not None:  # tick 0: the agent's chunk is the greeting
                chunks[AGENT], self._greeting = self._greeting, None
                tick["agent_chunk"] = dump_chunk(chunks[AGENT])
                if chunks[AGENT].audio is not None:
                    self._frames[AGENT] = chunks[AGENT].audio
            elif self.termination_reason is None:
                chunks[AGENT] = await self._turn(callers[AGENT], AGENT, incoming[AGENT], tick)
            incoming = {AGENT: chunks[USER], USER: chunks[AGENT]}
            self._close_tick(tick, started)

    def _caller(self, side: str) -> Callable[[Any, Any], Awaitable[tuple[Any, Any]]]:
        participant = self._participant(side)
        return participant_caller(participant, side, "aget_next_chunk", "get_next_chunk", "full")

    def _limit_reached(self) -> bool:
        if len(self.ticks) >= self.max_ticks or len(self.messages) >= self.max_steps:
            self.termination_reason = TerminationReason.MAX_STEPS
        elif self.num_errors >= self.max_errors:
            self.termination_reason = TerminationReason.TOO_MANY_ERRORS
        return self.termination_reason is not None

    # -- start -------------------------------------------------------------------------------
    def _start(self) -> dict[str, Any]:
        """Apply the task's initial state and set both participants up; the incoming chunks of
        tick 0 (a history's last message goes to whoever must answer it)."""
        initial = self.task.initial_state
        self.environment.apply_initial_state(initial)
        history = list(initial.message_history or []) if initial is not None else []
        seed_participant(self.agent, AGENT, self.seed)
        if not self.solo:
            seed_participant(self.user, USER, self.seed)
        self._greeting = None
        if history:
            return self._resume(history)
        if self.solo:
            self._states[AGENT] = init_state(self.agent, AGENT, None)
            if isinstance(self.agent, StreamingAdapter):
                self._states[AGENT].opens = True
            return {AGENT: None, USER: None}
        greeting = AssistantMessage(content=GREETING, cost=0.0)
        self._states[AGENT] = init_state(self.agent, AGENT, [greeting])
        self._states[USER] = init_state(self.user, USER, None)
        self._transcript.add(greeting)
        self._transcript.chunk(AGENT, None)
        self._greeting = greeting
        return {AGENT: None, USER: None}

    def _resume(self, history: list[Any]) -> dict[str, Any]:
        history = [m.model_copy(update={"turn_idx": None}) for m in history]
        replay_writes(self.environment, history)
        turn = next_turn(history)
        self._states[AGENT] = init_state(self.agent, AGENT, turn.agent_saw)
        if not self.solo:
            self._states[USER] = init_state(self.user, USER, turn.user_saw)
        for message in history:
            self._transcript.add(message)
        sender, receiver = turn.sender, turn.receiver
        last: Any = trailing_results(history) if sender == ENV else history[-1]
        if sender in (AGENT, USER) and is_stop(self._participant(sender), last, sender):
            self._stop(sender)
        if receiver == ENV:  # the history ends with calls nobody answered yet: answer them now
            results = [self.environment.execute(c) for c in last.tool_calls]
            for result in results:
                self._transcript.add(result)
            receiver = sender
            last = results[0] if len(results) == 1 else MultiToolMessage(tool_messages=results)
        if self.solo and receiver == USER:
            raise ValueError(
                "This task's message history ends with a message for the user, but the run is "
                "solo (no user): run it with a user, or without solo."
            )
        return {AGENT: None, USER: None, receiver: last}

    # -- one side's chunk --------------------------------------------------------------------
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
            if not (self.solo and side == AGENT):  # (a solo agent may call user-side tools)
                own_calls(chunk, REQUESTOR[side])
            results = [self.environment.execute(c) for c in chunk.tool_calls]
            self.num_errors += sum(1 for r in results if r.error)
            tick[f"{side}_tool_calls"].extend(c.model_dump(mode="json") for c in chunk.tool_calls)
            tick[f"{side}_tool_results"].extend(r.model_dump(mode="json") for r in results)
            self._transcript.tool_calls(side, chunk, results)
            if is_stop(self._participant(side), chunk, side):
                self._stop(side)
                return None
            message = results[0] if len(results) == 1 else MultiToolMessage(tool_messages=results)
            chunk = await self._next_chunk(call, side, message)
        tick[f"{side}_chunk"] = dump_chunk(chunk)
        if chunk is not None and chunk.audio is not None:
            self._frames[side] = chunk.audio
        if side == USER:
            tick["user_transcript"] = getattr(chunk, "transcript", None) or (
                chunk.content if chunk is not None and not chunk.backchannel else None
            )
        self._transcript.chunk(side, chunk)
        if chunk is not None and is_stop(self._participant(side), chunk, side):
            self._stop(side)
        elif self.solo and side == AGENT and chunk is not None and chunk.content:
            raise ParticipantFailure(TerminationReason.AGENT_ERROR, TEXT_WITHOUT_USER)
        return chunk

    async def _next_chunk(
        self, call: Callable[[Any, Any], Awaitable[tuple[Any, Any]]], side: str, incoming: Any
    ) -> Any:
        try:
            chunk, self._states[side] = await call(self._states[side], incoming)
        except ParticipantFailure:
            raise
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

    # -- ticks -------------------------------------------------------------------------------
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
        if self.voice is not None:
            self.ticks_audio.append(self._frames)
        self._frames = {AGENT: None, USER: None}

    def _result_fields(self, usage: dict[str, dict[str, float]]) -> dict[str, Any]:
        info = {"mode": "full_duplex", "num_ticks": len(self.ticks), "solo": self.solo}
        return {"usage": usage or None, "ticks": self.ticks, "info": info}


def dump_chunk(chunk: Any) -> dict[str, Any] | None:
    """A chunk as its tick records it: its role and the speech fields that differ from their
    defaults (``is_final_chunk`` appears only as ``false``: the message goes on); an audio
    chunk's ``audio_format`` (with its duration) and ``audio_path``, never its bytes."""
    if chunk is None:
        return None
    data: dict[str, Any] = {"role": chunk.role}
    for name, default in _CHUNK_DEFAULTS.items():
        value = getattr(chunk, name)
        if value != default:
            data[name] = value
    return data


def _number(name: str, value: float | int | str, minimum: float = 0.0) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = float("nan")
    if not (number >= minimum if minimum else number > 0):
        bound = f"of at least {minimum:g}" if minimum else "above 0"
        raise ConfigError(
            f"--orchestrator-option {name}={value!r}: expected a number {bound}. See "
            "docs/orchestrator.md (full duplex) for the options and their defaults."
        )
    return number


def _flag(name: str, value: bool | str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off", ""):
        return False
    raise ConfigError(f"--orchestrator-option {name}={value!r}: expected true or false.")

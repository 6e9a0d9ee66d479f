"""The ``realtime`` agent: an audio-native full-duplex agent driven by a realtime session.

Each tick it hears the user's chunk of the previous tick and answers with one tick of its own
audio. Turn-taking is the agent's, not the service's (the session runs without server-side voice
detection), so that it follows the simulated clock of the orchestrator rather than the wall
clock: the user's audio is forwarded as it comes; once the user has spoken and then been silent
for ``end_of_turn_ticks`` the turn is committed and the model answers; the model's audio is
buffered and said one tick per tick, each chunk carrying the words of the transcript that its
audio covers (in proportion); when the user talks over it for ``barge_in_ticks`` ticks in a row
the answer is cut (``RealtimeSession.interrupt``) and the dropped words go in ``unspoken``.
Function calls become tool-call chunks; their results, which the orchestrator hands back in the
same tick, go back to the model and the agent keeps going.

The agent waits for the model (at most ``tick_seconds`` of wall-clock time per tick) when it
expects an answer, so a fast local run measures the conversation, not the network.
"""

from __future__ import annotations

import asyncio
import re
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from typing import Any

from runner import (
    AssistantMessage,
    ConfigError,
    FullDuplexAgent,
    MultiToolMessage,
    ToolCall,
    ToolMessage,
)
from runner.voice import Audio, AudioDelta, FunctionCall, ResponseDone, TranscriptDelta

from runner_voice_openai.session import RATE, OpenAIRealtimeSession, SessionConfig, text_item

_WORD = re.compile(r"\s*\S+\s*")
SessionFactory = Callable[[list[dict[str, Any]]], Awaitable[Any]]
_CLOSING: set[asyncio.Future[None]] = set()  # closes under way (kept referenced)


@dataclass
class _Item:
    """One spoken answer of the model: its audio (24 kHz pcm16) and transcript so far."""

    item_id: str
    pcm: bytearray = field(default_factory=bytearray)
    text: str = ""
    complete: bool = False
    played: int = 0  # bytes of pcm said
    said_words: int = 0
    chunks: int = 0

    def rest(self) -> str:
        return "".join(_WORD.findall(self.text)[self.said_words :])


@dataclass
class RealtimeState:
    """One conversation: its session, what is left to say, and the turn-taking counters."""

    history: list[dict[str, Any]] = field(default_factory=list)
    session: Any = None
    items: list[_Item] = field(default_factory=list)
    cancelled: set[str] = field(default_factory=set)
    calls: list[FunctionCall] = field(default_factory=list)
    awaiting: bool = False  # an answer was requested and is not finished
    stale: int = 0  # cancelled responses whose end is still to come
    user_spoke: bool = False
    silence: int = 0
    overlap: int = 0
    speaking: bool = False  # the agent is mid-message
    user_rate: int | None = None
    cost: float | None = None
    usage: dict[str, Any] | None = None


class RealtimeAgent(FullDuplexAgent[RealtimeState]):
    """An audio-native agent on a realtime session (see the module docstring).

    ``config``: how to reach the model (:class:`SessionConfig`); ``session_factory`` (for
    tests or other services): ``await factory(history_items)`` gives a connected
    ``runner.voice.RealtimeSession``.
    """

    def __init__(
        self,
        config: SessionConfig | None = None,
        *,
        tick_seconds: float = 0.2,
        end_of_turn_ticks: int = 3,
        barge_in_ticks: int = 2,
        session_factory: SessionFactory | None = None,
    ) -> None:
        if config is None and session_factory is None:
            raise ConfigError("RealtimeAgent needs a SessionConfig or a session_factory.")
        self.config = config
        self.tick_seconds = float(tick_seconds)
        self.end_of_turn_ticks = int(end_of_turn_ticks)
        self.barge_in_ticks = int(barge_in_ticks)
        self._factory = session_factory or self._connect
        self._sessions: list[tuple[Any, asyncio.AbstractEventLoop]] = []
        # Sessions are closed when the agent goes away, whoever ended the conversation.
        weakref.finalize(self, _close_all, self._sessions)

    # -- the participant contract ------------------------------------------------------------
    def get_init_state(self, message_history: list[Any] | None = None) -> RealtimeState:
        _close_all(self._sessions)  # a new conversation: the previous ones are over
        history = []
        for message in message_history or []:
            content = getattr(message, "content", None)
            if getattr(message, "role", None) in ("user", "assistant") and content:
                history.append(text_item(message.role, content))
        return RealtimeState(history=history)

    def is_stop(self, message: Any) -> bool:
        stop = super().is_stop(message)
        if stop:
            _close_all(self._sessions)
        return stop

    async def aclose(self) -> None:
        """Close every session this agent opened."""
        sessions, self._sessions[:] = list(self._sessions), []
        for session, _ in sessions:
            await session.close()

    async def aget_next_chunk(
        self, state: RealtimeState, incoming_chunk: Any
    ) -> tuple[AssistantMessage | None, RealtimeState]:
        if state.session is None:
            state.session = await self._factory(state.history)
            self._sessions.append((state.session, asyncio.get_running_loop()))
        session = state.session
        if isinstance(incoming_chunk, (ToolMessage, MultiToolMessage)):
            results = (
                incoming_chunk.tool_messages
                if isinstance(incoming_chunk, MultiToolMessage)
                else [incoming_chunk]
            )
            for result in results:
                await session.send_function_result(result.id, result.content or "")
            state.awaiting = True
        else:
            cut = await self._listen(state, session, incoming_chunk)
            if cut is not None:
                return cut, state
        return await self._speak(state, session), state

    # -- listening ---------------------------------------------------------------------------
    async def _listen(self, state: RealtimeState, session: Any, chunk: Any) -> Any:
        """Forward the user's audio; commit the turn after its silence; barge-in."""
        audio = None
        if chunk is not None and not chunk.backchannel and chunk.contains_speech:
            audio = chunk.audio
            if audio is None and chunk.content:
                raise ConfigError(
                    "The realtime agent listens to audio, but the user speaks text: run it with "
                    "a voice provider (--voice-provider, e.g. loopback)."
                )
        if audio is not None:
            state.user_rate = audio.sample_rate
            await session.send_audio(audio)
            state.user_spoke, state.silence = True, 0
            state.overlap = state.overlap + 1 if state.speaking else 0
            if state.overlap >= self.barge_in_ticks:
                return await self._barge_in(state, session)
            return None
        state.overlap = 0
        state.silence += 1
        if state.user_spoke and state.silence >= self.end_of_turn_ticks:
            await session.commit()
            state.user_spoke, state.awaiting = False, True
        return None

    async def _barge_in(self, state: RealtimeState, session: Any) -> AssistantMessage:
        """Stop mid-answer: cut it where the user stopped hearing it; report the rest."""
        unspoken = "".join(item.rest() for item in state.items)
        if state.items:
            head = state.items[0]
            await session.interrupt(head.item_id, head.played / (2 * RATE))
        state.cancelled.update(item.item_id for item in state.items)
        state.items.clear()
        state.calls.clear()
        if state.awaiting:
            state.stale += 1
        state.awaiting = state.speaking = False
        state.overlap = 0
        return AssistantMessage(content=None, interrupted=True, unspoken=unspoken or None)

    # -- speaking ----------------------------------------------------------------------------
    async def _speak(self, state: RealtimeState, session: Any) -> AssistantMessage | None:
        await self._gather(state, session)
        if state.calls and not state.awaiting:  # the response ended with these calls
            calls = [
                ToolCall(
                    id=c.call_id, name=c.name, arguments=dict(c.arguments), requestor="assistant"
                )
                for c in state.calls
            ]
            state.calls.clear()
            return self._billed(state, AssistantMessage(tool_calls=calls))
        while state.items and state.items[0].complete and not self._unsaid(state.items[0]):
            state.items.pop(0)
        if not state.items:
            state.speaking = False
            return None
        item = state.items[0]
        frame = self._frame_bytes
        if len(item.pcm) - item.played <= frame and not item.complete:  # the model is behind
            if item.chunks == 0:  # not started: still silent
                return None
            state.speaking = True  # mid-answer: a gap of silence in it
            silent = AssistantMessage(content=None, chunk_id=item.chunks, is_final_chunk=False)
            item.chunks += 1
            return silent.attach_audio(self._out(bytes(frame), state))
        piece = bytes(item.pcm[item.played : item.played + frame])
        item.played += len(piece)
        final = item.complete and item.played >= len(item.pcm)
        chunk = AssistantMessage(
            content=self._words(item, final) or None,
            chunk_id=item.chunks,
            is_final_chunk=final,
        )
        item.chunks += 1
        chunk.attach_audio(self._out(piece.ljust(frame, b"\0"), state))
        if final:
            state.items.pop(0)
        state.speaking = not final or bool(state.items)
        return self._billed(state, chunk)

    async def _gather(self, state: RealtimeState, session: Any) -> None:
        """Read the session's events; while an answer is due, wait for it (bounded)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.tick_seconds
        waiter = getattr(session, "wait_for_events", None)
        while True:
            self._absorb(state, await session.receive())
            remaining = deadline - loop.time()
            if not self._needs_more(state) or remaining <= 0 or waiter is None:
                return
            await waiter(remaining)

    def _needs_more(self, state: RealtimeState) -> bool:
        """Whether to wait for the model: its calls need the end of its response; an answer
        starts once it is whole (or the tick's wait is over), and goes on while more than a
        frame is buffered (so that its last frame is known to be the last)."""
        if state.calls or not state.items:
            return state.awaiting
        item = state.items[0]
        if item.complete:
            return False
        return item.played == 0 or len(item.pcm) - item.played <= self._frame_bytes

    def _absorb(self, state: RealtimeState, events: list[Any]) -> None:
        for event in events:
            if isinstance(event, ResponseDone):
                state.cost = (state.cost or 0.0) + event.cost
                state.usage = _add(state.usage, event.usage)
                if state.stale:
                    state.stale -= 1
                    continue
                state.awaiting = False
                for item in state.items:
                    item.complete = True
            elif isinstance(event, FunctionCall):
                state.calls.append(event)
            elif isinstance(event, (AudioDelta, TranscriptDelta)):
                if event.item_id in state.cancelled:
                    continue
                item = self._item(state, event.item_id)
                if isinstance(event, AudioDelta):
                    item.pcm += event.audio.resampled(RATE).pcm
                elif event.final:
                    item.text = event.text
                else:
                    item.text += event.text

    @staticmethod
    def _item(state: RealtimeState, item_id: str) -> _Item:
        for item in state.items:
            if item.item_id == item_id:
                return item
        state.items.append(_Item(item_id))
        return state.items[-1]

    @staticmethod
    def _unsaid(item: _Item) -> bool:
        return item.played < len(item.pcm) or bool(item.rest())

    def _words(self, item: _Item, final: bool) -> str:
        """The transcript's words this frame covers: in proportion to the audio said."""
        words = _WORD.findall(item.text)
        due = len(words) if final else int(len(words) * item.played / max(1, len(item.pcm)))
        if due <= item.said_words:
            return ""
        piece = "".join(words[item.said_words : due])
        item.said_words = due
        return piece

    @property
    def _frame_bytes(self) -> int:
        return max(1, round(self.tick_seconds * RATE)) * 2

    @staticmethod
    def _out(pcm: bytes, state: RealtimeState) -> Audio:
        """A frame at the user's sample rate when known (24 kHz otherwise)."""
        return Audio(pcm, RATE).resampled(state.user_rate or RATE)

    @staticmethod
    def _billed(state: RealtimeState, chunk: AssistantMessage) -> AssistantMessage:
        if state.cost is not None or state.usage:
            chunk.cost, chunk.usage = state.cost, state.usage or None
            state.cost = state.usage = None
        return chunk

    async def _connect(self, history: list[dict[str, Any]]) -> OpenAIRealtimeSession:
        assert self.config is not None
        config = replace(self.config, history=history)
        session = OpenAIRealtimeSession(config)
        await session.connect()
        return session


def _add(total: dict[str, Any] | None, more: dict[str, Any]) -> dict[str, Any] | None:
    if not more:
        return total
    merged = dict(total or {})
    for key, value in more.items():
        merged[key] = merged.get(key, 0) + value
    return merged


def _close_all(sessions: list[tuple[Any, asyncio.AbstractEventLoop]]) -> None:
    """Close sessions from synchronous code (``is_stop``, a finalizer): each on its own event
    loop while that runs (a loop already closed took its connections with it)."""
    while sessions:
        session, loop = sessions.pop()
        if not loop.is_closed():
            try:
                loop.call_soon_threadsafe(_spawn, session.close)
            except RuntimeError:  # the loop closed meanwhile
                pass


def _spawn(close: Callable[[], Awaitable[None]]) -> None:
    task = asyncio.ensure_future(close())
    _CLOSING.add(task)
    task.add_done_callback(_CLOSING.discard)

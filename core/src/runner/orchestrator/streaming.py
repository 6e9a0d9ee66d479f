"""Speaking a half-duplex participant's messages over ticks: the full-duplex wrapper.

A :class:`StreamingAdapter` makes any half-duplex agent or user a full-duplex participant, so
``--orchestrator full_duplex`` runs every shipped participant unchanged. It speaks each message
a few words per tick (``speaking_rate`` words per second of simulated time, at least one word a
tick so a speaker is never mistaken for silence), listens while the other side speaks, and
takes the turn once the other side has been silent for ``end_of_turn_ticks``: it then hands the
wrapped participant everything it heard as one message. Tool calls are not spoken: they go to
the orchestrator at once and their results come straight back within the tick.

Barge-in: when the other side speaks over it for ``yield_after_ticks`` ticks in a row (and it
did not itself start speaking over the other side), the adapter stops, drops the rest of its message and says so with a chunk carrying
``interrupted=True`` and the dropped text in ``unspoken``. Back-channels (chunks with
``backchannel=True``, such as "mm-hm") are neither heard as a turn nor count as speaking over.

Subclasses change the turn-taking per tick through :meth:`react` (see the streaming users);
the text is split losslessly, so the pieces joined give back the message exactly.

With a ``voice`` provider (a voice run) the adapter speaks and listens through audio: a message
is synthesised once and said one tick of audio per tick (its words spread over those ticks as
the chunks' text); what it hears as audio is recognised when it takes the turn, and the wrapped
participant receives the recognised text.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from runner.models.messages import AssistantMessage, MultiToolMessage, ToolMessage, UserMessage
from runner.orchestrator.failures import wrong_kind
from runner.orchestrator.participant_calls import participant_caller
from runner.orchestrator.sides import AGENT, MESSAGE_KIND

_WORD = re.compile(r"\s*\S+\s*")


def split_words(text: str, words_per_tick: float) -> list[str]:
    """``text`` cut at word boundaries into one piece per tick, ``words_per_tick`` words each on
    average and at least one; ``"".join(pieces) == text``."""
    words = _WORD.findall(text)
    if not words or words_per_tick >= len(words):  # (infinite for a solo agent: one piece)
        return [text] if text else []
    pieces: list[str] = []
    start = 0
    tick = 0
    while start < len(words):
        tick += 1
        end = max(start + 1, min(len(words), int(tick * words_per_tick + 1e-9)))
        pieces.append("".join(words[start:end]))
        start = end
    return pieces


@dataclass(slots=True)
class StreamState:
    """Where a wrapped participant stands, tick by tick.

    ``inner``: the wrapped participant's own state. ``speaking``: the pieces of the current
    message still to say (``spoken``: how many were said). ``heard``: what the other side said
    since this side last took the turn; ``overlap``: what it said over this side's speech, and
    for how many ticks in a row (``overlap_ticks``). ``silence``: ticks since the other side
    last spoke; ``ticks``: ticks so far (the orchestrator's ``tick_id`` is ``ticks - 1``).
    """

    inner: Any
    speaking: list[str] = field(default_factory=list)
    spoken: int = 0
    message: Any = None
    heard: list[Any] = field(default_factory=list)  # text (str) or audio (runner.voice.Audio)
    overlap: list[Any] = field(default_factory=list)
    #: Voice runs: the audio frames of the current message still to say, one per tick.
    frames: list[Any] = field(default_factory=list)
    overlap_ticks: int = 0
    silence: int = 0
    ticks: int = 0
    opens: bool = False
    #: Extra ticks of silence to wait before the next turn (a scripted ``wait``).
    hold: int = 0
    #: Whether the other side spoke in the last tick; and whether this side's current message
    #: started over it (an interrupter does not yield to the speaker it cut off).
    other_speaking: bool = False
    interrupting: bool = False
    #: Ticks since this side last finished a turn without hearing an answer (``None``: not
    #: waiting). The streaming user's ``patience`` reads it.
    waiting: int | None = None


class StreamingAdapter:
    """A half-duplex participant spoken over ticks (see the module docstring).

    ``side``: ``agent`` or ``user``. ``tick_seconds``: the orchestrator's tick duration;
    ``speaking_rate``: words per second; ``end_of_turn_ticks``: ticks of the other side's
    silence after which this side answers; ``yield_after_ticks``: ticks of being spoken over
    after which it stops (``None``: never). The full-duplex orchestrator fills in, through
    :meth:`use_timing`, whichever of the first three a plugin left ``None``.
    """

    def __init__(
        self,
        participant: Any,
        side: str,
        *,
        tick_seconds: float | None = None,
        speaking_rate: float | None = None,
        end_of_turn_ticks: int | None = None,
        yield_after_ticks: int | None = None,
        voice: Any = None,
    ) -> None:
        self.participant = participant
        #: The run's voice provider (``runner.voice.VoiceProvider``): speak and listen as audio.
        self.voice = voice
        self.side = side
        self.kind = MESSAGE_KIND[side]
        self.heard_kind = UserMessage if side == AGENT else AssistantMessage
        self.tick_seconds = tick_seconds
        self.speaking_rate = speaking_rate
        self.end_of_turn_ticks = end_of_turn_ticks
        self.yield_after_ticks = yield_after_ticks
        self._call: Callable[[Any, Any], Awaitable[tuple[Any, Any]]] = participant_caller(
            participant, side, "agenerate_next_message", "generate_next_message", "half-duplex"
        )
        self._stop_chunk: Any = None

    def use_timing(
        self, *, tick_seconds: float, speaking_rate: float, end_of_turn_ticks: int
    ) -> None:
        """Take these values for the timing the participant was not given explicitly."""
        if self.tick_seconds is None:
            self.tick_seconds = tick_seconds
        if self.speaking_rate is None:
            self.speaking_rate = speaking_rate
        if self.end_of_turn_ticks is None:
            self.end_of_turn_ticks = max(1, end_of_turn_ticks)

    @property
    def words_per_tick(self) -> float:
        """Words said per tick (the defaults, 2.5 words/s and 0.2 s ticks, until timed)."""
        return (self.speaking_rate or 2.5) * (self.tick_seconds or 0.2)

    # -- the participant contract ------------------------------------------------------------
    @property
    def solo(self) -> bool:
        return bool(getattr(self.participant, "solo", False))

    def get_init_state(self, message_history: list[Any] | None = None) -> StreamState:
        return StreamState(inner=self.participant.get_init_state(message_history))

    def set_seed(self, seed: int | None) -> None:
        self.participant.set_seed(seed)

    def is_stop(self, message: Any) -> bool:
        """Whether ``message`` ends the conversation: the last piece of a message the wrapped
        participant says ends it (the goodbye is said in full first), or a tool-call chunk."""
        return message is not None and message is self._stop_chunk

    async def aget_next_chunk(self, state: StreamState, incoming: Any) -> tuple[Any, StreamState]:
        if isinstance(incoming, (ToolMessage, MultiToolMessage)):  # our calls' results
            return await self._answer(state, incoming), state
        state.ticks += 1
        if state.ticks == 1 and state.opens:
            return await self._answer(state, None), state
        return await self.react(state, incoming), state

    # -- turn-taking ---------------------------------------------------------------------------
    async def react(self, state: StreamState, incoming: Any) -> Any:
        """This tick's chunk given the other side's last chunk: the default turn-taking.

        Override to add behaviour (back-channels, interruptions, patience) and call
        ``super().react`` for the rest."""
        text = self.hear(incoming)
        state.other_speaking = text is not None
        if state.speaking:
            if text is None:
                state.heard.extend(state.overlap)  # short overlap: heard, not a barge-in
                state.overlap.clear()
                state.overlap_ticks = 0
                return self.next_piece(state)
            state.overlap.append(text)
            state.overlap_ticks += 1
            limit = self.yield_after_ticks
            if limit is not None and not state.interrupting and state.overlap_ticks >= limit:
                return self.stop_speaking(state)
            return self.next_piece(state)
        if text is not None:
            state.heard.append(text)
            state.silence = 0
            state.waiting = None
            return None
        state.silence += 1
        if state.waiting is not None:
            state.waiting += 1
        if state.heard and state.silence >= (self.end_of_turn_ticks or 3) + state.hold:
            return await self.take_turn(state)
        return None

    def hear(self, chunk: Any) -> Any:
        """What a chunk carries to this listener: its audio in a voice run, else its words
        (``None`` for silence and back-channels)."""
        if chunk is None or getattr(chunk, "backchannel", False):
            return None
        audio = getattr(chunk, "audio", None)
        if self.voice is not None and audio is not None:
            return audio
        return spoken_text(chunk)

    async def take_turn(self, state: StreamState, note: str | None = None) -> Any:
        """Answer what was heard (or ``note`` when nothing was) with the wrapped participant."""
        heard = await self.understood(state.heard) or note or ""
        state.heard.clear()
        state.hold = 0
        return await self._answer(state, self.heard_kind(content=heard))

    async def understood(self, pieces: list[Any]) -> str:
        """The text of what was heard: words as they are, audio through the recogniser (each
        run of consecutive audio recognised as one utterance)."""
        from runner.voice import join

        parts: list[str] = []
        clips: list[Any] = []
        recognised = False
        for piece in [*pieces, None]:
            if piece is not None and not isinstance(piece, str):
                clips.append(piece)
                continue
            if clips:
                heard = await self.voice.atranscribe(join(clips))
                parts.append(heard.text.strip() + " ")
                clips, recognised = [], True
            if piece is not None:
                parts.append(piece)
        return "".join(parts).strip() if recognised else "".join(parts)

    def stop_speaking(self, state: StreamState) -> Any:
        """Stop mid-message: the rest is dropped and reported in ``unspoken``."""
        dropped = "".join(state.speaking)
        state.speaking.clear()
        state.frames.clear()
        state.heard.extend(state.overlap)
        state.overlap.clear()
        state.overlap_ticks = 0
        state.silence = 0
        state.message = None
        return self.kind(content=None, interrupted=True, unspoken=dropped)

    async def say(self, state: StreamState, message: Any) -> Any:
        """Start speaking ``message`` (its text; in a voice run, its synthesised audio); the
        first piece is this tick's chunk."""
        text = message.content or ""
        if self.voice is not None and text.strip():
            audio = await self.voice.asynthesize(text)
            state.frames = audio.frames(self.tick_seconds or 0.2)
            state.speaking = spread_words(text, len(state.frames))
        else:
            state.frames = []
            state.speaking = split_words(text, self.words_per_tick)
        state.spoken = 0
        state.message = message
        state.overlap.clear()
        state.overlap_ticks = 0
        state.interrupting = state.other_speaking
        if not state.speaking:
            return None
        return self.next_piece(state)

    def next_piece(self, state: StreamState) -> Any:
        message = state.message
        piece = state.speaking.pop(0)
        first = state.spoken == 0
        chunk = self.kind(
            content=piece,
            chunk_id=state.spoken,
            is_final_chunk=not state.speaking,
            cost=message.cost if first else None,
            usage=message.usage if first else None,
            raw_data=message.raw_data if first else None,
        )
        if state.frames:
            chunk.attach_audio(state.frames.pop(0))
        state.spoken += 1
        if not state.speaking:
            state.heard.extend(state.overlap)  # what the other side said over the last words
            state.overlap.clear()
            state.overlap_ticks = 0
            state.waiting = 0
            state.silence = 0
            if self.participant.is_stop(message):
                self._stop_chunk = chunk
        return chunk

    async def _answer(self, state: StreamState, message: Any) -> Any:
        reply, state.inner = await self._call(message, state.inner)
        if not isinstance(reply, self.kind):
            raise wrong_kind(self.side, reply)
        if reply.tool_calls:
            state.waiting = None
            if self.participant.is_stop(reply):
                self._stop_chunk = reply
            return reply
        return await self.say(state, reply)


def spread_words(text: str, pieces: int) -> list[str]:
    """``text`` cut at word boundaries into exactly ``pieces`` pieces, as evenly as the words
    allow (some may be empty when there are fewer words than pieces); lossless."""
    words = _WORD.findall(text)
    if pieces <= 1 or not words:
        return [text] + [""] * max(0, pieces - 1)
    out = []
    for k in range(pieces):
        out.append("".join(words[k * len(words) // pieces : (k + 1) * len(words) // pieces]))
    return out


def spoken_text(chunk: Any) -> str | None:
    """The words a chunk carries to the listener (``None`` for silence and back-channels)."""
    if chunk is None or getattr(chunk, "backchannel", False):
        return None
    content = getattr(chunk, "content", None)
    return content if content else None

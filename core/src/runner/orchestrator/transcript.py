"""The flat transcript of a full-duplex conversation: what was said, as half-duplex messages.

Evaluation reads messages, not ticks, so the full-duplex orchestrator folds each chunk into a
:class:`Transcript` as it goes. A side's consecutive text pieces form one message (its *turn*),
even when the other side spoke over it meanwhile; the turn ends when that side falls silent,
makes tool calls, or is interrupted (the message is then marked ``interrupted`` and carries the
dropped words in ``unspoken``: it holds only what was actually said). Back-channels stay out of
it. A chunk with tool calls becomes a tool-calling message followed by its results, exactly as
half duplex records them, so every evaluator works on both.
"""

from __future__ import annotations

from typing import Any

from runner.models.messages import ToolMessage
from runner.orchestrator.base import now
from runner.orchestrator.sides import AGENT, MESSAGE_KIND, USER


class Transcript:
    """The messages of one conversation, appended to in tick order (see the module docstring)."""

    def __init__(self, messages: list[Any]) -> None:
        self.messages = messages
        self._open: dict[str, int | None] = {AGENT: None, USER: None}
        #: Voice runs: the audio frames each message was said with, by message index.
        self.clips: dict[int, list[Any]] = {}

    def add(self, message: Any) -> None:
        """Append a whole message (the greeting, a history message, a tool result)."""
        if message.turn_idx is not None:  # a message object already in another transcript
            message = message.model_copy()
        message.turn_idx = len(self.messages)
        if message.timestamp is None:
            message.timestamp = now()
        self.messages.append(message)

    def chunk(self, side: str, chunk: Any) -> None:
        """Fold one tick's final chunk of ``side`` (``None``: silence) into the transcript."""
        if chunk is None:
            self._open[side] = None
        elif chunk.backchannel:
            return
        elif chunk.interrupted:
            index = self._open[side]
            if index is not None:
                cut = self.messages[index]
                cut.interrupted = True
                cut.unspoken = chunk.unspoken
            self._open[side] = None
        elif chunk.content or chunk.audio is not None:
            self._speak(side, chunk)
        else:
            self._open[side] = None

    def tool_calls(self, side: str, chunk: Any, results: list[ToolMessage]) -> None:
        """A chunk with tool calls: its text, then the calls as one message, then the results."""
        if chunk.content:
            self._speak(side, chunk)
        self._open[side] = None
        kind = MESSAGE_KIND[side]
        self.add(kind(tool_calls=list(chunk.tool_calls), cost=chunk.cost, usage=chunk.usage))
        for result in results:
            self.add(result)

    def _speak(self, side: str, chunk: Any) -> None:
        index = self._open[side]
        if index is None:
            message = MESSAGE_KIND[side](
                content=chunk.content, cost=chunk.cost, usage=chunk.usage, raw_data=chunk.raw_data
            )
            self.add(message)
            index = self._open[side] = len(self.messages) - 1
            if chunk.audio is not None:
                self.clips[index] = [chunk.audio]
            return
        message = self.messages[index]
        message.content = (message.content or "") + (chunk.content or "")
        if chunk.audio is not None:
            self.clips.setdefault(index, []).append(chunk.audio)
        if chunk.cost:
            message.cost = (message.cost or 0.0) + chunk.cost
        if chunk.usage:
            message.usage = _add_usage(message.usage, chunk.usage)


def _add_usage(total: dict[str, Any] | None, more: dict[str, Any]) -> dict[str, Any]:
    merged = dict(total or {})
    for key, value in more.items():
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            merged[key] = merged.get(key, 0) + value
    return merged

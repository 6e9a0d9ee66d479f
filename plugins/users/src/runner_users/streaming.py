"""``streaming_user_simulator``: the LLM user for full duplex, with turn-taking decided per tick.

What the customer says comes from the same model and prompt as ``user_simulator`` (one model
call per utterance); *when* it speaks is decided every tick by :class:`StreamingUserSimulator`,
with the simulation's seed:

- keep talking: it says its message a few words per tick (``runner.StreamingAdapter``);
- yield: when the agent talks over it for the barge-in threshold, it stops and its unspoken
  words are dropped (not when it is the one who cut in);
- interrupt: while the agent talks, each tick, with ``interrupt_probability``, it cuts in with
  a reply to what it heard so far (once the agent has said ``interrupt_after_words`` words);
- back-channel: while the agent talks, each tick, with ``backchannel_probability``, it says a
  short acknowledgement ("mm-hm") that does not take the turn (at most one per 10 ticks);
- patience: when the agent stays silent for ``patience`` seconds after the customer's turn,
  the customer speaks again (its model is told how long the silence lasted).

Options (``--user-option``): ``patience`` (seconds, 5), ``interrupt_probability`` (0.02),
``backchannel_probability`` (0.05), ``interrupt_after_words`` (8) and ``user_simulator``'s own
``prompt``.
"""

from __future__ import annotations

import random
from typing import Any

from runner import ConfigError, StreamingAdapter, StreamState, UserMessage

from runner_users.simulator import OPTIONS as CHAT_OPTIONS
from runner_users.simulator import build_user_simulator, check_options

BACKCHANNELS = ("mm-hm", "okay", "right", "uh-huh")
#: The least number of ticks between two back-channels.
BACKCHANNEL_GAP = 10
OPTIONS = {
    "patience": "seconds of the agent's silence before the customer speaks again (5)",
    "interrupt_probability": "chance per tick of cutting in while the agent talks (0.02)",
    "backchannel_probability": "chance per tick of a back-channel while the agent talks (0.05)",
    "interrupt_after_words": "words the agent says before the customer may cut in (8)",
    **CHAT_OPTIONS,
}


class StreamingUserSimulator(StreamingAdapter):
    """An LLM customer (``participant``: a :class:`~runner_users.simulator.UserSimulator`)
    spoken over ticks, with the turn-taking of the module docstring."""

    def __init__(
        self,
        participant: Any,
        *,
        patience: float = 5.0,
        interrupt_probability: float = 0.02,
        backchannel_probability: float = 0.05,
        interrupt_after_words: int = 8,
        yield_after_ticks: int | None = 2,
    ) -> None:
        super().__init__(participant, "user", yield_after_ticks=yield_after_ticks)
        self.patience = patience
        self.interrupt_probability = interrupt_probability
        self.backchannel_probability = backchannel_probability
        self.interrupt_after_words = interrupt_after_words
        self.rng = random.Random()
        self._last_backchannel = -BACKCHANNEL_GAP
        self._words_heard = 0

    def set_seed(self, seed: int | None) -> None:
        super().set_seed(seed)
        self.rng.seed(seed)

    async def react(self, state: StreamState, incoming: Any) -> Any:
        listening = not state.speaking
        piece = self.hear(incoming)  # words, or audio in a voice run
        agent_talks = piece is not None
        if listening and not state.heard:
            self._words_heard = 0  # a new agent turn
        if listening and agent_talks:
            self._words_heard += len((incoming.content or "").split())
            if self._words_heard >= self.interrupt_after_words:
                if self.rng.random() < self.interrupt_probability:
                    state.heard.append(piece)
                    state.other_speaking = True
                    return await self.take_turn(state)
            tick = state.ticks
            if (
                tick - self._last_backchannel >= BACKCHANNEL_GAP
                and self.rng.random() < self.backchannel_probability
            ):
                self._last_backchannel = tick
                await super().react(state, incoming)  # still hears the agent's words
                return UserMessage(content=self.rng.choice(BACKCHANNELS), backchannel=True)
        if listening and not agent_talks and state.waiting is not None and self._impatient(state):
            state.waiting = None
            seconds = self.patience
            return await self.take_turn(
                state, note=f"(The agent has said nothing for {seconds:g} seconds.)"
            )
        return await super().react(state, incoming)

    def _impatient(self, state: StreamState) -> bool:
        ticks = max(1, round(self.patience / (self.tick_seconds or 0.2)))
        return (state.waiting or 0) >= ticks


def _option(ctx: Any, name: str, default: float, kind: type = float) -> Any:
    value = ctx.options.get(name, default)
    try:
        number = kind(value)
    except (TypeError, ValueError):
        number = None
    if number is None or number < 0 or (name.endswith("probability") and number > 1):
        bound = "between 0 and 1" if name.endswith("probability") else "of at least 0"
        raise ConfigError(
            f"--user-option {name}={value!r}: expected a number {bound} "
            f"(streaming_user_simulator; default {default})."
        )
    return number


def build_streaming_user_simulator(ctx: Any) -> StreamingUserSimulator:
    """Factory of ``streaming_user_simulator`` (takes a :class:`runner.BuildContext`)."""
    check_options(ctx, "streaming_user_simulator", OPTIONS)
    chat = {k: v for k, v in ctx.options.items() if k in CHAT_OPTIONS}
    inner = build_user_simulator(ctx.model_copy(update={"options": chat}))
    return StreamingUserSimulator(
        inner,
        patience=_option(ctx, "patience", 5.0),
        interrupt_probability=_option(ctx, "interrupt_probability", 0.02),
        backchannel_probability=_option(ctx, "backchannel_probability", 0.05),
        interrupt_after_words=_option(ctx, "interrupt_after_words", 8, int),
    )

"""The half-duplex orchestrator: one message at a time, like τ²-bench's ``Orchestrator``.

Routing: an assistant message with tool calls goes to the environment and the results come back
to the agent; plain assistant text goes to the user; a user message with tool calls goes to the
user tools and the results come back to the user; plain user text goes to the agent. Every
message is one *step* (the environment's answer to a message with tool calls is one step too).

The orchestrator never raises for a participant's or a tool's fault: a failing tool is an error
:class:`~runner.ToolMessage` the caller reads, and an exception in a participant ends the run
with a termination reason (see ``docs/orchestrator.md``). The result is not evaluated.
What it shares with full duplex lives beside it: the run and the result in ``base``, calling
participants in ``participant_calls``, failures in ``failures``; continuing a task's message
history is ``history``, the agent working without a user is ``solo``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, ClassVar

from runner.constants import GREETING
from runner.errors import ConfigError
from runner.models.messages import (
    AssistantMessage,
    MultiToolMessage,
    ToolCall,
    ToolMessage,
    UserMessage,
)
from runner.models.simulation import TerminationReason
from runner.orchestrator.base import BaseOrchestrator, now
from runner.orchestrator.failures import participant_failure, wrong_kind
from runner.orchestrator.history import next_turn, replay_writes, trailing_results
from runner.orchestrator.participant_calls import (
    implements,
    init_state,
    is_stop,
    own_calls,
    participant_caller,
    seed_participant,
)
from runner.orchestrator.sides import AGENT, ENV, REQUESTOR, USER
from runner.orchestrator.solo import TEXT_WITHOUT_USER, solo_mode


class HalfDuplexOrchestrator(BaseOrchestrator):
    """Drives one turn-based conversation between an agent, a user and an environment.

    Keyword arguments: ``environment, agent, user, task, seed=None, max_steps=100,
    max_errors=10, timeout=None``. ``max_steps``: the run ends (``max_steps``) once this many
    messages were produced, checked only when no tool call is waiting for its result.
    ``max_errors``: the run ends (``too_many_errors``) once this many tool results *in total*
    (agent and user side, not counting the task's message history) had ``error=True``.
    ``timeout``: wall-clock seconds for the whole conversation (``timeout``). Its one option
    is ``solo`` (see :mod:`runner.orchestrator.solo`); any other is a ``ConfigError``. A
    streaming (full-duplex only) participant is a ``ConfigError`` too, raised here, before
    the conversation starts.
    """

    OPTIONS: ClassVar[dict[str, str] | None] = {
        "solo": "no user: the agent works alone from its ticket (false)"
    }
    NAME: ClassVar[str] = "half_duplex"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        #: Solo mode: no user; the agent works alone (``solo=True`` option, or an agent class
        #: with ``solo = True`` such as ``llm_solo_agent``).
        self.solo = solo_mode(self.agent, self.options)
        for side, participant in ((AGENT, self.agent), (USER, self.user)):
            if participant is not None and not (side == USER and self.solo):
                _check_turn_based(side, participant)
        self.step_count = 0
        self._agent_state: Any = None
        self._user_state: Any = None

    # -- the loop --------------------------------------------------------------------------
    async def _conversation(self) -> None:
        agent_call = participant_caller(
            self.agent, AGENT, "agenerate_next_message", "generate_next_message", "half-duplex"
        )
        user_call = participant_caller(
            self.user, USER, "agenerate_next_message", "generate_next_message", "half-duplex"
        )
        sender, receiver, message = self._initialize()
        while self.termination_reason is None:
            if receiver == ENV:
                results = self._execute(message.tool_calls, REQUESTOR[sender])
                for result in results:
                    self._append(result)
                message = (
                    results[0] if len(results) == 1 else MultiToolMessage(tool_messages=results)
                )
                sender, receiver = ENV, sender
            elif receiver == USER:
                if self.solo:
                    self.termination_reason = TerminationReason.AGENT_ERROR
                    self.error = TEXT_WITHOUT_USER
                    break
                self._user_state, reply = await self._generate(
                    user_call, message, self._user_state, USER, UserMessage
                )
                self._append(reply)
                sender, message = USER, reply
                receiver = ENV if reply.tool_calls else AGENT
                if is_stop(self.user, reply, USER):
                    self.termination_reason = TerminationReason.USER_STOP
            else:
                self._agent_state, reply = await self._generate(
                    agent_call, message, self._agent_state, AGENT, AssistantMessage
                )
                self._append(reply)
                sender, message = AGENT, reply
                receiver = ENV if reply.tool_calls else USER
                if is_stop(self.agent, reply, AGENT):
                    self.termination_reason = TerminationReason.AGENT_STOP
            self.step_count += 1
            if receiver != ENV and self.termination_reason is None:
                if self.step_count >= self.max_steps:
                    self.termination_reason = TerminationReason.MAX_STEPS
                if self.num_errors >= self.max_errors:
                    self.termination_reason = TerminationReason.TOO_MANY_ERRORS

    async def _generate(
        self,
        call: Callable[[Any, Any], Awaitable[tuple[Any, Any]]],
        message: Any,
        state: Any,
        side: str,
        expected: type[AssistantMessage] | type[UserMessage],
    ) -> tuple[Any, Any]:
        try:
            reply, state = await call(message, state)
        except Exception as exc:  # the participant's fault (or its provider's): end the run
            raise participant_failure(side, exc) from exc
        if not isinstance(reply, expected):
            raise wrong_kind(side, reply)
        if reply.tool_calls and not (self.solo and side == AGENT):
            own_calls(reply, REQUESTOR[side])  # (a solo agent may call user-side tools)
        return state, reply

    def _execute(self, calls: list[ToolCall], requestor: str) -> list[ToolMessage]:
        execute = self.environment.execute
        results = []
        for call in calls:
            result = execute(call)
            if result.error:
                self.num_errors += 1
            results.append(result)
        return results

    def _append(self, message: Any) -> None:
        if message.turn_idx is not None:  # a participant re-sent an object it already sent
            message = message.model_copy()
        message.turn_idx = len(self.messages)
        if message.timestamp is None:
            message.timestamp = now()
        self.messages.append(message)

    # -- start -----------------------------------------------------------------------------
    def _initialize(self) -> tuple[str, str, Any]:
        """Apply the task's initial state; return (sender, receiver, message) of the first step."""
        initial = self.task.initial_state
        self.environment.apply_initial_state(initial)
        history = list(initial.message_history or []) if initial is not None else []
        seed_participant(self.agent, AGENT, self.seed)
        seed_participant(self.user, USER, self.seed)
        if not history and self.solo:  # no greeting: the agent starts, from its ticket
            self._agent_state = init_state(self.agent, AGENT, None)
            return USER, AGENT, None
        if not history:
            greeting = AssistantMessage(content=GREETING, cost=0.0)
            self._user_state = init_state(self.user, USER, None)
            self._agent_state = init_state(self.agent, AGENT, [greeting])
            self._append(greeting)
            return AGENT, USER, greeting
        return self._resume(history)

    def _resume(self, history: list[Any]) -> tuple[str, str, Any]:
        """Continue from a message history: replay its tool calls and find who speaks next."""
        history = [m.model_copy(update={"turn_idx": None}) for m in history]
        replay_writes(self.environment, history)
        turn = next_turn(history)
        self._agent_state = init_state(self.agent, AGENT, turn.agent_saw)
        self._user_state = init_state(self.user, USER, turn.user_saw)
        for m in history:
            self._append(m)
        message: Any = trailing_results(history) if turn.sender == ENV else history[-1]
        if isinstance(message, AssistantMessage) and is_stop(self.agent, message, AGENT):
            self.termination_reason = TerminationReason.AGENT_STOP
        elif isinstance(message, UserMessage) and is_stop(self.user, message, USER):
            self.termination_reason = TerminationReason.USER_STOP
        return turn.sender, turn.receiver, message


def _check_turn_based(side: str, participant: Any) -> None:
    """A participant half duplex cannot call is a ConfigError that says what would run it."""
    if implements(participant, "agenerate_next_message", "generate_next_message"):
        return
    name = type(participant).__name__
    if implements(participant, "aget_next_chunk", "get_next_chunk"):
        raise ConfigError(
            f"The {side} {name} is a streaming (full-duplex) participant: it has get_next_chunk "
            "but no generate_next_message, so the half_duplex orchestrator cannot run it. Run "
            "it with --orchestrator full_duplex."
        )
    raise ConfigError(
        f"The {side} {name} is not a participant: it has neither "
        "generate_next_message/agenerate_next_message (turn-based) nor "
        "get_next_chunk/aget_next_chunk (streaming). Subclass runner.HalfDuplexAgent or "
        "runner.FullDuplexAgent (HalfDuplexUser / FullDuplexUser for a user)."
    )

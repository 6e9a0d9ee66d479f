"""The half-duplex orchestrator: one message at a time, like τ²-bench's ``Orchestrator``.

Routing: an assistant message with tool calls goes to the environment and the results come back
to the agent; plain assistant text goes to the user; a user message with tool calls goes to the
user tools and the results come back to the user; plain user text goes to the agent. Every
message is one *step* (the environment's answer to a message with tool calls is one step too).

The orchestrator never raises for a participant's or a tool's fault: a failing tool is an error
:class:`~runner.ToolMessage` the caller reads, and an exception in a participant ends the run
with a termination reason (see ``docs/orchestrator.md``). The result is not evaluated.
"""

from __future__ import annotations

import asyncio
import re
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from runner.constants import GREETING
from runner.errors import ConfigError, ContextWindowExceededError, InfrastructureError, RunnerError
from runner.models.messages import (
    AssistantMessage,
    MultiToolMessage,
    ToolCall,
    ToolMessage,
    UserMessage,
)
from runner.models.simulation import SimulationRun, TerminationReason
from runner.participants import FullDuplexAgent, HalfDuplexAgent

AGENT, USER, ENV = "agent", "user", "env"
_REQUESTOR = {AGENT: "assistant", USER: "user"}
_ERROR_REASON = {AGENT: TerminationReason.AGENT_ERROR, USER: TerminationReason.USER_ERROR}
#: HTTP statuses of a refused LLM request that every simulation would repeat (bad key, no access,
#: unknown model or endpoint): the run stops with a ConfigError instead of scoring each failure.
ACCESS_REFUSED = frozenset({401, 403, 404})
_LLM_FLAG = {AGENT: "--agent-llm", USER: "--user-llm", "judge": "--judge-llm"}
_SECRET = re.compile(r"(sk-[A-Za-z0-9_\-]{6,}|(?i:api[_-]?key)\s*[=:]\s*\S+|Bearer\s+\S+)")


class ParticipantFailure(Exception):
    """A participant's exception, tagged with the termination reason it causes."""

    def __init__(self, reason: TerminationReason, error: str) -> None:
        super().__init__(error)
        self.reason = reason
        self.error = error


def describe_error(exc: BaseException, limit: int = 500) -> str:
    """One line naming the exception, with anything that looks like a credential removed."""
    text = " ".join(str(exc).split())
    text = _SECRET.sub("[redacted]", text)
    line = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
    return line if len(line) <= limit else line[: limit - 3] + "..."


def access_refused(side: str, exc: BaseException) -> ConfigError | None:
    """A :class:`ConfigError` for an LLM request the provider refused for a reason every
    simulation would repeat (HTTP 401, 403, 404: bad API key, no access, unknown model or
    endpoint), else None. ``side``: ``agent``, ``user`` or ``judge``."""
    from runner.llm.errors import LLMRequestError

    if not isinstance(exc, LLMRequestError) or exc.status_code not in ACCESS_REFUSED:
        return None
    flag = _LLM_FLAG.get(side, "--agent-llm")
    return ConfigError(
        f"The {side}'s LLM refused the request: {describe_error(exc).rstrip('.')}. Every "
        "simulation would "
        f"fail the same way, so the run stopped. Check the model name ({flag}), its endpoint "
        f"and API key ({flag}-args api_base / api_key, or the provider's environment variable "
        "such as OPENAI_API_KEY). Finished simulations are saved: run the same command again "
        "to resume."
    )


def now() -> str:
    return datetime.now().isoformat()


class HalfDuplexOrchestrator:
    """Drives one turn-based conversation between an agent, a user and an environment.

    ``max_steps``: the run ends (``max_steps``) once this many messages were produced, checked
    only when no tool call is waiting for its result. ``max_errors``: the run ends
    (``too_many_errors``) once this many tool results *in total* (agent and user side, not
    counting the task's message history) had ``error=True``. ``timeout``: wall-clock seconds for
    the whole conversation (``timeout``). Extra keyword ``options`` are accepted and ignored so
    that configuration meant for other orchestrators does not break this one.
    """

    def __init__(
        self,
        *,
        environment: Any,
        agent: Any,
        user: Any,
        task: Any,
        seed: int | None = None,
        max_steps: int = 100,
        max_errors: int = 10,
        timeout: float | None = None,
        **options: Any,
    ) -> None:
        self.environment = environment
        self.agent = agent
        self.user = user
        self.task = task
        self.seed = seed
        self.max_steps = max_steps
        self.max_errors = max_errors
        self.timeout = timeout
        self.options = options
        #: Solo mode: no user; the agent works alone (``solo=True`` option, or an agent class
        #: with ``solo = True`` such as ``llm_solo_agent``).
        self.solo = _flag(options.get("solo", getattr(agent, "solo", False)))
        self.messages: list[Any] = []
        self.step_count = 0
        self.num_errors = 0
        self.termination_reason: TerminationReason | None = None
        self.error: str | None = None
        self._agent_state: Any = None
        self._user_state: Any = None

    # -- public ----------------------------------------------------------------------------
    async def run(self) -> SimulationRun:
        """Run the conversation to its end and return the (unevaluated) result."""
        start_time = now()
        started = time.perf_counter()
        timer = asyncio.timeout(self.timeout) if self.timeout is not None else None
        try:
            if timer is None:
                await self._conversation()
            else:
                async with timer:
                    await self._conversation()
        except ParticipantFailure as failure:
            self.termination_reason = failure.reason
            self.error = failure.error
        except RunnerError:  # a configuration every simulation would repeat: stop the run
            raise
        except TimeoutError as exc:
            if timer is not None and timer.expired():
                self.termination_reason = TerminationReason.TIMEOUT
                self.error = f"The simulation exceeded its timeout of {self.timeout:g} s."
            else:
                self._unexpected(exc)
        except Exception as exc:  # a bug of the orchestrator or the environment
            self._unexpected(exc)
        return self._result(start_time, time.perf_counter() - started)

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
                results = self._execute(message.tool_calls, _REQUESTOR[sender])
                for result in results:
                    self._append(result)
                message = (
                    results[0] if len(results) == 1 else MultiToolMessage(tool_messages=results)
                )
                sender, receiver = ENV, sender
            elif receiver == USER:
                if self.solo:
                    self.termination_reason = TerminationReason.AGENT_ERROR
                    self.error = (
                        "agent: sent a message without tool calls in solo mode, "
                        "where there is no user to read it"
                    )
                    break
                self._user_state, reply = await self._generate(
                    user_call, message, self._user_state, USER, UserMessage
                )
                self._append(reply)
                sender, message = USER, reply
                receiver = ENV if reply.tool_calls else AGENT
                if _is_stop(self.user, reply, USER):
                    self.termination_reason = TerminationReason.USER_STOP
            else:
                self._agent_state, reply = await self._generate(
                    agent_call, message, self._agent_state, AGENT, AssistantMessage
                )
                self._append(reply)
                sender, message = AGENT, reply
                receiver = ENV if reply.tool_calls else USER
                if _is_stop(self.agent, reply, AGENT):
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
        expected: type,
    ) -> tuple[Any, Any]:
        try:
            reply, state = await call(message, state)
        except Exception as exc:  # the participant's fault (or its provider's): end the run
            raise _failure(side, exc) from exc
        if not isinstance(reply, expected):
            raise ParticipantFailure(
                _ERROR_REASON[side],
                f"The {side} returned {type(reply).__name__}, not {expected.__name__}.",
            )
        if reply.tool_calls and not (self.solo and side == AGENT):
            _own_calls(reply, _REQUESTOR[side])  # (a solo agent may call user-side tools)
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
        self._seed(self.agent, AGENT)
        self._seed(self.user, USER)
        if not history and self.solo:  # no greeting: the agent starts, from its ticket
            self._agent_state = self._init_state(self.agent, AGENT, None)
            return USER, AGENT, None
        if not history:
            greeting = AssistantMessage(content=GREETING, cost=0.0)
            self._user_state = self._init_state(self.user, USER, None)
            self._agent_state = self._init_state(self.agent, AGENT, [greeting])
            self._append(greeting)
            return AGENT, USER, greeting
        return self._resume(history)

    def _resume(self, history: list[Any]) -> tuple[str, str, Any]:
        """Continue from a message history: replay its tool calls and find who speaks next."""
        history = [m.model_copy(update={"turn_idx": None}) for m in history]
        self._replay_history(history)
        last = history[-1]
        if isinstance(last, MultiToolMessage):
            last = last.tool_messages[-1]
        if isinstance(last, AssistantMessage):
            sender, receiver = AGENT, (ENV if last.tool_calls else USER)
            agent_sees, user_sees = history, history[:-1]
        elif isinstance(last, UserMessage):
            sender, receiver = USER, (ENV if last.tool_calls else AGENT)
            agent_sees, user_sees = history[:-1], history
        elif isinstance(last, ToolMessage):
            sender = ENV
            receiver = USER if last.requestor == "user" else AGENT
            agent_sees, user_sees = (
                (history, history[:-1]) if receiver == USER else (history[:-1], history)
            )
        else:
            raise ValueError(
                f"A message history must end with an assistant, user or tool message, "
                f"not {type(last).__name__}."
            )
        self._agent_state = self._init_state(
            self.agent, AGENT, [m for m in agent_sees if _agent_visible(m)]
        )
        self._user_state = self._init_state(
            self.user, USER, [m for m in user_sees if _user_visible(m)]
        )
        for m in history:
            self._append(m)
        message: Any = history[-1]
        if sender == ENV:
            message = _trailing_results(history)
        if isinstance(message, AssistantMessage) and _is_stop(self.agent, message, AGENT):
            self.termination_reason = TerminationReason.AGENT_STOP
        elif isinstance(message, UserMessage) and _is_stop(self.user, message, USER):
            self.termination_reason = TerminationReason.USER_STOP
        return sender, receiver, message

    def _replay_history(self, history: list[Any]) -> None:
        """Bring the environment to the state the history implies: re-run its write calls that
        have a result in the history (a trailing unanswered call is executed by the loop)."""
        env = self.environment
        answered = _answered_ids(history)
        for m in history:
            for call in getattr(m, "tool_calls", None) or []:
                if call.id in answered and env.is_write(call):
                    env.execute(call)

    def _seed(self, participant: Any, side: str) -> None:
        if self.seed is None:
            return
        try:
            participant.set_seed(self.seed)
        except Exception as exc:
            raise _failure(side, exc) from exc

    @staticmethod
    def _init_state(participant: Any, side: str, history: list[Any] | None) -> Any:
        try:
            return participant.get_init_state(history)
        except Exception as exc:
            raise _failure(side, exc) from exc

    # -- end -------------------------------------------------------------------------------
    def _unexpected(self, exc: BaseException) -> None:
        self.termination_reason = TerminationReason.UNEXPECTED_ERROR
        self.error = describe_error(exc)

    def _result(self, start_time: str, duration: float) -> SimulationRun:
        agent_cost = user_cost = 0.0
        usage: dict[str, dict[str, float]] = {}
        for m in self.messages:
            cost = getattr(m, "cost", None)
            if cost:
                if m.role == "assistant":
                    agent_cost += cost
                else:
                    user_cost += cost
            used = getattr(m, "usage", None)
            if used:
                bucket = usage.setdefault("agent" if m.role == "assistant" else "user", {})
                for key, value in used.items():
                    if isinstance(value, (int, float)) and not isinstance(value, bool):
                        bucket[key] = bucket.get(key, 0) + value
        return SimulationRun(
            id=uuid.uuid4().hex,
            task_id=self.task.id,
            seed=self.seed,
            start_time=start_time,
            end_time=now(),
            duration=duration,
            termination_reason=self.termination_reason or TerminationReason.UNEXPECTED_ERROR,
            messages=self.messages,
            agent_cost=agent_cost,
            user_cost=user_cost,
            usage=usage or None,
            error=self.error,
        )


def participant_caller(
    participant: Any, side: str, async_name: str, sync_name: str, kind: str
) -> Callable[..., Awaitable[tuple[Any, Any]]]:
    """The participant's async method when its class provides its own, else its sync one run in
    a worker thread (so blocking SDKs work); a participant with neither is a ``{side}_error``.
    Shared by both orchestrators: ``agenerate_next_message``/``generate_next_message`` here,
    ``aget_next_chunk``/``get_next_chunk`` in full duplex."""
    method = getattr(type(participant), async_name, None)
    if method is not None and method not in _INHERITED_ASYNC:
        return getattr(participant, async_name)
    sync = getattr(participant, sync_name, None)
    if sync is None:
        raise ParticipantFailure(
            _ERROR_REASON[side],
            f"The {side} {type(participant).__name__} is not a {kind} participant.",
        )

    async def in_thread(*args: Any) -> tuple[Any, Any]:
        return await asyncio.to_thread(sync, *args)

    return in_thread


#: The base classes' async defaults, which only run the sync method in a thread themselves.
_INHERITED_ASYNC = (HalfDuplexAgent.agenerate_next_message, FullDuplexAgent.aget_next_chunk)


def _failure(side: str, exc: BaseException) -> ParticipantFailure | ConfigError:
    if isinstance(exc, RunnerError):  # a configuration problem (an option, an LLM argument)
        return ConfigError(str(exc))
    refused = access_refused(side, exc)
    if refused is not None:
        return refused
    if isinstance(exc, InfrastructureError):
        reason = TerminationReason.INFRASTRUCTURE_ERROR
    elif isinstance(exc, ContextWindowExceededError):
        reason = TerminationReason.CONTEXT_WINDOW_EXCEEDED
    else:
        reason = _ERROR_REASON[side]
    return ParticipantFailure(reason, f"{side}: {describe_error(exc)}")


def _flag(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)


def _is_stop(participant: Any, message: Any, side: str) -> bool:
    try:
        return bool(participant.is_stop(message))
    except Exception as exc:
        raise _failure(side, exc) from exc


def _own_calls(message: Any, requestor: str) -> None:
    """Make every tool call of a message carry its sender as requestor (the routing depends on it)."""
    calls = message.tool_calls
    for i, call in enumerate(calls):
        if call.requestor != requestor:
            calls[i] = call.model_copy(update={"requestor": requestor})


def _answered_ids(history: list[Any]) -> set[str]:
    ids: set[str] = set()
    for m in history:
        if isinstance(m, ToolMessage):
            ids.add(m.id)
        elif isinstance(m, MultiToolMessage):
            ids.update(t.id for t in m.tool_messages)
    return ids


def _trailing_results(history: list[Any]) -> Any:
    """The tool results at the end of a history, as the caller would have received them."""
    results: list[ToolMessage] = []
    for m in reversed(history):
        if isinstance(m, ToolMessage):
            results.append(m)
        elif isinstance(m, MultiToolMessage):
            results.extend(reversed(m.tool_messages))
        else:
            break
    results.reverse()
    return results[0] if len(results) == 1 else MultiToolMessage(tool_messages=results)


def _agent_visible(m: Any) -> bool:
    """What an agent saw of a history (τ²-bench's rule): not the user's tool traffic."""
    if isinstance(m, UserMessage):
        return not m.tool_calls
    if isinstance(m, ToolMessage):
        return m.requestor == "assistant"
    return isinstance(m, (AssistantMessage, MultiToolMessage))


def _user_visible(m: Any) -> bool:
    """What a user saw of a history: not the agent's tool traffic."""
    if isinstance(m, AssistantMessage):
        return not m.tool_calls
    if isinstance(m, ToolMessage):
        return m.requestor == "user"
    return isinstance(m, UserMessage)

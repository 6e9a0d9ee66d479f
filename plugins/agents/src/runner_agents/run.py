"""``Runner``: runs an agent in a loop until it produces a final output.

Each turn calls the current agent's model. A response with tool calls runs the tools and loops;
a handoff switches the current agent and loops; a response without tool calls is the final
output, which the output guardrails then check. ``max_turns`` bounds the number of model calls.

Three entry points share one loop: ``run`` (async), ``run_sync`` (blocking; inside a running
event loop, e.g. a notebook, it runs in a separate thread with its own loop), ``run_streamed``
(returns at once; events arrive through ``result.stream_events()``).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from runner_agents.agent import Agent
from runner_agents.exceptions import (
    AgentsException,
    InputGuardrailTripwireTriggered,
    MaxTurnsExceeded,
    OutputGuardrailTripwireTriggered,
    RunErrorDetails,
    UserError,
)
from runner_agents.guardrails import run_input_guardrails, run_output_guardrails
from runner_agents.items import MessageOutputItem
from runner_agents.lifecycle import RunHooks
from runner_agents.model_call import call_model
from runner_agents.result import RunResult, RunResultStreaming
from runner_agents.run_config import DEFAULT_MAX_TURNS, RunConfig
from runner_agents.run_context import RunContextWrapper
from runner_agents.run_state import RunState
from runner_agents.stream import StreamEvent
from runner_agents.tools import tool_output_text
from runner_agents.tracing import Trace
from runner_agents.turn import NextStep, handle_response

__all__ = ["DEFAULT_MAX_TURNS", "RunErrorHandlerInput", "RunErrorHandlerResult", "Runner"]

_ROLES = {"system", "developer", "user", "assistant", "tool"}
ERROR_KINDS = ("max_turns",)


@dataclass
class RunErrorHandlerInput:
    """What an error handler receives: the error, the context and the partial run."""

    error: AgentsException
    context: RunContextWrapper[Any]
    run_data: RunErrorDetails


@dataclass
class RunErrorHandlerResult:
    """An error handler's answer: the run's final output, and whether to add it to the
    conversation as an assistant message (so ``to_input_list()`` shows it)."""

    final_output: Any
    include_in_history: bool = True


ErrorHandler = Callable[[RunErrorHandlerInput], Any]


class Runner:
    """Runs agents. All methods are class methods; there is no state between runs."""

    @classmethod
    async def run(
        cls,
        starting_agent: Agent[Any],
        input: str | list[dict[str, Any]],
        *,
        context: Any = None,
        max_turns: int | None = None,
        hooks: RunHooks[Any] | None = None,
        run_config: RunConfig | None = None,
        error_handlers: dict[str, ErrorHandler] | None = None,
    ) -> RunResult:
        """Run ``starting_agent`` on ``input`` (a user message, or a list of chat messages such
        as a previous result's ``to_input_list()``) until it produces a final output.

        ``error_handlers={"max_turns": fn}`` turns :class:`MaxTurnsExceeded` into a final
        output: ``fn(RunErrorHandlerInput)`` (sync or async) returns the output (or a
        :class:`RunErrorHandlerResult`); returning ``None`` re-raises.
        """
        state = _prepare(
            starting_agent, input, context, max_turns, hooks, run_config, error_handlers
        )
        return await _execute(state, error_handlers or {})

    @classmethod
    def run_sync(
        cls,
        starting_agent: Agent[Any],
        input: str | list[dict[str, Any]],
        *,
        context: Any = None,
        max_turns: int | None = None,
        hooks: RunHooks[Any] | None = None,
        run_config: RunConfig | None = None,
        error_handlers: dict[str, ErrorHandler] | None = None,
    ) -> RunResult:
        """Blocking :meth:`run`. Inside a running event loop (a notebook, an async test) the
        run gets its own loop in a worker thread, and this call blocks until it is done."""
        options: dict[str, Any] = dict(
            context=context,
            max_turns=max_turns,
            hooks=hooks,
            run_config=run_config,
            error_handlers=error_handlers,
        )
        _prepare(starting_agent, input, **options)  # bad arguments fail in the caller's thread

        def main() -> RunResult:
            return asyncio.run(cls.run(starting_agent, input, **options))

        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return main()
        with concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="runner-agents") as pool:
            return pool.submit(main).result()

    @classmethod
    def run_streamed(
        cls,
        starting_agent: Agent[Any],
        input: str | list[dict[str, Any]],
        *,
        context: Any = None,
        max_turns: int | None = None,
        hooks: RunHooks[Any] | None = None,
        run_config: RunConfig | None = None,
        error_handlers: dict[str, ErrorHandler] | None = None,
    ) -> RunResultStreaming:
        """Start a run whose model calls are streamed; call from async code and iterate
        ``result.stream_events()``."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            raise UserError(
                "Runner.run_streamed needs a running event loop: call it from async code, or use "
                "Runner.run_sync for a blocking run."
            ) from None
        state = _prepare(
            starting_agent, input, context, max_turns, hooks, run_config, error_handlers
        )
        result = RunResultStreaming(
            input=state.input,
            new_items=state.items,
            raw_responses=state.raw_responses,
            final_output=None,
            input_guardrail_results=state.input_guardrail_results,
            output_guardrail_results=state.output_guardrail_results,
            context_wrapper=state.context,
            last_agent=starting_agent,
            trace=state.trace,
            current_agent=starting_agent,
            max_turns=state.max_turns,
        )

        def emit(event: StreamEvent) -> None:
            _sync(result, state)
            result._emit(event)

        state.emit = emit

        async def drive() -> None:
            try:
                final = await _execute(state, error_handlers or {})
            except asyncio.CancelledError:
                _sync(result, state)
                result._finish()
                raise
            except BaseException as exc:
                _sync(result, state)
                result._finish(exc)
                return
            _sync(result, state)
            result.final_output = final.final_output
            result._finish()

        result._task = loop.create_task(drive())
        return result


def _sync(result: RunResultStreaming, state: RunState) -> None:
    result.input = state.input
    result.new_items = state.items
    result.current_agent = result.last_agent = state.current_agent
    result.current_turn = state.current_turn


def _prepare(
    agent: Any,
    input: Any,
    context: Any,
    max_turns: Any,
    hooks: Any,
    run_config: Any,
    error_handlers: Any,
) -> RunState:
    """Check the arguments (every mistake is a :class:`UserError`) and build the run state."""
    if not isinstance(agent, Agent):
        raise UserError(f"Runner needs an Agent as its starting agent, got {type(agent).__name__}.")
    _check_input(input)
    config = run_config if run_config is not None else RunConfig()
    if not isinstance(config, RunConfig):
        raise UserError(f"run_config must be a RunConfig, got {type(config).__name__}.")
    if max_turns is None:
        max_turns = config.max_turns if config.max_turns is not None else DEFAULT_MAX_TURNS
    if isinstance(max_turns, bool) or not isinstance(max_turns, int) or max_turns <= 0:
        raise UserError(
            f"max_turns must be a positive integer (model calls allowed), got {max_turns!r}."
        )
    if hooks is not None and not isinstance(hooks, RunHooks):
        raise UserError(f"hooks must be a RunHooks instance, got {type(hooks).__name__}.")
    for kind, handler in (error_handlers or {}).items():
        if kind not in ERROR_KINDS:
            raise UserError(
                f"Unknown error handler kind {kind!r}; known kinds: {', '.join(ERROR_KINDS)}."
            )
        if not callable(handler):
            raise UserError(f"The error handler for {kind!r} must be callable.")
    trace = Trace(
        config.workflow_name,
        metadata=dict(config.trace_metadata),
        enabled=not config.tracing_disabled,
    )
    wrapper = context if isinstance(context, RunContextWrapper) else RunContextWrapper(context)
    return RunState(
        input=input if isinstance(input, str) else [dict(m) for m in input],
        current_agent=agent,
        context=wrapper,
        config=config,
        hooks=hooks or RunHooks(),
        max_turns=max_turns,
        trace=trace,
    )


def _check_input(input: Any) -> None:
    if input is None:
        raise UserError(
            "Runner needs an input: a string (the user's message) or a list of chat messages "
            "(dicts with 'role' and 'content'), got None."
        )
    if isinstance(input, str):
        return
    if not isinstance(input, (list, tuple)):
        raise UserError(
            f"Runner input must be a string or a list of chat messages, got {type(input).__name__}."
        )
    for n, message in enumerate(input):
        if not isinstance(message, dict) or message.get("role") not in _ROLES:
            raise UserError(
                f"Runner input message #{n} is not a chat message: {message!r}. Each message is a "
                f"dict whose 'role' is one of {', '.join(sorted(_ROLES))}."
            )


async def _execute(state: RunState, error_handlers: dict[str, ErrorHandler]) -> RunResult:
    """The run loop: one agent stint (until its final output or a handoff) at a time."""
    try:
        if state.emit is not None:
            state.set_agent(state.current_agent)
        while True:
            agent = state.current_agent
            with state.trace.span("agent", agent.name):
                await state.hooks.on_agent_start(state.context, agent)
                if agent.hooks is not None:
                    await agent.hooks.on_start(state.context, agent)
                try:
                    step = await _run_turns(state, agent)
                except MaxTurnsExceeded as exc:
                    state.attach(exc)
                    handled = await _handle_error(state, "max_turns", exc, error_handlers)
                    if handled is None:
                        raise
                    step = handled
            if step.kind == "handoff":
                assert step.new_agent is not None
                state.set_agent(step.new_agent)
                continue
            return await _finish(state, agent, step.output)
    except Exception as exc:
        if isinstance(exc, AgentsException):
            state.attach(exc)
        elif getattr(exc, "run_data", None) is None:
            try:
                exc.run_data = state.details()  # type: ignore[attr-defined]
            except AttributeError:  # pragma: no cover - exceptions with __slots__
                pass
        raise


async def _run_turns(state: RunState, agent: Agent[Any]) -> NextStep:
    while True:
        if state.current_turn >= state.max_turns:
            raise MaxTurnsExceeded(f"Max turns ({state.max_turns}) exceeded before a final output.")
        state.current_turn += 1
        if state.current_turn == 1:
            await _check_input_guardrails(state, agent)
        response = await call_model(state, agent)
        step = await handle_response(state, agent, response)
        if step.kind != "run_again":
            return step


async def _check_input_guardrails(state: RunState, agent: Agent[Any]) -> None:
    guardrails = [*agent.input_guardrails, *state.config.input_guardrails]
    if not guardrails:
        return
    with state.trace.span("guardrail", "input", count=len(guardrails)):
        results = await run_input_guardrails(guardrails, state.context, agent, state.input)
    state.input_guardrail_results.extend(results)
    for result in results:
        if result.output.tripwire_triggered:
            raise InputGuardrailTripwireTriggered(result)


async def _finish(state: RunState, agent: Agent[Any], output: Any) -> RunResult:
    guardrails = [*agent.output_guardrails, *state.config.output_guardrails]
    if guardrails:
        with state.trace.span("guardrail", "output", count=len(guardrails)):
            results = await run_output_guardrails(guardrails, state.context, agent, output)
        state.output_guardrail_results.extend(results)
        for result in results:
            if result.output.tripwire_triggered:
                raise OutputGuardrailTripwireTriggered(result)
    await state.hooks.on_agent_end(state.context, agent, output)
    if agent.hooks is not None:
        await agent.hooks.on_end(state.context, agent, output)
    return RunResult(
        input=state.input,
        new_items=state.items,
        raw_responses=state.raw_responses,
        final_output=output,
        input_guardrail_results=state.input_guardrail_results,
        output_guardrail_results=state.output_guardrail_results,
        context_wrapper=state.context,
        last_agent=agent,
        trace=state.trace,
    )


async def _handle_error(
    state: RunState, kind: str, error: AgentsException, handlers: dict[str, ErrorHandler]
) -> NextStep | None:
    handler = handlers.get(kind)
    if handler is None:
        return None
    answer = handler(RunErrorHandlerInput(error, state.context, state.details()))
    if inspect.isawaitable(answer):
        answer = await answer
    if answer is None:
        return None
    if not isinstance(answer, RunErrorHandlerResult):
        answer = RunErrorHandlerResult(answer)
    if answer.include_in_history:
        text = tool_output_text(answer.final_output)
        state.add_items(
            [
                MessageOutputItem(
                    state.current_agent,
                    {"role": "assistant", "content": text},
                    state.next_response_id(),
                )
            ]
        )
    return NextStep("final_output", answer.final_output)

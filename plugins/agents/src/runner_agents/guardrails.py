"""Guardrails: checks on a run's input and final output that can stop the run.

A guardrail function returns :class:`GuardrailFunctionOutput`; when its ``tripwire_triggered``
is true the run raises :class:`InputGuardrailTripwireTriggered` /
:class:`OutputGuardrailTripwireTriggered`. Input guardrails run once, on the run's input, for
the starting agent only, before its first model call (so a tripped run spends no tokens on the
agent); output guardrails run on the final output of the agent that produced it. The guardrails
of one kind run concurrently.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, overload

from runner_agents.run_context import RunContextWrapper, TContext

if TYPE_CHECKING:
    from runner_agents.agent import Agent


@dataclass
class GuardrailFunctionOutput:
    """What a guardrail function returns: free-form ``output_info`` and the tripwire."""

    output_info: Any = None
    tripwire_triggered: bool = False


InputGuardrailFunction = Callable[
    [RunContextWrapper[Any], "Agent[Any]", "str | list[dict[str, Any]]"],
    "GuardrailFunctionOutput | Awaitable[GuardrailFunctionOutput]",
]
OutputGuardrailFunction = Callable[
    [RunContextWrapper[Any], "Agent[Any]", Any],
    "GuardrailFunctionOutput | Awaitable[GuardrailFunctionOutput]",
]


async def _call(fn: Callable[..., Any], *args: Any) -> GuardrailFunctionOutput:
    result = fn(*args)
    if inspect.isawaitable(result):
        result = await result
    if not isinstance(result, GuardrailFunctionOutput):
        from runner_agents.exceptions import UserError

        raise UserError(
            f"Guardrail function {getattr(fn, '__name__', fn)!r} returned "
            f"{type(result).__name__}; it must return GuardrailFunctionOutput."
        )
    return result


@dataclass
class InputGuardrail(Generic[TContext]):
    """A check of the run's input: ``guardrail_function(ctx, agent, input)``."""

    guardrail_function: InputGuardrailFunction
    name: str | None = None

    def get_name(self) -> str:
        return self.name or str(getattr(self.guardrail_function, "__name__", "input_guardrail"))

    async def run(
        self, ctx: RunContextWrapper[TContext], agent: Agent[Any], input: Any
    ) -> InputGuardrailResult:
        return InputGuardrailResult(self, await _call(self.guardrail_function, ctx, agent, input))


@dataclass
class OutputGuardrail(Generic[TContext]):
    """A check of the final output: ``guardrail_function(ctx, agent, output)``."""

    guardrail_function: OutputGuardrailFunction
    name: str | None = None

    def get_name(self) -> str:
        return self.name or str(getattr(self.guardrail_function, "__name__", "output_guardrail"))

    async def run(
        self, ctx: RunContextWrapper[TContext], agent: Agent[Any], output: Any
    ) -> OutputGuardrailResult:
        checked = await _call(self.guardrail_function, ctx, agent, output)
        return OutputGuardrailResult(self, agent, output, checked)


@dataclass
class InputGuardrailResult:
    guardrail: InputGuardrail[Any]
    output: GuardrailFunctionOutput


@dataclass
class OutputGuardrailResult:
    guardrail: OutputGuardrail[Any]
    agent: Agent[Any]
    agent_output: Any
    output: GuardrailFunctionOutput


async def run_input_guardrails(
    guardrails: list[InputGuardrail[Any]],
    ctx: RunContextWrapper[Any],
    agent: Agent[Any],
    input: Any,
) -> list[InputGuardrailResult]:
    """Run them concurrently; results in declaration order."""
    return list(await asyncio.gather(*(g.run(ctx, agent, input) for g in guardrails)))


async def run_output_guardrails(
    guardrails: list[OutputGuardrail[Any]],
    ctx: RunContextWrapper[Any],
    agent: Agent[Any],
    output: Any,
) -> list[OutputGuardrailResult]:
    """Run them concurrently; results in declaration order."""
    return list(await asyncio.gather(*(g.run(ctx, agent, output) for g in guardrails)))


@overload
def input_guardrail(func: InputGuardrailFunction) -> InputGuardrail[Any]: ...
@overload
def input_guardrail(
    *, name: str | None = None
) -> Callable[[InputGuardrailFunction], InputGuardrail[Any]]: ...


def input_guardrail(func: Any = None, *, name: str | None = None) -> Any:
    """Decorator: make an :class:`InputGuardrail` of a (sync or async) function."""
    if func is not None:
        return InputGuardrail(func, name)
    return lambda f: InputGuardrail(f, name)


@overload
def output_guardrail(func: OutputGuardrailFunction) -> OutputGuardrail[Any]: ...
@overload
def output_guardrail(
    *, name: str | None = None
) -> Callable[[OutputGuardrailFunction], OutputGuardrail[Any]]: ...


def output_guardrail(func: Any = None, *, name: str | None = None) -> Any:
    """Decorator: make an :class:`OutputGuardrail` of a (sync or async) function."""
    if func is not None:
        return OutputGuardrail(func, name)
    return lambda f: OutputGuardrail(f, name)

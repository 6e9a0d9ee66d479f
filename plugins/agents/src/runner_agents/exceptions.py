"""The SDK's errors.

Every error raised by a run is an :class:`AgentsException` and carries what the run had produced
so far in ``run_data`` (a :class:`RunErrorDetails`), so a caller can still read the partial
conversation, the usage and the cost of a run that failed. Errors the caller caused (a bad
argument, a misconfigured agent) are :class:`UserError`, which is also a
:class:`runner.RunnerError`: the CLI prints it as one paragraph, without a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from runner import RunnerError

if TYPE_CHECKING:
    from runner_agents.agent import Agent
    from runner_agents.guardrails import InputGuardrailResult, OutputGuardrailResult
    from runner_agents.items import RunItem
    from runner_agents.run_context import RunContextWrapper, Usage


@dataclass
class RunErrorDetails:
    """The partial run attached to an error: everything produced before it was raised."""

    input: str | list[dict[str, Any]]
    new_items: list[RunItem]
    raw_responses: list[Any]
    last_agent: Agent[Any]
    context_wrapper: RunContextWrapper[Any]
    input_guardrail_results: list[InputGuardrailResult] = field(default_factory=list)
    output_guardrail_results: list[OutputGuardrailResult] = field(default_factory=list)

    @property
    def usage(self) -> Usage:
        """Tokens, requests and cost spent before the error."""
        return self.context_wrapper.usage

    def to_input_list(self) -> list[dict[str, Any]]:
        """The conversation so far, as chat messages (the input of a follow-up run)."""
        from runner_agents.items import input_to_messages, items_to_messages

        return input_to_messages(self.input) + items_to_messages(self.new_items)


class AgentsException(Exception):
    """Base class of the SDK's errors; ``run_data`` holds the partial run once it is known."""

    run_data: RunErrorDetails | None

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.run_data = None


class UserError(AgentsException, RunnerError):
    """The SDK was used incorrectly (bad input, a misconfigured agent or tool)."""


class MaxTurnsExceeded(AgentsException):
    """The run needed more model calls than ``max_turns`` allows."""


class ModelBehaviorError(AgentsException):
    """The model produced something the SDK cannot use (e.g. an output that does not validate
    against the agent's ``output_type``)."""


class ToolTimeoutError(AgentsException):
    """A function tool ran longer than its ``timeout``."""

    def __init__(self, tool_name: str, timeout: float) -> None:
        super().__init__(f"Tool '{tool_name}' timed out after {timeout:g} seconds.")
        self.tool_name = tool_name
        self.timeout = timeout


class ToolExecutionError(AgentsException):
    """A function tool without a ``failure_error_function`` raised; the cause is chained."""


class InputGuardrailTripwireTriggered(AgentsException):
    """An input guardrail's tripwire fired; the run stopped before the agent answered."""

    def __init__(self, guardrail_result: InputGuardrailResult) -> None:
        name = guardrail_result.guardrail.get_name()
        super().__init__(f"Input guardrail '{name}' triggered a tripwire.")
        self.guardrail_result = guardrail_result


class OutputGuardrailTripwireTriggered(AgentsException):
    """An output guardrail's tripwire fired on the final output."""

    def __init__(self, guardrail_result: OutputGuardrailResult) -> None:
        name = guardrail_result.guardrail.get_name()
        super().__init__(f"Output guardrail '{name}' triggered a tripwire.")
        self.guardrail_result = guardrail_result

"""The mutable state of one run, shared by the loop (``run.py``), the model call
(``model_call.py``) and the handling of a response (``turn.py``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from runner_agents.exceptions import AgentsException, RunErrorDetails
from runner_agents.items import RunItem, input_to_messages, items_to_messages
from runner_agents.lifecycle import RunHooks
from runner_agents.run_config import RunConfig
from runner_agents.run_context import RunContextWrapper
from runner_agents.stream import AgentUpdatedStreamEvent, StreamEvent, item_event
from runner_agents.tracing import Trace

if TYPE_CHECKING:
    from runner_agents.agent import Agent
    from runner_agents.guardrails import InputGuardrailResult, OutputGuardrailResult


@dataclass
class RunState:
    """Everything a run has produced so far, plus where to report it."""

    input: str | list[dict[str, Any]]
    current_agent: Agent[Any]
    context: RunContextWrapper[Any]
    config: RunConfig
    hooks: RunHooks[Any]
    max_turns: int
    trace: Trace
    emit: Callable[[StreamEvent], None] | None = None
    items: list[RunItem] = field(default_factory=list)
    raw_responses: list[Any] = field(default_factory=list)
    input_guardrail_results: list[InputGuardrailResult] = field(default_factory=list)
    output_guardrail_results: list[OutputGuardrailResult] = field(default_factory=list)
    current_turn: int = 0
    #: set after tools ran, so that a forcing tool_choice is not applied again
    tool_choice_used: bool = False
    _responses: int = 0

    def history(self) -> list[dict[str, Any]]:
        """The conversation the current agent sees (without its system prompt)."""
        return input_to_messages(self.input) + items_to_messages(self.items)

    def add_items(self, items: Sequence[RunItem]) -> None:
        for item in items:
            self.items.append(item)
            if self.emit is not None:
                self.emit(item_event(item))

    def set_agent(self, agent: Agent[Any]) -> None:
        self.current_agent = agent
        self.tool_choice_used = False
        if self.emit is not None:
            self.emit(AgentUpdatedStreamEvent(agent))

    def next_response_id(self) -> str:
        self._responses += 1
        return f"resp_{self._responses}"

    def details(self) -> RunErrorDetails:
        return RunErrorDetails(
            input=self.input,
            new_items=list(self.items),
            raw_responses=list(self.raw_responses),
            last_agent=self.current_agent,
            context_wrapper=self.context,
            input_guardrail_results=list(self.input_guardrail_results),
            output_guardrail_results=list(self.output_guardrail_results),
        )

    def attach(self, error: AgentsException) -> AgentsException:
        """Give ``error`` the partial run (unless an inner run already did)."""
        if error.run_data is None:
            error.run_data = self.details()
        return error

"""runner-agents: the agent SDK (``Agent``, ``Runner``, tools, handoffs, guardrails).

A small agent loop on top of the core's LLM gateway (:mod:`runner.llm`)::

    from runner_agents import Agent, Runner, function_tool

    @function_tool
    def get_weather(city: str) -> str:
        \"\"\"The weather in a city.\"\"\"
        return f"Sunny in {city}"

    agent = Agent(name="Assistant", instructions="Be brief.", tools=[get_weather],
                  model="openai/gpt-4.1-mini")
    result = Runner.run_sync(agent, "Weather in Paris?")
    print(result.final_output)

Names resolve lazily (PEP 562), so importing this package costs almost nothing until a name is
used. The guide is ``docs/agents.md``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS: dict[str, str] = {
    "Agent": "agent",
    "AgentHooks": "lifecycle",
    "AgentOutputSchema": "output_schema",
    "AgentUpdatedStreamEvent": "stream",
    "AgentsException": "exceptions",
    "DEFAULT_MAX_TURNS": "run_config",
    "FunctionTool": "tools",
    "GuardrailFunctionOutput": "guardrails",
    "Handoff": "handoffs",
    "HandoffCallItem": "items",
    "HandoffInputData": "handoffs",
    "HandoffOutputItem": "items",
    "InputGuardrail": "guardrails",
    "InputGuardrailResult": "guardrails",
    "InputGuardrailTripwireTriggered": "exceptions",
    "ItemHelpers": "items",
    "MaxTurnsExceeded": "exceptions",
    "MessageOutputItem": "items",
    "ModelBehaviorError": "exceptions",
    "ModelSettings": "model_settings",
    "OutputGuardrail": "guardrails",
    "OutputGuardrailResult": "guardrails",
    "OutputGuardrailTripwireTriggered": "exceptions",
    "RawResponsesStreamEvent": "stream",
    "ReasoningItem": "items",
    "RunConfig": "run_config",
    "RunContextWrapper": "run_context",
    "RunErrorDetails": "exceptions",
    "RunErrorHandlerInput": "run",
    "RunErrorHandlerResult": "run",
    "RunHooks": "lifecycle",
    "RunItem": "items",
    "RunItemStreamEvent": "stream",
    "RunResult": "result",
    "RunResultStreaming": "result",
    "Runner": "run",
    "Span": "tracing",
    "StreamEvent": "stream",
    "ToolCallItem": "items",
    "ToolCallOutputItem": "items",
    "ToolContext": "tools",
    "ToolExecutionError": "exceptions",
    "ToolTimeoutError": "exceptions",
    "Trace": "tracing",
    "Usage": "run_context",
    "UserError": "exceptions",
    "default_tool_error_function": "tools",
    "function_tool": "tools",
    "handoff": "handoffs",
    "input_guardrail": "guardrails",
    "output_guardrail": "guardrails",
    "remove_all_tools": "handoffs",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'runner_agents' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"runner_agents.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))


if TYPE_CHECKING:
    from runner_agents.agent import Agent  # noqa: F401
    from runner_agents.exceptions import (  # noqa: F401
        AgentsException,
        InputGuardrailTripwireTriggered,
        MaxTurnsExceeded,
        ModelBehaviorError,
        OutputGuardrailTripwireTriggered,
        RunErrorDetails,
        ToolExecutionError,
        ToolTimeoutError,
        UserError,
    )
    from runner_agents.guardrails import (  # noqa: F401
        GuardrailFunctionOutput,
        InputGuardrail,
        InputGuardrailResult,
        OutputGuardrail,
        OutputGuardrailResult,
        input_guardrail,
        output_guardrail,
    )
    from runner_agents.handoffs import Handoff, HandoffInputData, handoff, remove_all_tools  # noqa: F401
    from runner_agents.items import (  # noqa: F401
        HandoffCallItem,
        HandoffOutputItem,
        ItemHelpers,
        MessageOutputItem,
        ReasoningItem,
        RunItem,
        ToolCallItem,
        ToolCallOutputItem,
    )
    from runner_agents.lifecycle import AgentHooks, RunHooks  # noqa: F401
    from runner_agents.model_settings import ModelSettings  # noqa: F401
    from runner_agents.output_schema import AgentOutputSchema  # noqa: F401
    from runner_agents.result import RunResult, RunResultStreaming  # noqa: F401
    from runner_agents.run import RunErrorHandlerInput, RunErrorHandlerResult, Runner  # noqa: F401
    from runner_agents.run_config import DEFAULT_MAX_TURNS, RunConfig  # noqa: F401
    from runner_agents.run_context import RunContextWrapper, Usage  # noqa: F401
    from runner_agents.stream import (  # noqa: F401
        AgentUpdatedStreamEvent,
        RawResponsesStreamEvent,
        RunItemStreamEvent,
        StreamEvent,
    )
    from runner_agents.tools import (  # noqa: F401
        FunctionTool,
        ToolContext,
        default_tool_error_function,
        function_tool,
    )
    from runner_agents.tracing import Span, Trace  # noqa: F401

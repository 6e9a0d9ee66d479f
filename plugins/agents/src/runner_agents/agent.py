"""``Agent``: a model with instructions, tools, handoffs, guardrails and an output type.

An agent is plain configuration; :class:`runner_agents.Runner` runs it. The same agent can be
run many times, concurrently, with different contexts.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from typing import Any, Generic, Literal

from runner_agents.exceptions import UserError
from runner_agents.guardrails import InputGuardrail, OutputGuardrail
from runner_agents.handoffs import Handoff, handoff
from runner_agents.lifecycle import AgentHooks
from runner_agents.model_settings import ModelSettings
from runner_agents.output_schema import AgentOutputSchema
from runner_agents.run_context import RunContextWrapper, TContext
from runner_agents.tools import FunctionTool, function_tool

Instructions = str | Callable[[RunContextWrapper[Any], "Agent[Any]"], "str | Awaitable[str]"] | None
ToolUseBehavior = Literal["run_llm_again", "stop_on_first_tool"] | list[str]


@dataclass(eq=False)
class Agent(Generic[TContext]):
    """An LLM agent.

    ``instructions`` is the system prompt, or a (sync or async) function ``(context, agent) ->
    str`` called before each model call. ``model`` is a litellm model string (``RunConfig.model``
    overrides it). ``output_type`` makes the final output structured (validated by pydantic);
    without it the final output is the model's text. ``tool_use_behavior`` decides what happens
    after tools ran: ``"run_llm_again"`` (the model sees the results, the default),
    ``"stop_on_first_tool"`` (the first tool's output is the final output), or a list of tool
    names that end the run when called. ``reset_tool_choice`` clears a forcing ``tool_choice``
    after a tool was used, so a ``"required"`` setting cannot loop forever.

    Agents compare and hash by identity: agents that hand off to each other form cycles, and
    an agent is a thing with a name, not a value.
    """

    name: str
    instructions: Instructions = None
    handoff_description: str | None = None
    tools: list[FunctionTool] = field(default_factory=list)
    handoffs: list[Agent[Any] | Handoff] = field(default_factory=list)
    model: str | None = None
    model_settings: ModelSettings = field(default_factory=ModelSettings)
    input_guardrails: list[InputGuardrail[TContext]] = field(default_factory=list)
    output_guardrails: list[OutputGuardrail[TContext]] = field(default_factory=list)
    output_type: Any = None
    hooks: AgentHooks[TContext] | None = None
    tool_use_behavior: ToolUseBehavior = "run_llm_again"
    reset_tool_choice: bool = True

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise UserError(f"Agent name must be a non-empty string, got {self.name!r}.")
        where = f"Agent '{self.name}'"
        _check_list(
            self.tools, FunctionTool, f"{where}: tools", "decorate functions with @function_tool"
        )
        _check_list(
            self.handoffs, (Agent, Handoff), f"{where}: handoffs", "pass Agent or handoff(...)"
        )
        _check_list(
            self.input_guardrails,
            InputGuardrail,
            f"{where}: input_guardrails",
            "use @input_guardrail",
        )
        _check_list(
            self.output_guardrails,
            OutputGuardrail,
            f"{where}: output_guardrails",
            "use @output_guardrail",
        )
        if not isinstance(self.model_settings, ModelSettings):
            raise UserError(f"{where}: model_settings must be a ModelSettings instance.")
        if self.instructions is not None and not (
            isinstance(self.instructions, str) or callable(self.instructions)
        ):
            raise UserError(
                f"{where}: instructions must be a string or a function (context, agent) -> str."
            )
        self._output_schema: AgentOutputSchema | None = None

    def clone(self, **changes: Any) -> Agent[TContext]:
        """A copy with some fields changed (lists are shared unless you pass new ones)."""
        return replace(self, **changes)

    async def get_system_prompt(self, ctx: RunContextWrapper[TContext]) -> str | None:
        """The instructions for this call (dynamic instructions are evaluated now)."""
        if self.instructions is None or isinstance(self.instructions, str):
            return self.instructions
        value = self.instructions(ctx, self)
        if inspect.isawaitable(value):
            value = await value
        if value is not None and not isinstance(value, str):
            raise UserError(
                f"Agent '{self.name}': instructions function returned {type(value).__name__}, not str."
            )
        return value

    def get_handoffs(self) -> list[Handoff]:
        return [h if isinstance(h, Handoff) else handoff(h) for h in self.handoffs]

    def get_output_schema(self) -> AgentOutputSchema | None:
        """The output schema, or ``None`` for plain-text output."""
        if self.output_type is None or self.output_type is str:
            return None
        if self._output_schema is None or self._output_schema.output_type is not self.output_type:
            self._output_schema = AgentOutputSchema(self.output_type)
        return self._output_schema

    def as_tool(
        self,
        tool_name: str | None = None,
        tool_description: str | None = None,
        *,
        max_turns: int | None = None,
        run_config: Any = None,
    ) -> FunctionTool:
        """This agent as a tool of another agent: the caller sends ``input`` text, this agent
        runs to completion in a nested run and its final output is the tool's result. Unlike a
        handoff, the caller keeps control. The nested run shares the caller's context, adds its
        usage to the caller's, and uses ``run_config`` or else the calling run's config (same
        gateway, model settings and model override)."""
        agent = self

        async def run_agent(ctx: RunContextWrapper[Any], input: str) -> str:
            from runner_agents.run import Runner
            from runner_agents.tools import tool_output_text

            config = run_config if run_config is not None else getattr(ctx, "run_config", None)
            result = await Runner.run(
                agent, input, context=ctx.context, max_turns=max_turns, run_config=config
            )
            ctx.usage.add(result.context_wrapper.usage)
            return tool_output_text(result.final_output)

        name = tool_name or _snake(self.name)
        description = tool_description or self.handoff_description or f"Ask the {self.name} agent."
        return function_tool(run_agent, name_override=name, description_override=description)


def _snake(name: str) -> str:
    import re

    return re.sub(r"[^a-zA-Z0-9_]+", "_", name).strip("_").lower() or "agent"


def _check_list(values: Any, kinds: Any, where: str, advice: str) -> None:
    if not isinstance(values, list):
        raise UserError(f"{where} must be a list, got {type(values).__name__}.")
    for value in values:
        if not isinstance(value, kinds):
            raise UserError(f"{where} contains {value!r} ({type(value).__name__}); {advice}.")

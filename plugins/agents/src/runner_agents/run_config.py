"""``RunConfig``: settings for a whole run, across every agent it visits."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from runner_agents.guardrails import InputGuardrail, OutputGuardrail
from runner_agents.handoffs import HandoffInputFilter
from runner_agents.model_settings import ModelSettings, ToolChoice

DEFAULT_MAX_TURNS = 10


@dataclass
class RunConfig:
    """Run-wide settings; each non-``None`` value overrides the agents' own.

    - ``model``: a litellm model string used by every agent of the run (e.g. to re-run a
      multi-agent workflow on another model).
    - ``model_settings``: laid over each agent's ``model_settings``.
    - ``max_turns``: model calls allowed (an explicit ``Runner.run(max_turns=...)`` wins).
    - ``tool_choice`` / ``parallel_tool_calls``: shorthands for the same model settings.
    - ``tracing_disabled``: record no trace (``result.trace`` is then empty).
    - ``handoff_input_filter``: applied to handoffs that have no filter of their own.
    - ``input_guardrails`` / ``output_guardrails``: run in addition to the agents' own.
    - ``gateway``: the :class:`runner.llm.LLMGateway` to call (default: ``get_gateway()``);
      pass one built with a ``cache_dir`` to record and replay model calls.
    """

    model: str | None = None
    model_settings: ModelSettings | None = None
    max_turns: int | None = None
    tool_choice: ToolChoice = None
    parallel_tool_calls: bool | None = None
    tracing_disabled: bool = False
    workflow_name: str = "Agent workflow"
    trace_metadata: dict[str, Any] = field(default_factory=dict)
    handoff_input_filter: HandoffInputFilter | None = None
    input_guardrails: list[InputGuardrail[Any]] = field(default_factory=list)
    output_guardrails: list[OutputGuardrail[Any]] = field(default_factory=list)
    gateway: Any = None

    def settings_for(self, agent_settings: ModelSettings) -> ModelSettings:
        """An agent's settings with this config's overrides applied."""
        settings = agent_settings.resolve(self.model_settings)
        shorthand = ModelSettings(
            tool_choice=self.tool_choice, parallel_tool_calls=self.parallel_tool_calls
        )
        return settings.resolve(shorthand)

    def get_gateway(self) -> Any:
        if self.gateway is not None:
            return self.gateway
        from runner.llm import get_gateway

        return get_gateway()

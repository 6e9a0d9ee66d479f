"""Lifecycle hooks: async callbacks at each step of a run.

Subclass :class:`RunHooks` (passed to ``Runner.run(hooks=...)``, sees every agent) or
:class:`AgentHooks` (set as ``Agent(hooks=...)``, sees one agent) and override what you need;
every method is a no-op by default. Hooks are awaited in the run's task, so a hook that raises
ends the run with that error.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Generic

from runner_agents.run_context import RunContextWrapper, TContext

if TYPE_CHECKING:
    from runner_agents.agent import Agent
    from runner_agents.tools import FunctionTool


class RunHooks(Generic[TContext]):
    """Callbacks for a whole run, across agents and handoffs."""

    async def on_agent_start(
        self, context: RunContextWrapper[TContext], agent: Agent[TContext]
    ) -> None:
        """An agent becomes the current agent (the starting agent, or after a handoff)."""

    async def on_agent_end(
        self, context: RunContextWrapper[TContext], agent: Agent[TContext], output: Any
    ) -> None:
        """An agent produced the run's final output."""

    async def on_handoff(
        self,
        context: RunContextWrapper[TContext],
        from_agent: Agent[TContext],
        to_agent: Agent[TContext],
    ) -> None:
        """Control passes from ``from_agent`` to ``to_agent``."""

    async def on_tool_start(
        self, context: RunContextWrapper[TContext], agent: Agent[TContext], tool: FunctionTool
    ) -> None:
        """A function tool is about to run."""

    async def on_tool_end(
        self,
        context: RunContextWrapper[TContext],
        agent: Agent[TContext],
        tool: FunctionTool,
        result: str,
    ) -> None:
        """A function tool finished; ``result`` is the text sent back to the model."""

    async def on_llm_start(
        self,
        context: RunContextWrapper[TContext],
        agent: Agent[TContext],
        system_prompt: str | None,
        input_items: list[dict[str, Any]],
    ) -> None:
        """A model call is about to be made with these messages (system prompt excluded)."""

    async def on_llm_end(
        self, context: RunContextWrapper[TContext], agent: Agent[TContext], response: Any
    ) -> None:
        """A model call returned (``response`` is the gateway's ``LLMResponse``)."""


class AgentHooks(Generic[TContext]):
    """Callbacks for one agent (``Agent(hooks=...)``); ``agent`` is always that agent."""

    async def on_start(self, context: RunContextWrapper[TContext], agent: Agent[TContext]) -> None:
        """The agent becomes the current agent."""

    async def on_end(
        self, context: RunContextWrapper[TContext], agent: Agent[TContext], output: Any
    ) -> None:
        """The agent produced the run's final output."""

    async def on_handoff(
        self,
        context: RunContextWrapper[TContext],
        agent: Agent[TContext],
        source: Agent[TContext],
    ) -> None:
        """Control was handed to this agent by ``source``."""

    async def on_tool_start(
        self, context: RunContextWrapper[TContext], agent: Agent[TContext], tool: FunctionTool
    ) -> None:
        """One of the agent's tools is about to run."""

    async def on_tool_end(
        self,
        context: RunContextWrapper[TContext],
        agent: Agent[TContext],
        tool: FunctionTool,
        result: str,
    ) -> None:
        """One of the agent's tools finished."""

    async def on_llm_start(
        self,
        context: RunContextWrapper[TContext],
        agent: Agent[TContext],
        system_prompt: str | None,
        input_items: list[dict[str, Any]],
    ) -> None:
        """The agent is about to call its model."""

    async def on_llm_end(
        self, context: RunContextWrapper[TContext], agent: Agent[TContext], response: Any
    ) -> None:
        """The agent's model call returned."""

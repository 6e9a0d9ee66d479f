"""One model call for the current agent, through the core's LLM gateway.

Builds the request (system prompt, history, tools, handoffs, output schema, settings), calls
``gateway.complete`` or, in a streamed run, ``gateway.stream`` (forwarding every delta as a
raw event), then records the response and its usage. Retries, timeouts, cost and caching are
the gateway's job, not the SDK's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from runner_agents.exceptions import UserError
from runner_agents.model_settings import ModelSettings
from runner_agents.run_state import RunState
from runner_agents.stream import RawResponsesStreamEvent

if TYPE_CHECKING:
    from runner_agents.agent import Agent


def request_arguments(state: RunState, agent: Agent[Any]) -> tuple[str, dict[str, Any]]:
    """The model string and the gateway keyword arguments for ``agent``'s next call."""
    model = state.config.model or agent.model
    if not model:
        raise UserError(
            f"Agent '{agent.name}' has no model: set Agent(model='provider/name') or "
            "RunConfig(model=...), e.g. 'openai/gpt-4.1-mini'."
        )
    settings = state.config.settings_for(agent.model_settings)
    tools = [t.openai_schema() for t in agent.tools] + [
        h.openai_schema() for h in agent.get_handoffs()
    ]
    _check_unique_names(agent, tools)
    kwargs: dict[str, Any] = settings.to_llm_args()
    if tools:
        kwargs["tools"] = tools
        tool_choice = _tool_choice(state, agent, settings)
        if tool_choice is not None:
            kwargs["tool_choice"] = tool_choice
        if settings.parallel_tool_calls is not None:
            kwargs["parallel_tool_calls"] = settings.parallel_tool_calls
    schema = agent.get_output_schema()
    if schema is not None:
        kwargs["response_format"] = schema.response_format()
    if settings.timeout is not None:
        kwargs["timeout"] = settings.timeout
    return model, kwargs


def _tool_choice(state: RunState, agent: Agent[Any], settings: ModelSettings) -> Any:
    choice = settings.tool_choice
    if choice is None:
        return None
    forcing = choice not in ("auto", "none")
    if forcing and agent.reset_tool_choice and state.tool_choice_used:
        return None
    if isinstance(choice, str) and choice not in ("auto", "none", "required"):
        return {"type": "function", "function": {"name": choice}}
    return choice


def _check_unique_names(agent: Agent[Any], tools: list[dict[str, Any]]) -> None:
    seen: set[str] = set()
    for tool in tools:
        name = tool["function"]["name"]
        if name in seen:
            raise UserError(
                f"Agent '{agent.name}' has two tools or handoffs named '{name}'; the model could "
                "not tell them apart. Rename one (name_override= / tool_name_override=)."
            )
        seen.add(name)


async def call_model(state: RunState, agent: Agent[Any]) -> Any:
    """Call the current agent's model; returns the gateway's ``LLMResponse``."""
    model, kwargs = request_arguments(state, agent)
    system_prompt = await agent.get_system_prompt(state.context)
    history = state.history()
    messages = ([{"role": "system", "content": system_prompt}] if system_prompt else []) + history
    await state.hooks.on_llm_start(state.context, agent, system_prompt, history)
    if agent.hooks is not None:
        await agent.hooks.on_llm_start(state.context, agent, system_prompt, history)
    gateway = state.config.get_gateway()
    with state.trace.span("generation", model, agent=agent.name) as span:
        if state.emit is None:
            response = await gateway.complete(model, messages, **kwargs)
        else:
            response = await _stream(state, gateway, model, messages, kwargs)
        span.data.update(_span_data(response))
    state.raw_responses.append(response)
    state.context.usage.add_response(response)
    await state.hooks.on_llm_end(state.context, agent, response)
    if agent.hooks is not None:
        await agent.hooks.on_llm_end(state.context, agent, response)
    return response


async def _stream(
    state: RunState,
    gateway: Any,
    model: str,
    messages: list[dict[str, Any]],
    kwargs: dict[str, Any],
) -> Any:
    assert state.emit is not None
    response = None
    async for event in gateway.stream(model, messages, **kwargs):
        state.emit(RawResponsesStreamEvent(event))
        final = getattr(event, "response", None)
        if final is not None:
            response = final
    if response is None:
        from runner_agents.exceptions import ModelBehaviorError

        raise ModelBehaviorError(f"The stream from {model} ended without a complete response.")
    return response


def _span_data(response: Any) -> dict[str, Any]:
    usage = getattr(response, "usage", None)
    return {
        "input_tokens": getattr(usage, "prompt_tokens", None),
        "output_tokens": getattr(usage, "completion_tokens", None),
        "cost": getattr(response, "cost", None),
        "cached": getattr(response, "cached", None),
        "finish_reason": getattr(response, "finish_reason", None),
    }

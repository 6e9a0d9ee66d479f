"""What happens after a model call: items for the response, tool calls run, a handoff taken,
and the decision to stop (final output), switch agent (handoff) or call the model again.

Rules worth knowing:

- tool calls of one response run concurrently; their outputs are added in call order;
- a call to a tool the agent does not have (a hallucinated name) is answered with an error
  message listing the real tools, and the model is called again;
- when a response requests several handoffs, the first is taken and the others are answered
  "ignored"; function tools of the same response still run first;
- a response without tool calls ends the run: its text is the final output, validated against
  the agent's ``output_type`` when it has one.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from runner_agents.exceptions import UserError
from runner_agents.handoffs import Handoff, HandoffInputData
from runner_agents.items import (
    HandoffCallItem,
    HandoffOutputItem,
    MessageOutputItem,
    ReasoningItem,
    RunItem,
    ToolCallItem,
    ToolCallOutputItem,
    input_to_messages,
)
from runner_agents.run_state import RunState
from runner_agents.tools import FunctionTool, ToolContext, tool_output_text

if TYPE_CHECKING:
    from runner_agents.agent import Agent

T = TypeVar("T")


@dataclass
class NextStep:
    kind: Literal["final_output", "handoff", "run_again"]
    output: Any = None
    new_agent: Agent[Any] | None = None


@dataclass
class _Call:
    id: str
    name: str
    arguments: str

    def raw(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": "function",
            "function": {"name": self.name, "arguments": self.arguments},
        }


async def handle_response(state: RunState, agent: Agent[Any], response: Any) -> NextStep:
    """Turn one model response into items and side effects; say what comes next."""
    rid = state.next_response_id()
    turn_start = len(state.items)
    items: list[RunItem] = []
    if getattr(response, "reasoning_content", None):
        items.append(ReasoningItem(agent, _reasoning_message(response), rid))
    if response.content:
        items.append(
            MessageOutputItem(agent, {"role": "assistant", "content": response.content}, rid)
        )
    tools = {t.name: t for t in agent.tools}
    handoffs = {h.tool_name: h for h in agent.get_handoffs()}
    function_calls: list[tuple[_Call, FunctionTool | None]] = []
    handoff_calls: list[tuple[_Call, Handoff]] = []
    for n, tc in enumerate(response.tool_calls or []):
        call = _Call(tc.id or f"call_{rid}_{n}", tc.name, tc.arguments or "")
        if call.name in handoffs:
            items.append(HandoffCallItem(agent, call.raw(), rid))
            handoff_calls.append((call, handoffs[call.name]))
        else:
            items.append(ToolCallItem(agent, call.raw(), rid))
            function_calls.append((call, tools.get(call.name)))
    state.add_items(items)

    available = sorted([*tools, *handoffs])
    outputs = await _gather(
        [_run_tool(state, agent, call, tool, available) for call, tool in function_calls]
    )
    state.add_items(outputs)
    if handoff_calls:
        return NextStep(
            "handoff", new_agent=await _run_handoff(state, agent, handoff_calls, turn_start)
        )
    if function_calls:
        state.tool_choice_used = True
        return _after_tools(agent, function_calls, outputs)
    schema = agent.get_output_schema()
    if schema is not None:
        return NextStep("final_output", schema.validate_text(response.content, agent.name))
    return NextStep("final_output", response.content or "")


def _reasoning_message(response: Any) -> dict[str, Any]:
    message = {
        "role": "assistant",
        "content": None,
        "reasoning_content": response.reasoning_content,
    }
    blocks = (getattr(response, "message", None) or {}).get("thinking_blocks")
    if blocks:
        message["thinking_blocks"] = blocks
    return message


def _after_tools(
    agent: Agent[Any],
    calls: list[tuple[_Call, FunctionTool | None]],
    outputs: list[ToolCallOutputItem],
) -> NextStep:
    """Apply the agent's ``tool_use_behavior`` to the tools that just ran."""
    behavior = agent.tool_use_behavior
    for (call, tool), output in zip(calls, outputs, strict=True):
        if tool is None:
            continue
        if behavior == "stop_on_first_tool" or (
            isinstance(behavior, list) and call.name in behavior
        ):
            return NextStep("final_output", output.output)
    return NextStep("run_again")


async def _run_tool(
    state: RunState, agent: Agent[Any], call: _Call, tool: FunctionTool | None, available: list[str]
) -> ToolCallOutputItem:
    if tool is None:
        text = (
            f"Error: there is no tool named '{call.name}'. "
            f"Available tools: {', '.join(available) or '(none)'}."
        )
        return ToolCallOutputItem(agent, _tool_message(call, text), output=text)
    ctx = ToolContext.from_run_context(
        state.context, tool.name, call.id, call.arguments, state.config
    )
    await state.hooks.on_tool_start(ctx, agent, tool)
    if agent.hooks is not None:
        await agent.hooks.on_tool_start(ctx, agent, tool)
    with state.trace.span("function", tool.name, agent=agent.name):
        output = await tool.invoke(ctx, call.arguments)
    text = tool_output_text(output)
    await state.hooks.on_tool_end(ctx, agent, tool, text)
    if agent.hooks is not None:
        await agent.hooks.on_tool_end(ctx, agent, tool, text)
    return ToolCallOutputItem(agent, _tool_message(call, text), output=output)


def _tool_message(call: _Call, text: str) -> dict[str, Any]:
    return {"role": "tool", "tool_call_id": call.id, "content": text}


async def _run_handoff(
    state: RunState, agent: Agent[Any], calls: list[tuple[_Call, Handoff]], turn_start: int
) -> Agent[Any]:
    (call, chosen), *ignored = calls
    for extra, _ in ignored:
        text = "Multiple handoffs were requested; only the first was taken, this one was ignored."
        state.add_items([ToolCallOutputItem(agent, _tool_message(extra, text), output=text)])
    target = chosen.agent
    with state.trace.span("handoff", chosen.tool_name, from_agent=agent.name, to_agent=target.name):
        if chosen.on_invoke_handoff is not None:
            await chosen.on_invoke_handoff(state.context, call.arguments)
        output = HandoffOutputItem(
            agent,
            _tool_message(call, chosen.output_text()),
            source_agent=agent,
            target_agent=target,
        )
        state.add_items([output])
        await state.hooks.on_handoff(state.context, agent, target)
        if target.hooks is not None:
            await target.hooks.on_handoff(state.context, target, agent)
    input_filter = chosen.input_filter or state.config.handoff_input_filter
    if input_filter is not None:
        await _apply_filter(state, input_filter, turn_start)
    return target


async def _apply_filter(state: RunState, input_filter: Any, turn_start: int) -> None:
    data = HandoffInputData(
        input_history=tuple(input_to_messages(state.input)),
        pre_handoff_items=tuple(state.items[:turn_start]),
        new_items=tuple(state.items[turn_start:]),
        run_context=state.context,
    )
    filtered = input_filter(data)
    if inspect.isawaitable(filtered):
        filtered = await filtered
    if not isinstance(filtered, HandoffInputData):
        raise UserError(
            f"Handoff input_filter {getattr(input_filter, '__name__', input_filter)!r} returned "
            f"{type(filtered).__name__}; it must return HandoffInputData (use data.clone(...))."
        )
    state.input = list(filtered.input_history)
    state.items = [*filtered.pre_handoff_items, *filtered.new_items]


async def _gather(coros: list[Awaitable[T]]) -> list[T]:
    """Run concurrently; on the first failure cancel the rest and raise it."""
    if not coros:
        return []
    tasks = [asyncio.ensure_future(c) for c in coros]
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
    finally:
        pending = [t for t in tasks if not t.done()]
        for t in pending:
            t.cancel()
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)
    return [t.result() for t in tasks]

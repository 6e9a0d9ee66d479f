"""Handoffs and lifecycle hooks, against the local server through the real gateway."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel
from runner.testing import reply
from runner_agents import (
    Agent,
    AgentHooks,
    HandoffInputData,
    HandoffOutputItem,
    ModelBehaviorError,
    RunConfig,
    RunHooks,
    Runner,
    ToolCallOutputItem,
    function_tool,
    handoff,
    remove_all_tools,
)

MODEL = "openai/test-model"


@function_tool
def lookup(order_id: str) -> str:
    """Look an order up."""
    return f"{order_id}: shipped"


def support_agents() -> tuple[Agent, Agent]:
    billing = Agent(
        name="Billing",
        instructions="You handle billing.",
        model=MODEL,
        handoff_description="Refunds and invoices.",
    )
    triage = Agent(
        name="Triage",
        instructions="Route the user.",
        model=MODEL,
        tools=[lookup],
        handoffs=[billing],
    )
    return triage, billing


async def test_a_handoff_switches_the_agent_and_keeps_the_conversation(
    llm_server, run_config
) -> None:
    triage, billing = support_agents()
    llm_server.add(reply.tool_calls([("transfer_to_billing", {})]), reply.text("Refund issued."))
    result = await Runner.run(triage, "I want a refund", run_config=run_config)

    assert result.final_output == "Refund issued."
    assert result.last_agent is billing
    handoff_item = next(i for i in result.new_items if isinstance(i, HandoffOutputItem))
    assert (handoff_item.source_agent, handoff_item.target_agent) == (triage, billing)
    first, second = (r.body for r in llm_server.requests)
    assert [t["function"]["name"] for t in first["tools"]] == ["lookup", "transfer_to_billing"]
    assert "Refunds and invoices." in first["tools"][1]["function"]["description"]
    assert second["messages"][0] == {"role": "system", "content": "You handle billing."}
    assert second["messages"][1] == {"role": "user", "content": "I want a refund"}
    assert second["messages"][-1] == {
        "role": "tool",
        "tool_call_id": second["messages"][-2]["tool_calls"][0]["id"],
        "content": '{"assistant": "Billing"}',
    }
    assert "tools" not in second


class Reason(BaseModel):
    reason: str


async def test_on_handoff_receives_typed_input_and_bad_input_is_a_model_error(
    llm_server, run_config
) -> None:
    received: list[Any] = []

    async def escalate(ctx, data: Reason) -> None:
        received.append((ctx.context["ticket"], data.reason))

    manager = Agent(name="Manager", model=MODEL)
    front = Agent(
        name="Front",
        model=MODEL,
        handoffs=[handoff(manager, on_handoff=escalate, input_type=Reason)],
    )
    llm_server.add(
        reply.tool_calls([("transfer_to_manager", {"reason": "angry customer"})]),
        reply.text("Manager here."),
    )
    result = await Runner.run(front, "help", context={"ticket": 7}, run_config=run_config)
    assert result.final_output == "Manager here."
    assert received == [(7, "angry customer")]
    schema = llm_server.requests[0].body["tools"][0]["function"]["parameters"]
    assert schema["required"] == ["reason"]

    llm_server.add(reply.tool_calls([("transfer_to_manager", {"why": 1})]))
    with pytest.raises(ModelBehaviorError, match="Invalid input for handoff to Manager") as info:
        await Runner.run(front, "help", context={"ticket": 8}, run_config=run_config)
    assert info.value.run_data is not None and info.value.run_data.last_agent is front


async def test_input_filters_reshape_what_the_next_agent_sees(llm_server, run_config) -> None:
    billing = Agent(name="Billing", model=MODEL)
    triage = Agent(
        name="Triage",
        model=MODEL,
        tools=[lookup],
        handoffs=[handoff(billing, input_filter=remove_all_tools)],
    )
    llm_server.add(
        reply.tool_calls([("lookup", {"order_id": "#1"})]),
        reply.tool_calls([("transfer_to_billing", {})], content="Passing you to billing."),
        reply.text("Billing here."),
    )
    result = await Runner.run(triage, "refund #1", run_config=run_config)
    assert result.final_output == "Billing here."
    sent = llm_server.requests[2].body["messages"]
    assert sent == [
        {"role": "user", "content": "refund #1"},
        {"role": "assistant", "content": "Passing you to billing."},
    ]
    assert result.to_input_list()[-1] == {"role": "assistant", "content": "Billing here."}

    def only_last_user_message(data: HandoffInputData) -> HandoffInputData:
        return data.clone(input_history=data.input_history[-1:], pre_handoff_items=(), new_items=())

    config = RunConfig(
        gateway=run_config.gateway,
        model_settings=run_config.model_settings,
        handoff_input_filter=only_last_user_message,
    )
    llm_server.add(reply.tool_calls([("transfer_to_billing", {})]), reply.text("ok"))
    history = [
        {"role": "user", "content": "old"},
        {"role": "assistant", "content": "older answer"},
        {"role": "user", "content": "refund"},
    ]
    await Runner.run(triage.clone(handoffs=[billing]), history, run_config=config)
    assert llm_server.requests[-1].body["messages"] == [{"role": "user", "content": "refund"}]


async def test_only_the_first_of_several_handoffs_is_taken(llm_server, run_config) -> None:
    a, b = Agent(name="A", model=MODEL), Agent(name="B", model=MODEL)
    router = Agent(name="Router", model=MODEL, handoffs=[a, b])
    llm_server.add(
        reply.tool_calls([("transfer_to_b", {}), ("transfer_to_a", {})]), reply.text("B speaking")
    )
    result = await Runner.run(router, "x", run_config=run_config)
    assert result.last_agent is b and result.final_output == "B speaking"
    ignored = [i for i in result.new_items if isinstance(i, ToolCallOutputItem)]
    assert len(ignored) == 1 and "ignored" in ignored[0].output
    # every tool call still has its answer in the history the model sees
    sent = llm_server.requests[1].body["messages"]
    answered = {m["tool_call_id"] for m in sent if m["role"] == "tool"}
    assert answered == {c["id"] for c in sent[1]["tool_calls"]}


class Recorder(RunHooks):
    def __init__(self) -> None:
        self.events: list[str] = []

    async def on_agent_start(self, context, agent) -> None:
        self.events.append(f"agent_start:{agent.name}")

    async def on_agent_end(self, context, agent, output) -> None:
        self.events.append(f"agent_end:{agent.name}:{output}")

    async def on_handoff(self, context, from_agent, to_agent) -> None:
        self.events.append(f"handoff:{from_agent.name}->{to_agent.name}")

    async def on_tool_start(self, context, agent, tool) -> None:
        self.events.append(f"tool_start:{tool.name}:{context.tool_call_id != ''}")

    async def on_tool_end(self, context, agent, tool, result) -> None:
        self.events.append(f"tool_end:{tool.name}:{result}")

    async def on_llm_start(self, context, agent, system_prompt, input_items) -> None:
        self.events.append(f"llm_start:{agent.name}:{len(input_items)}")

    async def on_llm_end(self, context, agent, response) -> None:
        self.events.append(f"llm_end:{agent.name}:{response.usage.total_tokens > 0}")


class BillingHooks(AgentHooks):
    def __init__(self) -> None:
        self.events: list[str] = []

    async def on_start(self, context, agent) -> None:
        self.events.append("start")

    async def on_handoff(self, context, agent, source) -> None:
        self.events.append(f"handoff_from:{source.name}")

    async def on_llm_start(self, context, agent, system_prompt, input_items) -> None:
        self.events.append(f"llm_start:{system_prompt}")

    async def on_end(self, context, agent, output) -> None:
        self.events.append(f"end:{output}")


async def test_run_and_agent_hooks_fire_in_order(llm_server, run_config) -> None:
    triage, billing = support_agents()
    agent_hooks = BillingHooks()
    billing.hooks = agent_hooks
    llm_server.add(
        reply.tool_calls([("lookup", {"order_id": "#1"})]),
        reply.tool_calls([("transfer_to_billing", {})]),
        reply.text("done"),
    )
    hooks = Recorder()
    await Runner.run(triage, "hi", hooks=hooks, run_config=run_config)
    assert hooks.events == [
        "agent_start:Triage",
        "llm_start:Triage:1",
        "llm_end:Triage:True",
        "tool_start:lookup:True",
        "tool_end:lookup:#1: shipped",
        "llm_start:Triage:3",
        "llm_end:Triage:True",
        "handoff:Triage->Billing",
        "agent_start:Billing",
        "llm_start:Billing:5",
        "llm_end:Billing:True",
        "agent_end:Billing:done",
    ]
    assert agent_hooks.events == [
        "handoff_from:Triage",
        "start",
        "llm_start:You handle billing.",
        "end:done",
    ]

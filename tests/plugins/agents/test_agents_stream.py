"""Streamed runs (``Runner.run_streamed``) against the local server's streaming endpoint."""

from __future__ import annotations

import asyncio
import threading

import pytest
from runner.testing import reply
from runner_agents import (
    Agent,
    AgentUpdatedStreamEvent,
    GuardrailFunctionOutput,
    InputGuardrailTripwireTriggered,
    OutputGuardrailTripwireTriggered,
    RawResponsesStreamEvent,
    RunItemStreamEvent,
    Runner,
    function_tool,
    input_guardrail,
    output_guardrail,
)

MODEL = "openai/test-model"


@function_tool
def lookup(order_id: str) -> str:
    """Look an order up."""
    return f"{order_id}: delivered"


@output_guardrail
def no_refunds_promised(ctx, agent, output) -> GuardrailFunctionOutput:
    return GuardrailFunctionOutput(tripwire_triggered="guaranteed refund" in output.lower())


def describe(event) -> str:
    if isinstance(event, AgentUpdatedStreamEvent):
        return f"agent:{event.new_agent.name}"
    if isinstance(event, RunItemStreamEvent):
        return event.name
    return "raw"


def squash(names: list[str]) -> list[str]:
    """Collapse runs of raw deltas into one ``raw`` marker (their count depends on chunking)."""
    out: list[str] = []
    for name in names:
        if not (name == "raw" and out and out[-1] == "raw"):
            out.append(name)
    return out


def agents() -> tuple[Agent, Agent]:
    billing = Agent(name="Billing", model=MODEL, output_guardrails=[no_refunds_promised])
    triage = Agent(name="Triage", model=MODEL, tools=[lookup], handoffs=[billing])
    return triage, billing


async def test_a_streamed_run_with_a_tool_and_a_handoff(llm_server, run_config) -> None:
    triage, billing = agents()
    llm_server.add(
        reply.tool_calls([("lookup", {"order_id": "#W1"})], content="Let me check that order."),
        reply.tool_calls([("transfer_to_billing", {})]),
        reply.text("Billing here: your refund for #W1 is being processed."),
    )
    result = Runner.run_streamed(triage, "Refund #W1", run_config=run_config)
    events = [event async for event in result.stream_events()]

    assert squash([describe(e) for e in events]) == [
        "agent:Triage",
        "raw",
        "message_output_created",
        "tool_called",
        "tool_output",
        "raw",
        "handoff_requested",
        "handoff_occurred",
        "agent:Billing",
        "raw",
        "message_output_created",
    ]
    raw = [e.data for e in events if isinstance(e, RawResponsesStreamEvent)]
    last_text = "".join(d.text for d in raw[-10:] if d.kind == "text")
    assert last_text.endswith("is being processed.")
    assert sum(d.kind == "text" for d in raw) > 3  # really streamed in pieces
    assert [d.kind for d in raw].count("response") == 3
    assert (
        result.is_complete
        and result.final_output == "Billing here: your refund for #W1 is being processed."
    )
    assert result.current_agent is billing and result.last_agent is billing
    assert result.current_turn == 3 and len(result.raw_responses) == 3
    assert all(r.body.get("stream") for r in llm_server.requests)
    assert result.to_input_list()[-1]["content"] == result.final_output
    assert [e async for e in result.stream_events()] == []  # a second iteration ends at once


async def test_streamed_and_plain_runs_produce_the_same_conversation(
    llm_server, run_config
) -> None:
    script = [reply.tool_calls([("lookup", {"order_id": "#1"})]), reply.text("It was delivered.")]
    llm_server.add(*script)
    plain = await Runner.run(agents()[0], "where is #1", run_config=run_config)
    llm_server.add(*script)
    streamed = Runner.run_streamed(agents()[0], "where is #1", run_config=run_config)
    async for _ in streamed.stream_events():
        pass

    def strip(messages: list[dict]) -> list[dict]:
        """The conversation without tool-call ids (the server numbers them per request)."""
        out = []
        for m in messages:
            m = {k: v for k, v in m.items() if k != "tool_call_id"}
            if m.get("tool_calls"):
                m["tool_calls"] = [c["function"] for c in m["tool_calls"]]
            out.append(m)
        return out

    assert strip(streamed.to_input_list()) == strip(plain.to_input_list())
    assert streamed.final_output == plain.final_output


async def test_an_output_tripwire_in_a_streamed_run_surfaces_after_the_events(
    llm_server, run_config
) -> None:
    triage, _ = agents()
    llm_server.add(
        reply.tool_calls([("transfer_to_billing", {})]), reply.text("A guaranteed refund, today!")
    )
    result = Runner.run_streamed(triage, "refund?", run_config=run_config)
    names: list[str] = []
    with pytest.raises(OutputGuardrailTripwireTriggered) as info:
        async for event in result.stream_events():
            names.append(describe(event))
    assert "handoff_occurred" in names and names[-1] == "message_output_created"
    assert result.is_complete and result.final_output is None
    assert info.value.run_data is not None and info.value.run_data.last_agent.name == "Billing"


async def test_an_input_tripwire_in_a_streamed_run(llm_server, run_config) -> None:
    @input_guardrail
    def block_all(ctx, agent, input) -> GuardrailFunctionOutput:
        return GuardrailFunctionOutput(tripwire_triggered=True)

    agent = Agent(name="Gate", model=MODEL, input_guardrails=[block_all])
    result = Runner.run_streamed(agent, "hello", run_config=run_config)
    with pytest.raises(InputGuardrailTripwireTriggered):
        async for _ in result.stream_events():
            pass
    assert llm_server.stats.count == 0


async def test_cancel_stops_a_streamed_run(llm_server, run_config) -> None:
    arrived = threading.Event()

    def slow_answer(body: dict) -> object:
        arrived.set()
        return reply.text("too late", latency=30)

    llm_server.responder = slow_answer
    result = Runner.run_streamed(Agent(name="Slow", model=MODEL), "hi", run_config=run_config)
    seen: list[str] = []
    async for event in result.stream_events():
        seen.append(describe(event))
        assert await asyncio.to_thread(arrived.wait, 10)  # the model call is in flight
        result.cancel()
    assert seen == ["agent:Slow"]
    assert result.is_complete and result.final_output is None and result.raw_responses == []
    with pytest.raises(asyncio.CancelledError):
        await result._task  # noqa: SLF001

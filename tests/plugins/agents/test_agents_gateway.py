"""The SDK on top of the gateway's infrastructure: retries under injected faults, and the
on-disk cache (a re-run replays every model call without any HTTP request)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from runner.llm import LLMGateway
from runner.testing import FaultPlan, LLMTestServer, reply
from runner_agents import Agent, ModelSettings, RunConfig, Runner, function_tool

MODEL = "openai/test-model"


@function_tool
def lookup(order_id: str) -> str:
    """Look an order up."""
    return f"{order_id}: delivered"


def support() -> Agent:
    billing = Agent(name="Billing", instructions="Billing.", model=MODEL)
    return Agent(
        name="Triage", instructions="Triage.", model=MODEL, tools=[lookup], handoffs=[billing]
    )


def conversation(body: dict[str, Any]) -> Any:
    """Answers by the state of the conversation, so concurrent runs can share one server:
    look the order up, hand off to billing, then (as billing) answer."""
    messages = body["messages"]
    order = next(m["content"] for m in messages if m["role"] == "user")
    last = messages[-1]
    if last["role"] == "user":
        return reply.tool_calls([("lookup", {"order_id": order})])
    if last["role"] == "tool" and "delivered" in last["content"]:
        return reply.tool_calls([("transfer_to_billing", {})])
    return reply.text(f"Refund for {order} approved.")


@pytest.mark.slow
async def test_runs_complete_under_20_percent_injected_faults() -> None:
    plan = FaultPlan(rate=0.2, kinds=("rate_limit", "server_error"), seed=3, retry_after=0.01)
    with LLMTestServer(responder=conversation, faults=plan) as server:
        gateway = LLMGateway(max_retries=8, timeout=10, backoff_base=0.01, backoff_max=0.05)
        config = RunConfig(
            gateway=gateway, model_settings=ModelSettings(extra_args=server.litellm_kwargs())
        )
        orders = [f"#W{n}" for n in range(12)]
        results = await asyncio.gather(
            *(Runner.run(support(), o, run_config=config) for o in orders)
        )

        assert [r.final_output for r in results] == [f"Refund for {o} approved." for o in orders]
        assert all(r.last_agent.name == "Billing" and r.usage.requests == 3 for r in results)
        assert server.stats.faults >= 5  # 20% of ~45 requests
        assert server.stats.count == 36 + server.stats.faults
        assert gateway.stats.retries == server.stats.faults


async def test_a_cached_rerun_makes_no_http_call_and_returns_the_same_result(
    llm_server, tmp_path
) -> None:
    llm_server.responder = conversation
    settings = ModelSettings(temperature=0, extra_args=llm_server.litellm_kwargs())
    first_config = RunConfig(
        gateway=LLMGateway(cache_dir=tmp_path, max_retries=0), model_settings=settings
    )
    first = await Runner.run(support(), "#C1", run_config=first_config)
    assert llm_server.stats.count == 3

    llm_server.responder = None  # any HTTP call would now fail
    gateway = LLMGateway(cache_dir=tmp_path, max_retries=0)
    again = await Runner.run(
        support(), "#C1", run_config=RunConfig(gateway=gateway, model_settings=settings)
    )
    assert llm_server.stats.count == 3
    assert gateway.stats.cache_hits == 3
    assert again.final_output == first.final_output == "Refund for #C1 approved."
    assert again.to_input_list() == first.to_input_list()
    assert [type(i).__name__ for i in again.new_items] == [
        type(i).__name__ for i in first.new_items
    ]
    assert (again.usage.total_tokens, again.usage.cost) == (
        first.usage.total_tokens,
        first.usage.cost,
    )
    assert all(r.cached for r in again.raw_responses) and not any(
        r.cached for r in first.raw_responses
    )
    strip = {"cached", "latency"}
    assert [r.model_dump(exclude=strip) for r in again.raw_responses] == [
        r.model_dump(exclude=strip) for r in first.raw_responses
    ]

    streamed = Runner.run_streamed(
        support(), "#C1", run_config=RunConfig(gateway=gateway, model_settings=settings)
    )
    async for _ in streamed.stream_events():
        pass
    assert streamed.final_output == first.final_output and llm_server.stats.count == 3


async def test_gateway_errors_pass_through_with_the_partial_run(llm_server) -> None:
    from runner.errors import ContextWindowExceededError, InfrastructureError
    from runner.llm import LLMError

    gateway = LLMGateway(max_retries=1, timeout=10, backoff_base=0.01, backoff_max=0.02)
    config = RunConfig(
        gateway=gateway, model_settings=ModelSettings(extra_args=llm_server.litellm_kwargs())
    )
    llm_server.add(
        reply.tool_calls([("lookup", {"order_id": "#1"})]),
        reply.server_error(),
        reply.server_error(),
    )
    with pytest.raises(LLMError) as info:
        await Runner.run(support(), "#1", run_config=config)
    assert isinstance(info.value, InfrastructureError)
    partial = info.value.run_data  # type: ignore[attr-defined]
    assert partial.usage.requests == 1 and len(partial.new_items) == 2
    assert llm_server.stats.count == 3

    llm_server.add(reply.context_overflow())
    with pytest.raises(ContextWindowExceededError) as overflow:
        await Runner.run(support(), "#2", run_config=config)
    assert overflow.value.run_data.usage.requests == 0  # type: ignore[attr-defined]

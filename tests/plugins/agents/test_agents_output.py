"""Structured outputs (``output_type``) against the local server."""

from __future__ import annotations

import pytest
from pydantic import BaseModel
from runner.testing import reply
from runner_agents import Agent, ModelBehaviorError, Runner

MODEL = "openai/test-model"


class Refund(BaseModel):
    order_id: str
    amount: float
    approved: bool


async def test_a_pydantic_output_type_is_requested_and_validated(llm_server, run_config) -> None:
    llm_server.add(reply.text('{"order_id": "#W1", "amount": 12.5, "approved": true}'))
    agent = Agent(name="Refunder", model=MODEL, output_type=Refund)
    result = await Runner.run(agent, "refund #W1", run_config=run_config)
    assert result.final_output == Refund(order_id="#W1", amount=12.5, approved=True)
    assert result.final_output_as(Refund, raise_if_incorrect_type=True).amount == 12.5
    fmt = llm_server.requests[0].body["response_format"]
    assert fmt["type"] == "json_schema"
    assert fmt["json_schema"]["schema"]["properties"]["amount"]["type"] == "number"
    assert sorted(fmt["json_schema"]["schema"]["required"]) == ["amount", "approved", "order_id"]


async def test_a_non_object_output_type_is_wrapped_and_unwrapped(llm_server, run_config) -> None:
    llm_server.add(reply.text('{"response": [3, 1, 2]}'))
    result = await Runner.run(
        Agent(name="A", model=MODEL, output_type=list[int]), "numbers", run_config=run_config
    )
    assert result.final_output == [3, 1, 2]
    schema = llm_server.requests[0].body["response_format"]["json_schema"]["schema"]
    assert schema["properties"]["response"]["type"] == "array"


async def test_an_output_that_does_not_validate_is_a_model_behavior_error(
    llm_server, run_config
) -> None:
    llm_server.add(reply.text('{"order_id": "#W1", "amount": "lots"}'))
    with pytest.raises(ModelBehaviorError, match="does not match its output_type Refund") as info:
        await Runner.run(
            Agent(name="Refunder", model=MODEL, output_type=Refund), "refund", run_config=run_config
        )
    message = str(info.value)
    assert "amount" in message and "approved" in message
    assert info.value.run_data is not None and info.value.run_data.usage.requests == 1


async def test_a_text_agent_returns_the_text_and_an_empty_answer_is_empty(
    llm_server, run_config
) -> None:
    llm_server.add(reply.text(""))
    result = await Runner.run(Agent(name="A", model=MODEL), "say nothing", run_config=run_config)
    assert result.final_output == ""
    assert "response_format" not in llm_server.requests[0].body

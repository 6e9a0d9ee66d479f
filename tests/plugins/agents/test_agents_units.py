"""Pure-logic parts of the agent SDK (no model calls)."""

from __future__ import annotations

import json

import pytest
import runner
from pydantic import BaseModel
from runner_agents import (
    Agent,
    AgentOutputSchema,
    AgentsException,
    FunctionTool,
    HandoffCallItem,
    MessageOutputItem,
    ModelBehaviorError,
    ModelSettings,
    ReasoningItem,
    RunContextWrapper,
    Runner,
    ToolCallItem,
    ToolCallOutputItem,
    UserError,
    function_tool,
    handoff,
)
from runner_agents.items import items_to_messages

AGENT = Agent(name="A", model="openai/x")


def test_items_of_one_response_fold_back_into_the_gateway_message() -> None:
    from runner.llm.response import LLMToolCall, assistant_message

    calls = [
        LLMToolCall(id="c1", name="f", arguments='{"x": 1}'),
        LLMToolCall(id="c2", name="transfer_to_b", arguments="{}"),
    ]
    expected = assistant_message("thinking aloud", calls, "because", None)
    items = [
        ReasoningItem(
            AGENT, {"role": "assistant", "content": None, "reasoning_content": "because"}, "r1"
        ),
        MessageOutputItem(AGENT, {"role": "assistant", "content": "thinking aloud"}, "r1"),
        ToolCallItem(AGENT, expected["tool_calls"][0], "r1"),
        HandoffCallItem(AGENT, expected["tool_calls"][1], "r1"),
        ToolCallOutputItem(AGENT, {"role": "tool", "tool_call_id": "c1", "content": "ok"}, "r1"),
        MessageOutputItem(AGENT, {"role": "assistant", "content": "next"}, "r2"),
        MessageOutputItem(AGENT, {"role": "assistant", "content": "other response"}, "r3"),
    ]
    messages = items_to_messages(items)
    assert messages[0] == expected
    assert messages[1] == {"role": "tool", "tool_call_id": "c1", "content": "ok"}
    assert [m["content"] for m in messages[2:]] == ["next", "other response"]


def test_model_settings_overlay_keeps_unset_fields_and_merges_extra_args() -> None:
    base = ModelSettings(temperature=0.2, max_tokens=100, extra_args={"api_base": "a", "seed": 1})
    top = ModelSettings(temperature=0.9, extra_args={"seed": 2})
    merged = base.resolve(top)
    assert (merged.temperature, merged.max_tokens) == (0.9, 100)
    assert merged.extra_args == {"api_base": "a", "seed": 2}
    assert merged.to_llm_args() == {
        "api_base": "a",
        "seed": 2,
        "temperature": 0.9,
        "max_tokens": 100,
    }
    assert base.resolve(None) is base


def test_function_tool_schema_comes_from_hints_and_docstring_without_the_context() -> None:
    @function_tool
    def lookup(ctx: RunContextWrapper[dict], order_id: str, limit: int = 3) -> str:
        """Find an order.

        Args:
            order_id: The order's id, e.g. "#W1".
            limit: How many lines to return.
        """
        return order_id

    assert isinstance(lookup, FunctionTool)
    assert lookup.name == "lookup"
    assert lookup.description == "Find an order."
    params = lookup.params_json_schema
    assert set(params["properties"]) == {"order_id", "limit"}
    assert params["required"] == ["order_id"]
    assert params["properties"]["order_id"]["description"] == 'The order\'s id, e.g. "#W1".'
    # the same machinery as the core's @tool
    core = runner.function_schema(lambda order_id, limit=3: None, name="lookup")
    assert set(core.parameters["properties"]) == set(params["properties"])


def test_function_tool_overrides() -> None:
    @function_tool(name_override="find", description_override="Finds.", timeout=1.5)
    async def lookup(q: str) -> str:
        return q

    assert (lookup.name, lookup.description, lookup.timeout) == ("find", "Finds.", 1.5)
    assert lookup.openai_schema()["function"]["name"] == "find"


def test_handoff_tool_names_are_snake_case_and_overridable() -> None:
    billing = Agent(name="Billing Agent", handoff_description="Handles invoices.")
    default = handoff(billing)
    assert default.tool_name == "transfer_to_billing_agent"
    assert (
        "Billing Agent" in default.tool_description
        and "Handles invoices." in default.tool_description
    )
    assert handoff(billing, tool_name_override="to_money").tool_name == "to_money"
    assert json.loads(default.output_text()) == {"assistant": "Billing Agent"}


class Weather(BaseModel):
    city: str
    degrees: int | None = None


def test_output_schema_for_a_model_is_strict_and_validates() -> None:
    schema = AgentOutputSchema(Weather)
    fmt = schema.response_format()
    assert fmt["type"] == "json_schema" and fmt["json_schema"]["strict"] is True
    assert sorted(fmt["json_schema"]["schema"]["required"]) == ["city", "degrees"]
    assert schema.validate_text('{"city": "Paris", "degrees": 20}') == Weather(
        city="Paris", degrees=20
    )
    assert schema.validate_text('```json\n{"city": "Oslo", "degrees": null}\n```').city == "Oslo"
    with pytest.raises(ModelBehaviorError, match="does not match its output_type Weather"):
        schema.validate_text('{"town": "Paris"}', "forecaster")


def test_output_schema_wraps_non_object_types() -> None:
    schema = AgentOutputSchema(list[int])
    assert schema.wrapped
    assert schema.validate_text('{"response": [1, 2]}') == [1, 2]
    free_form = AgentOutputSchema(dict[str, int])
    assert free_form.strict is False and not free_form.wrapped


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"name": ""}, "non-empty string"),
        ({"name": "A", "tools": [lambda: 1]}, "@function_tool"),
        ({"name": "A", "handoffs": ["B"]}, "handoffs"),
        ({"name": "A", "model_settings": {"temperature": 1}}, "ModelSettings"),
    ],
)
def test_misconfigured_agents_are_user_errors(kwargs: dict, message: str) -> None:
    with pytest.raises(UserError, match=message) as info:
        Agent(**kwargs)
    assert isinstance(info.value, runner.RunnerError) and isinstance(info.value, AgentsException)


@pytest.mark.parametrize(
    "input, options, message",
    [
        (None, {}, "got None"),
        (42, {}, "string or a list"),
        ([{"content": "hi"}], {}, "message #0"),
        ("hi", {"max_turns": 0}, "positive integer"),
        ("hi", {"max_turns": -3}, "positive integer"),
        ("hi", {"error_handlers": {"timeout": print}}, "Unknown error handler"),
    ],
)
async def test_invalid_run_arguments_raise_before_any_model_call(
    input: object, options: dict, message: str
) -> None:
    with pytest.raises(UserError, match=message) as info:
        await Runner.run(AGENT, input, **options)  # type: ignore[arg-type]
    assert isinstance(info.value, runner.RunnerError)
    with pytest.raises(UserError, match=message):
        Runner.run_sync(AGENT, input, **options)  # type: ignore[arg-type]


async def test_an_agent_without_a_model_is_a_user_error() -> None:
    with pytest.raises(UserError, match="has no model"):
        await Runner.run(Agent(name="NoModel"), "hi")


def test_run_streamed_outside_an_event_loop_is_a_user_error() -> None:
    with pytest.raises(UserError, match="running event loop"):
        Runner.run_streamed(AGENT, "hi")


def test_plugin_module_imports_nothing_heavy() -> None:
    import subprocess
    import sys

    code = (
        "import sys, runner_agents.plugin, runner_agents\n"
        "heavy = [m for m in ('litellm', 'pydantic', 'runner_agents.run', 'aiohttp') if m in sys.modules]\n"
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_agents_that_hand_off_to_each_other_compare_and_hash_by_identity() -> None:
    a = Agent(name="A", model="openai/x")
    b = Agent(name="B", model="openai/x", handoffs=[a])
    a.handoffs.append(b)
    assert a != a.clone() and a == a
    assert {a: 1, b: 2}[b] == 2
    assert "A" in repr(a)


async def test_a_tool_named_like_a_handoff_is_a_user_error() -> None:
    @function_tool(name_override="transfer_to_b")
    def clash() -> str:
        return ""

    agent = Agent(name="A", model="openai/x", tools=[clash], handoffs=[Agent(name="B")])
    with pytest.raises(UserError, match="two tools or handoffs named 'transfer_to_b'"):
        await Runner.run(agent, "hi")

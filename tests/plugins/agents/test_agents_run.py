"""The run loop against the local OpenAI-compatible server, through the real gateway and litellm."""

from __future__ import annotations

import asyncio
import json
import threading
from dataclasses import dataclass, field
from typing import Any

import pytest
from runner.testing import reply
from runner_agents import (
    Agent,
    MaxTurnsExceeded,
    MessageOutputItem,
    ModelSettings,
    ReasoningItem,
    RunConfig,
    RunContextWrapper,
    RunErrorHandlerResult,
    Runner,
    ToolCallItem,
    ToolCallOutputItem,
    ToolExecutionError,
    function_tool,
)

MODEL = "openai/test-model"


@dataclass
class Shop:
    orders: dict[str, str] = field(default_factory=lambda: {"#W1": "shipped"})
    calls: list[str] = field(default_factory=list)


@function_tool
def order_status(ctx: RunContextWrapper[Shop], order_id: str) -> str:
    """The status of an order.

    Args:
        order_id: The order id, with its leading '#'.
    """
    ctx.context.calls.append(order_id)
    return ctx.context.orders[order_id]


async def test_a_tool_call_then_a_final_answer(llm_server, run_config) -> None:
    llm_server.add(
        reply.tool_calls([("order_status", {"order_id": "#W1"})], content="Checking."),
        reply.text("Your order has shipped."),
    )
    shop = Shop()
    agent = Agent(name="Support", instructions="Help.", tools=[order_status], model=MODEL)
    result = await Runner.run(agent, "Where is #W1?", context=shop, run_config=run_config)

    assert result.final_output == "Your order has shipped."
    assert shop.calls == ["#W1"]
    assert [type(i).__name__ for i in result.new_items] == [
        "MessageOutputItem",
        "ToolCallItem",
        "ToolCallOutputItem",
        "MessageOutputItem",
    ]
    assert result.new_items[2].output == "shipped"
    assert result.last_agent is agent and len(result.raw_responses) == 2
    assert result.usage.requests == 2 and result.usage.total_tokens > 0
    second = llm_server.requests[1].body
    assert second["messages"][0] == {"role": "system", "content": "Help."}
    assert (
        second["messages"][-1]["role"] == "tool" and second["messages"][-1]["content"] == "shipped"
    )
    assert second["tools"][0]["function"]["name"] == "order_status"
    history = result.to_input_list()
    assert history[0] == {"role": "user", "content": "Where is #W1?"}
    assert history[1]["tool_calls"][0]["function"]["name"] == "order_status"
    assert history[-1] == {"role": "assistant", "content": "Your order has shipped."}


async def test_to_input_list_continues_the_conversation(llm_server, run_config) -> None:
    llm_server.add(reply.text("Hello Ann."), reply.text("You are Ann."))
    agent = Agent(name="A", model=MODEL)
    first = await Runner.run(agent, "I am Ann.", run_config=run_config)
    second = await Runner.run(
        agent,
        first.to_input_list() + [{"role": "user", "content": "Who am I?"}],
        run_config=run_config,
    )
    assert second.final_output == "You are Ann."
    sent = llm_server.requests[1].body["messages"]
    assert [m["content"] for m in sent] == ["I am Ann.", "Hello Ann.", "Who am I?"]


async def test_dynamic_instructions_see_the_context_and_the_agent(llm_server, run_config) -> None:
    async def instructions(ctx: RunContextWrapper[dict], agent: Agent) -> str:
        return f"You are {agent.name}; the user is {ctx.context['user']}."

    llm_server.add(reply.text("ok"))
    agent = Agent(name="Concierge", instructions=instructions, model=MODEL)
    await Runner.run(agent, "hi", context={"user": "Bo"}, run_config=run_config)
    assert (
        llm_server.requests[0].body["messages"][0]["content"]
        == "You are Concierge; the user is Bo."
    )


async def test_model_settings_and_extra_args_reach_the_request(llm_server, gateway) -> None:
    llm_server.add(reply.text("ok"))
    agent = Agent(
        name="A",
        model="openai/agent-model",
        tools=[order_status],
        model_settings=ModelSettings(temperature=0.1, top_p=0.5, max_tokens=50),
    )
    config = RunConfig(
        gateway=gateway,
        model="openai/run-model",
        tool_choice="required",
        parallel_tool_calls=False,
        model_settings=ModelSettings(
            temperature=0.7, extra_args={**llm_server.litellm_kwargs(), "seed": 7}
        ),
    )
    await Runner.run(agent, "hi", context=Shop(), run_config=config)
    body = llm_server.requests[0].body
    assert body["model"] == "run-model"
    assert (body["temperature"], body["top_p"], body["max_tokens"], body["seed"]) == (
        0.7,
        0.5,
        50,
        7,
    )
    assert body["tool_choice"] == "required" and body["parallel_tool_calls"] is False


async def test_a_forced_tool_choice_is_reset_after_a_tool_ran(llm_server, run_config) -> None:
    llm_server.add(reply.tool_calls([("order_status", {"order_id": "#W1"})]), reply.text("done"))
    agent = Agent(
        name="A",
        model=MODEL,
        tools=[order_status],
        model_settings=ModelSettings(tool_choice="order_status"),
    )
    result = await Runner.run(agent, "go", context=Shop(), run_config=run_config)
    assert result.final_output == "done"
    first, second = (r.body for r in llm_server.requests)
    assert first["tool_choice"] == {"type": "function", "function": {"name": "order_status"}}
    assert "tool_choice" not in second


async def test_parallel_tool_calls_run_concurrently(llm_server, run_config) -> None:
    barrier = asyncio.Barrier(2)
    thread_barrier = threading.Barrier(2, timeout=5)

    @function_tool
    async def slow_async(tag: str) -> str:
        await asyncio.wait_for(barrier.wait(), 5)  # both calls must be in flight at once
        return f"async {tag}"

    @function_tool
    def slow_sync(tag: str) -> str:
        thread_barrier.wait()  # both calls must be running in threads at once
        return f"sync {tag}"

    llm_server.add(
        reply.tool_calls([("slow_async", {"tag": "a"}), ("slow_async", {"tag": "b"})]),
        reply.tool_calls([("slow_sync", {"tag": "c"}), ("slow_sync", {"tag": "d"})]),
        reply.text("both done"),
    )
    agent = Agent(name="A", model=MODEL, tools=[slow_async, slow_sync])
    result = await Runner.run(agent, "go", run_config=run_config)
    outputs = [i.output for i in result.new_items if isinstance(i, ToolCallOutputItem)]
    assert outputs == ["async a", "async b", "sync c", "sync d"]
    assert result.final_output == "both done"


async def test_a_hallucinated_tool_gets_an_error_message_not_a_crash(
    llm_server, run_config
) -> None:
    llm_server.add(reply.tool_calls([("delete_everything", {})]), reply.text("Sorry."))
    agent = Agent(name="A", model=MODEL, tools=[order_status])
    result = await Runner.run(agent, "go", context=Shop(), run_config=run_config)
    assert result.final_output == "Sorry."
    tool_message = llm_server.requests[1].body["messages"][-1]
    assert tool_message["role"] == "tool"
    assert "no tool named 'delete_everything'" in tool_message["content"]
    assert "order_status" in tool_message["content"]


async def test_tool_errors_and_bad_arguments_go_back_to_the_model(llm_server, run_config) -> None:
    @function_tool
    def explode(reason: str) -> str:
        raise RuntimeError(f"boom: {reason}")

    llm_server.add(
        reply.tool_calls(
            [
                ("explode", {"reason": "x"}),
                ("order_status", '{"order_id": '),
                ("order_status", {"order": 1}),
            ]
        ),
        reply.text("recovered"),
    )
    agent = Agent(name="A", model=MODEL, tools=[explode, order_status])
    result = await Runner.run(agent, "go", context=Shop(), run_config=run_config)
    assert result.final_output == "recovered"
    texts = [i.raw_item["content"] for i in result.new_items if isinstance(i, ToolCallOutputItem)]
    assert "boom: x" in texts[0] and texts[0].startswith("An error occurred while running the tool")
    assert "Invalid JSON arguments for tool order_status" in texts[1]
    assert "Invalid arguments for tool order_status" in texts[2] and "order_id" in texts[2]


async def test_custom_failure_function_and_raising_tools(llm_server, run_config) -> None:
    def polite(ctx: RunContextWrapper[Any], error: Exception) -> str:
        return f"Tool unavailable ({type(error).__name__})."

    @function_tool(failure_error_function=polite)
    def flaky() -> str:
        raise ConnectionError("down")

    @function_tool(failure_error_function=None)
    def strict() -> str:
        raise ValueError("must stop")

    llm_server.add(reply.tool_calls([("flaky", {})]), reply.tool_calls([("strict", {})]))
    agent = Agent(name="A", model=MODEL, tools=[flaky, strict])
    with pytest.raises(ToolExecutionError, match="must stop") as info:
        await Runner.run(agent, "go", run_config=run_config)
    partial = info.value.run_data
    assert partial is not None and partial.usage.requests == 2
    outputs = [i.output for i in partial.new_items if isinstance(i, ToolCallOutputItem)]
    assert outputs == ["Tool unavailable (ConnectionError)."]
    assert isinstance(info.value.__cause__, ValueError)


async def test_a_tool_that_overruns_its_timeout_reports_it_to_the_model(
    llm_server, run_config
) -> None:
    release = asyncio.Event()

    @function_tool(timeout=0.05)
    async def hang() -> str:
        await asyncio.wait_for(release.wait(), 10)
        return "late"

    llm_server.add(reply.tool_calls([("hang", {})]), reply.text("gave up"))
    result = await Runner.run(
        Agent(name="A", model=MODEL, tools=[hang]), "go", run_config=run_config
    )
    assert result.final_output == "gave up"
    output = next(i for i in result.new_items if isinstance(i, ToolCallOutputItem))
    assert "Tool 'hang' timed out after 0.05 seconds" in output.output


async def test_max_turns_exceeded_carries_the_partial_run(llm_server, run_config) -> None:
    llm_server.default = reply.tool_calls([("order_status", {"order_id": "#W1"})])
    agent = Agent(name="Looper", model=MODEL, tools=[order_status])
    with pytest.raises(MaxTurnsExceeded, match=r"Max turns \(3\)") as info:
        await Runner.run(agent, "go", context=Shop(), max_turns=3, run_config=run_config)
    assert llm_server.stats.count == 3
    data = info.value.run_data
    assert data is not None and data.last_agent is agent
    assert len(data.raw_responses) == 3 and data.usage.requests == 3
    assert sum(isinstance(i, ToolCallItem) for i in data.new_items) == 3
    assert data.to_input_list()[0] == {"role": "user", "content": "go"}


async def test_a_max_turns_error_handler_produces_the_final_output(llm_server, run_config) -> None:
    llm_server.default = reply.tool_calls([("order_status", {"order_id": "#W1"})])
    seen: list[int] = []

    def give_up(data) -> RunErrorHandlerResult:
        seen.append(len(data.run_data.raw_responses))
        return RunErrorHandlerResult("I could not finish in time.")

    agent = Agent(name="Looper", model=MODEL, tools=[order_status])
    config = RunConfig(
        gateway=run_config.gateway, model_settings=run_config.model_settings, max_turns=2
    )
    result = await Runner.run(
        agent, "go", context=Shop(), run_config=config, error_handlers={"max_turns": give_up}
    )
    assert result.final_output == "I could not finish in time."
    assert seen == [2]
    assert isinstance(result.new_items[-1], MessageOutputItem)
    assert result.to_input_list()[-1] == {
        "role": "assistant",
        "content": "I could not finish in time.",
    }

    async def decline(data) -> None:
        return None

    with pytest.raises(MaxTurnsExceeded):
        await Runner.run(
            agent,
            "go",
            context=Shop(),
            max_turns=1,
            run_config=run_config,
            error_handlers={"max_turns": decline},
        )


async def test_tool_use_behavior_can_stop_on_a_tool(llm_server, run_config) -> None:
    @function_tool
    def final_answer(answer: int) -> dict:
        return {"answer": answer}

    llm_server.add(
        reply.tool_calls([("order_status", {"order_id": "#W1"})]),
        reply.tool_calls([("final_answer", {"answer": 42})]),
    )
    agent = Agent(
        name="A",
        model=MODEL,
        tools=[order_status, final_answer],
        tool_use_behavior=["final_answer"],
    )
    result = await Runner.run(agent, "go", context=Shop(), run_config=run_config)
    assert result.final_output == {"answer": 42}
    assert llm_server.stats.count == 2

    llm_server.add(reply.tool_calls([("order_status", {"order_id": "#W1"})]))
    first = agent.clone(tool_use_behavior="stop_on_first_tool")
    assert (
        await Runner.run(first, "go", context=Shop(), run_config=run_config)
    ).final_output == "shipped"


def test_run_sync_without_an_event_loop(llm_server, run_config) -> None:
    llm_server.add(reply.text("sync answer"))
    result = Runner.run_sync(Agent(name="A", model=MODEL), "hi", run_config=run_config)
    assert result.final_output == "sync answer"


async def test_run_sync_inside_a_running_event_loop_uses_its_own_thread(
    llm_server, run_config
) -> None:
    threads: list[str] = []

    @function_tool
    async def where() -> str:
        threads.append(threading.current_thread().name)
        return "here"

    llm_server.add(reply.tool_calls([("where", {})]), reply.text("from a notebook"))
    result = Runner.run_sync(
        Agent(name="A", model=MODEL, tools=[where]), "hi", run_config=run_config
    )
    assert result.final_output == "from a notebook"
    assert threads and threads[0] != threading.current_thread().name


async def test_agent_as_tool_runs_a_nested_agent_and_adds_its_usage(llm_server, run_config) -> None:
    translator = Agent(name="Translator", instructions="Translate to French.", model=MODEL)
    llm_server.add(
        reply.tool_calls([("translate", {"input": "hello"})]),
        reply.text("bonjour"),
        reply.text("It is 'bonjour'."),
    )
    boss = Agent(
        name="Boss", model=MODEL, tools=[translator.as_tool("translate", "Translate text.")]
    )
    result = await Runner.run(boss, "Translate hello", run_config=run_config)
    assert result.final_output == "It is 'bonjour'."
    assert [i.output for i in result.new_items if isinstance(i, ToolCallOutputItem)] == ["bonjour"]
    assert result.usage.requests == 3
    assert llm_server.requests[1].body["messages"][0]["content"] == "Translate to French."


async def test_tracing_records_spans_unless_disabled(llm_server, run_config) -> None:
    llm_server.add(
        reply.tool_calls([("order_status", {"order_id": "#W1"})]),
        reply.text("ok"),
        reply.text("ok"),
    )
    agent = Agent(name="A", model=MODEL, tools=[order_status])
    result = await Runner.run(agent, "go", context=Shop(), run_config=run_config)
    kinds = [s.kind for s in result.trace.spans]
    assert kinds == ["agent", "generation", "function", "generation"]
    assert result.trace.of_kind("function")[0].name == "order_status"
    assert result.trace.of_kind("generation")[0].data["input_tokens"] > 0
    assert all(s.ended_at is not None for s in result.trace.spans)
    quiet = RunConfig(
        gateway=run_config.gateway, model_settings=run_config.model_settings, tracing_disabled=True
    )
    assert (await Runner.run(agent, "go", context=Shop(), run_config=quiet)).trace.spans == []


async def test_reasoning_is_an_item_and_goes_back_to_the_model(llm_server, run_config) -> None:
    llm_server.add(
        reply.tool_calls([("order_status", {"order_id": "#W1"})], reasoning="I should look it up."),
        reply.text("Shipped.", reasoning="The tool said shipped."),
    )
    agent = Agent(name="Thinker", model=MODEL, tools=[order_status])
    result = await Runner.run(agent, "status?", context=Shop(), run_config=run_config)
    reasoning = [i for i in result.new_items if isinstance(i, ReasoningItem)]
    assert [r.text for r in reasoning] == ["I should look it up.", "The tool said shipped."]
    sent = llm_server.requests[1].body["messages"][-2]
    assert sent["reasoning_content"] == "I should look it up." and sent["tool_calls"]
    assert result.to_input_list()[1] == result.raw_responses[0].message
    assert result.to_input_list()[-1] == result.raw_responses[1].message


async def test_api_key_is_not_kept_in_results(llm_server, run_config) -> None:
    llm_server.add(reply.text("ok"))
    result = await Runner.run(Agent(name="A", model=MODEL), "hi", run_config=run_config)
    dumped = (
        json.dumps([r.model_dump() for r in result.raw_responses])
        + repr(result.new_items)
        + repr(result.trace)
    )
    assert "sk-test" not in dumped

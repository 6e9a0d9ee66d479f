"""The simulation agents (llm_agent, llm_gt_agent, llm_solo_agent) against the local LLM server:
each model call is one agent message, tool calls go through the orchestrator and the
environment, and the model's history (tool results, reasoning) is what the next request holds."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from runner import RunConfig, run_simulation
from runner.errors import RunnerError
from runner.plugins import PluginOptions, load_plugins
from runner.run.build import build_orchestrator, environment_factory
from runner.testing import LLMTestServer, reply

KEY = "sk-agent-test-7d1e0c55"


@pytest.fixture(scope="module")
def plugins() -> Any:
    return load_plugins(PluginOptions(only=("runner-mock", "runner-agents", "runner-users")))


@pytest.fixture
def server() -> Iterator[LLMTestServer]:
    with LLMTestServer() as s:
        yield s


@pytest.fixture(autouse=True)
def fast_gateway(monkeypatch: pytest.MonkeyPatch) -> Any:
    """A process-wide gateway with one fast retry (restored after the test)."""
    from runner.llm import gateway as module

    fast = module.LLMGateway(max_retries=1, timeout=10, backoff_base=0.001, backoff_max=0.01)
    monkeypatch.setattr(module, "_default", fast)
    return fast


def task(plugins: Any, task_id: str) -> Any:
    domain = plugins.registry("domains").get("mock").obj
    return next(t for t in domain.tasks() if t.id == task_id)


def config(server: LLMTestServer, agent: str = "llm_agent", **extra: Any) -> RunConfig:
    return RunConfig(
        domain="mock",
        agent=agent,
        user="scripted",
        agent_llm="openai/gpt-4o-mini",
        agent_llm_args={"api_base": server.url, "api_key": KEY, "temperature": 0},
        **extra,
    )


async def simulate(plugins: Any, cfg: RunConfig, task_id: str, seed: int = 7) -> Any:
    orchestrator = build_orchestrator(cfg, task(plugins, task_id), seed, plugins)
    return await run_simulation(orchestrator, environment_factory=environment_factory(cfg, plugins))


def roles(run: Any) -> list[str]:
    out = []
    for m in run.messages:
        kind = "call" if getattr(m, "tool_calls", None) else m.role
        out.append(f"{m.role}:{kind}" if kind == "call" else m.role)
    return out


async def test_one_model_call_per_message_tools_run_by_the_environment(plugins, server) -> None:
    server.add(
        reply.tool_calls(
            [("update_task_status", {"task_id": "task_1", "status": "completed"})],
            reasoning="The user wants task_1 completed.",
        ),
        reply.text("Done: task_1 is now completed."),
    )
    run = await simulate(plugins, config(server), "complete_report")
    assert run.termination_reason == "user_stop" and run.reward_info.reward == 1.0
    assert roles(run) == ["assistant", "user", "assistant:call", "tool", "assistant", "user"]
    call = run.messages[2].tool_calls[0]
    assert call.requestor == "assistant" and call.arguments == {
        "task_id": "task_1",
        "status": "completed",
    }
    assert run.messages[3].id == call.id and '"completed"' in run.messages[3].content
    assert run.messages[2].raw_data["reasoning_content"] == "The user wants task_1 completed."
    # cost and usage per message, summed by the orchestrator
    assert run.messages[2].cost > 0 and run.messages[2].usage["prompt_tokens"] > 0
    assert run.agent_cost == pytest.approx(run.messages[2].cost + run.messages[4].cost)
    assert run.usage["agent"]["prompt_tokens"] > 0

    first, second = (r.body for r in server.requests)
    system = first["messages"][0]
    assert system["role"] == "system" and "Task tracker support policy" in system["content"]
    assert [m["role"] for m in first["messages"][1:]] == ["assistant", "user"]
    assert first["messages"][1]["content"] == "Hi! How can I help you today?"
    assert {t["function"]["name"] for t in first["tools"]} >= {"create_task", "update_task_status"}
    assert "check_notifications" not in {t["function"]["name"] for t in first["tools"]}
    assert first["temperature"] == 0 and first["seed"] == 7
    # the next call holds the model's own turn (reasoning included) and the tool result
    own, result = second["messages"][-2:]
    assert (
        own["role"] == "assistant"
        and own["reasoning_content"] == "The user wants task_1 completed."
    )
    assert own["tool_calls"][0]["id"] == call.id
    assert result == {"role": "tool", "tool_call_id": call.id, "content": run.messages[3].content}


async def test_several_calls_in_one_message_and_an_invalid_one(plugins, server) -> None:
    server.add(
        reply.tool_calls(
            [
                ("create_task", {"user_id": "user_3", "title": "Order printer paper"}),
                ("create_task", '{"user_id": "user_3", "title": '),  # invalid JSON
                ("delete_everything", {}),  # a tool that does not exist
            ]
        ),
        reply.tool_calls([("create_task", {"user_id": "user_3", "title": "Call the landlord"})]),
        reply.text("Both tasks are created: task_5 and task_6."),
    )
    run = await simulate(plugins, config(server), "create_two_tasks")
    assert run.termination_reason == "user_stop"
    results = [m for m in run.messages if m.role == "tool"]
    assert [r.error for r in results] == [False, True, True, False]
    assert "_raw_arguments" in results[1].content and "delete_everything" in results[2].content
    assert run.reward_info.reward == 1.0  # the errors changed nothing; both tasks exist
    # the model gets back its own (invalid) arguments verbatim, and one result per call
    history = server.requests[1].body["messages"]
    assert (
        history[-4]["tool_calls"][1]["function"]["arguments"] == '{"user_id": "user_3", "title": '
    )
    assert [m["role"] for m in history[-3:]] == ["tool", "tool", "tool"]


async def test_gt_agent_gets_the_expected_actions_as_steps(plugins, server) -> None:
    server.add(reply.text("Sure."))
    await simulate(plugins, config(server, "llm_gt_agent"), "notification_dual_control")
    system = server.requests[0].body["messages"][0]["content"]
    steps = system.split("<resolution_steps>")[-1]
    assert "[Step 1] Ask the user to perform this action: check_notifications({})." in steps
    assert (
        '[Step 2] Perform this action: update_task_status({"status": "completed", '
        '"task_id": "task_3"}).' in steps
    )
    assert "[Step 3] Ask the user" in steps and "Task tracker support policy" in system

    server.add(reply.text("Sure."))
    cfg = config(server, "llm_gt_agent", agent_options={"with_arguments": False})
    await simulate(plugins, cfg, "notification_dual_control")
    steps = server.requests[-1].body["messages"][0]["content"].split("<resolution_steps>")[-1]
    assert "Perform this action: update_task_status." in steps and "task_3" not in steps


async def test_solo_agent_works_the_ticket_with_both_tool_sets(plugins, server) -> None:
    server.add(
        reply.tool_calls([("check_notifications", {})]),
        reply.tool_calls([("update_task_status", {"task_id": "task_3", "status": "completed"})]),
        reply.tool_calls([("dismiss_notification", {"notification_id": "notif_1"}), ("done", {})]),
    )
    run = await simulate(plugins, config(server, "llm_solo_agent"), "notification_dual_control")
    assert run.termination_reason == "agent_stop"
    assert run.reward_info.reward == 1.0  # DB, actions and env assertions on both sides
    assert run.messages[0].tool_calls[0].name == "check_notifications"
    assert run.messages[0].tool_calls[0].requestor == "user"  # runs on the user's side
    assert run.messages[2].tool_calls[0].requestor == "assistant"
    last_calls = run.messages[4].tool_calls
    assert [c.name for c in last_calls] == ["dismiss_notification"]  # done is not executed
    assert run.messages[-1].content == "###STOP###" and run.messages[-1].role == "assistant"
    assert all(m.role != "user" for m in run.messages)  # no user, no greeting
    assert server.stats.count == 3  # the stop after the last results needs no model call

    first = server.requests[0].body
    assert first["tool_choice"] == "required"
    assert [m["role"] for m in first["messages"]] == ["system", "user"]
    assert "Tomas Okafor (user_2) reviewed pull request 42" in first["messages"][1]["content"]
    names = {t["function"]["name"] for t in first["tools"]}
    assert {"update_task_status", "check_notifications", "dismiss_notification", "done"} <= names


async def test_solo_agent_done_alone_and_text_without_tools(plugins, server) -> None:
    server.add(reply.tool_calls([("done", {})], content="All good."))
    run = await simulate(plugins, config(server, "llm_solo_agent"), "complete_report")
    assert run.termination_reason == "agent_stop" and len(run.messages) == 1
    assert run.messages[0].raw_data["done_call"]["name"] == "done"
    assert run.messages[0].raw_data["text"] == "All good."
    assert run.reward_info.reward == 0.0  # the ticket was not worked

    server.add(reply.text("I would mark task_1 as completed."))
    run = await simulate(plugins, config(server, "llm_solo_agent"), "complete_report")
    assert run.termination_reason == "agent_error"
    assert "solo mode" in run.error


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        (reply.context_overflow(), "context_window_exceeded"),
        (reply.server_error(503), "infrastructure_error"),  # after the gateway's retries
        (reply.bad_request("tools[0].function.name is invalid"), "agent_error"),
    ],
)
async def test_gateway_errors_become_termination_reasons(plugins, server, fault, reason) -> None:
    server.default = fault
    run = await simulate(plugins, config(server), "complete_report")
    assert run.termination_reason == reason
    assert run.error.startswith("agent: ") and KEY not in run.error
    assert server.stats.count == (2 if reason == "infrastructure_error" else 1)


async def test_a_refused_api_key_stops_the_run(plugins, server) -> None:
    server.default = reply.auth_error()  # echoes the key, as some providers do
    with pytest.raises(RunnerError) as error:
        await simulate(plugins, config(server), "complete_report")
    message = str(error.value)
    assert "agent's LLM refused the request" in message and "--agent-llm-args" in message
    assert KEY not in message and "HTTP 401" in message


def test_factories_explain_what_is_missing(plugins, server) -> None:
    cfg = config(server).model_copy(update={"agent_llm": None})
    with pytest.raises(RunnerError, match="--agent-llm MODEL"):
        build_orchestrator(cfg, task(plugins, "complete_report"), 1, plugins)
    cfg = config(server, agent_options={"style": "terse"})
    with pytest.raises(RunnerError, match="no option 'style'"):
        build_orchestrator(cfg, task(plugins, "complete_report"), 1, plugins)
    cfg = config(server, "llm_gt_agent", agent_options={"with_arguments": "maybe"})
    with pytest.raises(RunnerError, match="with_arguments"):
        build_orchestrator(cfg, task(plugins, "complete_report"), 1, plugins)


async def test_llm_args_seed_wins_and_history_reaches_the_model(plugins, server) -> None:
    server.add(
        reply.tool_calls([("update_task_status", {"task_id": "task_5", "status": "completed"})]),
        reply.text("task_5 is completed."),
    )
    cfg = config(server)
    cfg = cfg.model_copy(update={"agent_llm_args": {**cfg.agent_llm_args, "seed": 42}})
    run = await simulate(plugins, cfg, "continue_after_history")
    assert run.reward_info.reward == 1.0
    body = server.requests[0].body
    assert body["seed"] == 42
    chat = body["messages"]
    # the task's history as the agent saw it: its own tool call and result included
    assert [m["role"] for m in chat[1:]] == [
        "assistant",
        "user",
        "assistant",
        "tool",
        "assistant",
        "user",
    ]
    assert (
        json.loads(chat[3]["tool_calls"][0]["function"]["arguments"])["title"]
        == "Migrate CI pipeline"
    )
    assert chat[4]["tool_call_id"] == "hist_1"

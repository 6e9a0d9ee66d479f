"""The LLM user simulator against the local LLM server: its prompt template, the flipped
conversation it sends, its stop tokens, and its user-side tool calls through the orchestrator."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from runner import RunConfig, run_simulation
from runner.errors import RunnerError
from runner.plugins import PluginOptions, load_plugins
from runner.run.build import build_orchestrator, build_user, environment_factory
from runner.testing import LLMTestServer, reply

KEY = "sk-user-test-0b6e2f91"


@pytest.fixture(scope="module")
def plugins() -> Any:
    return load_plugins(PluginOptions(only=("runner-mock", "runner-users")))


@pytest.fixture
def server() -> Iterator[LLMTestServer]:
    with LLMTestServer() as s:
        yield s


@pytest.fixture(autouse=True)
def fast_gateway(monkeypatch: pytest.MonkeyPatch) -> None:
    from runner.llm import gateway as module

    fast = module.LLMGateway(max_retries=1, timeout=10, backoff_base=0.001, backoff_max=0.01)
    monkeypatch.setattr(module, "_default", fast)


def task(plugins: Any, task_id: str) -> Any:
    domain = plugins.registry("domains").get("mock").obj
    return next(t for t in domain.tasks() if t.id == task_id)


def config(server: LLMTestServer, **extra: Any) -> RunConfig:
    return RunConfig(
        domain="mock",
        agent="replay",
        user="user_simulator",
        user_llm="openai/gpt-4o-mini",
        user_llm_args={"api_base": server.url, "api_key": KEY},
        **extra,
    )


def prompt_of(plugins: Any, cfg: RunConfig, task_id: str) -> str:
    return build_user(cfg, task(plugins, task_id), 1, plugins).system_prompt


async def simulate(plugins: Any, cfg: RunConfig, task_id: str) -> Any:
    orchestrator = build_orchestrator(cfg, task(plugins, task_id), 3, plugins)
    return await run_simulation(orchestrator, environment_factory=environment_factory(cfg, plugins))


def test_prompt_holds_persona_instructions_and_stop_tokens(plugins, server) -> None:
    prompt = prompt_of(plugins, config(server), "create_for_new_user")
    assert "<persona>\nBusy project manager who writes short, direct messages\n</persona>" in prompt
    assert "You are Jonas Weber (user id user_4)." in prompt.split("<scenario>")[1]
    for token in ("###STOP###", "###TRANSFER###", "###OUT-OF-SCOPE###"):
        assert token in prompt
    assert "{" not in prompt  # every placeholder filled
    # the mock domain gives the user tools: their guidelines are included
    assert "# Your tools" in prompt


def test_custom_template_and_its_errors(plugins, server, tmp_path: Path) -> None:
    template = tmp_path / "terse.md"
    template.write_text(
        'Domain {domain}. Ticket: {ticket}\nJSON stays {"a": 1}; braces {{persona}}.\n'
        "Say {stop_token} when done.\n"
    )
    cfg = config(server, user_options={"prompt": str(template)})
    prompt = prompt_of(plugins, cfg, "complete_report")
    assert prompt == (
        "Domain mock. Ticket: Maya Lindqvist (user_1) finished task_1 and wants it marked "
        'completed.\nJSON stays {"a": 1}; braces {persona}.\nSay ###STOP### when done.\n'
    )

    template.write_text("Hello {name}.\n\nYou are {persona} from {city}.\n")
    with pytest.raises(RunnerError) as error:
        prompt_of(plugins, cfg, "complete_report")
    message = str(error.value)
    assert "{name} (line 1), {city} (line 3)" in message and "{instructions}" in message
    assert "\n" not in message  # one paragraph

    missing = config(server, user_options={"prompt": str(tmp_path / "nope.md")})
    with pytest.raises(RunnerError, match="cannot read the prompt template"):
        prompt_of(plugins, missing, "complete_report")
    with pytest.raises(RunnerError, match="no option 'voice'"):
        prompt_of(plugins, config(server, user_options={"voice": "calm"}), "complete_report")
    with pytest.raises(RunnerError, match="--user-llm MODEL"):
        prompt_of(plugins, config(server).model_copy(update={"user_llm": None}), "complete_report")


@pytest.mark.parametrize("token", ["###STOP###", "###TRANSFER###", "###OUT-OF-SCOPE###"])
async def test_each_stop_token_ends_the_run_and_stays_in_it(plugins, server, token) -> None:
    server.add(
        reply.text("I finished task_1, please mark it completed."), reply.text(f"Thanks! {token}")
    )
    run = await simulate(plugins, config(server), "complete_report")
    assert run.termination_reason == "user_stop"
    assert run.messages[-1].role == "user" and run.messages[-1].content == f"Thanks! {token}"
    assert run.user_cost > 0 and run.usage["user"]["completion_tokens"] > 0
    assert run.reward_info.reward == 1.0  # the replay agent did the work

    first, second = (r.body for r in server.requests)
    # the user's view is flipped: the agent's greeting is the "user", its own turns "assistant"
    assert [m["role"] for m in first["messages"]] == ["system", "user"]
    assert first["messages"][1]["content"] == "Hi! How can I help you today?"
    assert [m["role"] for m in second["messages"][1:]] == ["user", "assistant", "user"]
    assert "task_1" not in [m.get("tool_call_id") for m in second["messages"]]  # no agent tools
    assert first["seed"] == 3 and {t["function"]["name"] for t in first["tools"]} == {
        "check_notifications",
        "dismiss_notification",
    }


async def test_user_tool_calls_go_through_the_orchestrator(plugins, server) -> None:
    server.add(
        reply.tool_calls([("check_notifications", {})]),
        reply.text("I reviewed the PR; please mark task_3 as completed."),
        reply.tool_calls([("dismiss_notification", {"notification_id": "notif_1"})]),
        reply.text("Done, I dismissed it. ###STOP###"),
    )
    run = await simulate(plugins, config(server), "notification_dual_control")
    assert run.termination_reason == "user_stop"
    calls = [m for m in run.messages if m.role == "user" and m.tool_calls]
    assert [c.tool_calls[0].name for c in calls] == ["check_notifications", "dismiss_notification"]
    assert all(c.tool_calls[0].requestor == "user" for c in calls)
    results = [m for m in run.messages if m.role == "tool" and m.requestor == "user"]
    assert len(results) == 2 and "notif_1" in results[0].content
    # the result went back to the user's model as a tool message answering its call
    second = server.requests[1].body["messages"]
    assert second[-1] == {
        "role": "tool",
        "tool_call_id": calls[0].tool_calls[0].id,
        "content": results[0].content,
    }
    assert second[-2]["tool_calls"][0]["function"]["name"] == "check_notifications"
    # the user's dismissal changed the user-side state the evaluation checks
    checks = {c.env_assertion.func_name: c.met for c in run.reward_info.env_assertions}
    assert checks["assert_notification_status"] is True

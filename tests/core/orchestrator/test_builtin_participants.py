"""The replay agent and the scripted user on their own, and through their factories."""

from __future__ import annotations

from typing import Any

import pytest
from runner import AssistantMessage, BuildContext, Task, ToolMessage
from runner.builtins.replay import CLOSING, DEFAULT_ANSWER, ReplayAgent, build_replay_agent
from runner.builtins.scripted import ScriptedState, ScriptedUser, build_scripted_user
from runner.constants import GREETING, STOP_TOKEN
from runner.errors import ConfigError


def make_task(**extra: Any) -> Task:
    data: dict[str, Any] = {
        "id": "t",
        "user_scenario": {"instructions": "Do the thing."},
        "evaluation_criteria": {
            "actions": [
                {"action_id": "1", "name": "check", "requestor": "user"},
                {"action_id": "2", "name": "fix", "arguments": {"x": 1}},
                {
                    "action_id": "3",
                    "name": "reboot",
                    "requestor": "user",
                    "arguments": {"hard": True},
                },
            ],
            "communicate_info": ["42", "all good"],
        },
    }
    data.update(extra)
    return Task.model_validate(data)


async def test_replay_interleaves_requests_calls_and_one_final_answer() -> None:
    agent = ReplayAgent(make_task())
    state = agent.get_init_state()
    out = []
    for _ in range(5):
        msg, state = await agent.agenerate_next_message(None, state)
        out.append(msg)
    assert "check" in out[0].content and not out[0].tool_calls
    call = out[1].tool_calls[0]
    assert (call.name, call.arguments, call.requestor) == ("fix", {"x": 1}, "assistant")
    assert 'reboot with arguments {"hard": true}' in out[2].content
    assert out[3].content == "42\nall good"
    assert out[4].content == CLOSING and agent.is_stop(out[4])


def test_replay_without_anything_to_communicate_says_so() -> None:
    agent = ReplayAgent(make_task(evaluation_criteria=None))
    msg, _ = agent.generate_next_message(None, agent.get_init_state())
    assert msg.content == DEFAULT_ANSWER


async def test_scripted_user_performs_named_pending_actions_in_order() -> None:
    task = make_task(ticket="My phone is broken.")
    user = ScriptedUser(task)
    state = user.get_init_state(None)
    opening, state = await user.agenerate_next_message(AssistantMessage(content=GREETING), state)
    assert opening.content == "My phone is broken."
    # a request that does not name the *next* pending action is an answer: the user stops
    stop, _ = await user.agenerate_next_message(
        AssistantMessage(content="please reboot"), ScriptedState(opened=True)
    )
    assert stop.content == STOP_TOKEN
    call_msg, state = await user.agenerate_next_message(
        AssistantMessage(content="run check please"), state
    )
    call = call_msg.tool_calls[0]
    assert (call.name, call.requestor) == ("check", "user")
    done, state = await user.agenerate_next_message(
        ToolMessage(id=call.id, content="ok", requestor="user"), state
    )
    assert done.content.startswith("Done: I performed check.") and "ok" in done.content
    call_msg, state = await user.agenerate_next_message(
        AssistantMessage(content="now reboot"), state
    )
    assert call_msg.tool_calls[0].arguments == {"hard": True}
    _, state = await user.agenerate_next_message(
        ToolMessage(id="x", content="rebooted", requestor="user"), state
    )
    final, _ = await user.agenerate_next_message(
        AssistantMessage(content="All fixed, reboot again?"), state
    )
    assert final.content == STOP_TOKEN  # nothing pending any more


def test_scripted_user_opens_with_instructions_without_a_ticket_and_respects_history() -> None:
    user = ScriptedUser(make_task())
    msg, _ = user.generate_next_message(AssistantMessage(content=GREETING), user.get_init_state())
    assert msg.content == "Do the thing."
    ends_with_user = make_task(
        initial_state={
            "message_history": [
                {"role": "assistant", "content": GREETING},
                {"role": "user", "content": "Fix it."},
            ]
        }
    )
    user = ScriptedUser(ends_with_user)
    msg, _ = user.generate_next_message(AssistantMessage(content="Done."), user.get_init_state([]))
    assert msg.content == STOP_TOKEN


def test_factories_need_a_task_and_take_no_options() -> None:
    task = make_task()
    assert isinstance(build_replay_agent(BuildContext(task=task)), ReplayAgent)
    assert isinstance(build_scripted_user(BuildContext(task=task)), ScriptedUser)
    for build in (build_replay_agent, build_scripted_user):
        with pytest.raises(ConfigError, match="needs a task"):
            build(BuildContext())
        with pytest.raises(ConfigError, match="no options"):
            build(BuildContext(task=task, options={"speed": "fast"}))


def test_builtins_are_registered_under_their_names() -> None:
    from runner.plugins import load_plugins

    plugins = load_plugins()
    assert (
        plugins.registry("agents").get("replay").obj(BuildContext(task=make_task())).__class__
        is ReplayAgent
    )
    assert (
        plugins.registry("users").get("scripted").obj(BuildContext(task=make_task())).__class__
        is ScriptedUser
    )
    from runner.orchestrator import HalfDuplexOrchestrator

    orch = (
        plugins.registry("orchestrators")
        .get("half_duplex")
        .obj(
            environment=None,
            agent=None,
            user=None,
            task=make_task(),
            seed=1,
            max_steps=5,
            max_errors=2,
            timeout=None,
            solo="false",
        )
    )
    assert isinstance(orch, HalfDuplexOrchestrator) and orch.max_steps == 5
    # an option the orchestrator does not know is one clear error, with a suggestion
    with pytest.raises(ConfigError, match=r"solo_mode.*no such option.*Did you mean 'solo'"):
        plugins.registry("orchestrators").get("half_duplex").obj(
            environment=None, agent=None, user=None, task=make_task(), solo_mode=True
        )

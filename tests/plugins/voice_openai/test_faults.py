"""Faults of the connection and of the service: a dropped connection is restored and the task
still solved; one that keeps dropping, or cannot be opened, ends the simulation as an
``infrastructure_error``; service errors; and the API key, which appears nowhere."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import build_agent, scripted_user, solving_script, task_of, voice_run
from runner import ConfigError, TerminationReason
from runner_voice_openai.fake_server import FakeRealtimeServer

FAST_RETRIES = {"max_retries": 2, "retry_wait": 0.01, "timeout": 2}


def assert_no_key(run: Any, key: str) -> None:
    assert key not in run.model_dump_json()
    assert key not in (run.error or "")


@pytest.mark.parametrize(
    ("event", "after"),
    [
        ("response.create", 1),  # the user's turn was committed, its answer never came
        ("conversation.item.create", 2),  # the tool's result was lost (the greeting is 1st)
        ("input_audio_buffer.append", 3),  # mid-sentence
    ],
)
async def test_a_dropped_connection_is_restored_and_the_task_solved(
    plugins: Any, domain: Any, server_factory: Any, event: str, after: int
) -> None:
    task = task_of(domain, "create_with_description")
    server = server_factory(solving_script(task), drop_after=after, drop_event=event, drops=1)
    agent = build_agent(plugins, domain.environment(), task, server, llm_args=FAST_RETRIES)
    run = await voice_run(domain, task, agent, scripted_user(plugins, task))

    assert run.termination_reason == TerminationReason.USER_STOP, run.error
    assert run.reward_info.reward == 1.0
    assert server.connections == 2
    opening = task.ticket or task.user_scenario.instructions_text()
    assert server.heard() == [opening]  # committed once, on one connection or the other
    # The second connection was set up again and given the conversation so far.
    assert len(server.received("session.update")) == 2
    assert_no_key(run, server.api_key)


async def test_a_connection_that_keeps_dropping_is_an_infrastructure_error(
    plugins: Any, domain: Any, server_factory: Any
) -> None:
    task = task_of(domain, "create_with_description")
    server = server_factory(solving_script(task), drop_after=1, drops=None)
    agent = build_agent(plugins, domain.environment(), task, server, llm_args=FAST_RETRIES)
    run = await voice_run(domain, task, agent, scripted_user(plugins, task))

    assert run.termination_reason == TerminationReason.INFRASTRUCTURE_ERROR
    assert "OpenAI Realtime" in run.error
    # Given up after the allowed drops, or when a reconnect itself kept failing.
    assert "dropped 3 times" in run.error or "after 2 attempts" in run.error
    # Bounded: the first open and one per allowed drop, each of at most two attempts.
    retries = FAST_RETRIES["max_retries"]
    assert 2 <= server.connections <= retries * (1 + retries)
    assert_no_key(run, server.api_key)


async def test_a_server_that_cannot_be_reached_is_an_infrastructure_error(
    plugins: Any, domain: Any
) -> None:
    task = task_of(domain, "create_with_description")
    with FakeRealtimeServer() as server:
        pass  # stopped: its port now refuses connections
    agent = build_agent(plugins, domain.environment(), task, server, llm_args=FAST_RETRIES)
    run = await voice_run(domain, task, agent, scripted_user(plugins, task))
    assert run.termination_reason == TerminationReason.INFRASTRUCTURE_ERROR
    assert "Could not connect" in run.error
    assert_no_key(run, server.api_key)


async def test_an_error_event_is_redacted_and_ends_the_run_as_an_agent_error(
    plugins: Any, domain: Any, server_factory: Any
) -> None:
    task = task_of(domain, "create_with_description")
    leaky = {
        "type": "invalid_request_error",
        "code": "bad",
        "message": "bad key sk-fake-realtime-key-0123456789",
    }
    server = server_factory(
        solving_script(task), error_after=1, error_event="response.create", error=leaky
    )
    assert server.api_key in leaky["message"]
    agent = build_agent(plugins, domain.environment(), task, server)
    run = await voice_run(domain, task, agent, scripted_user(plugins, task))
    assert run.termination_reason == TerminationReason.AGENT_ERROR
    assert "invalid_request_error" in run.error and "bad key" in run.error
    assert_no_key(run, server.api_key)


async def test_a_server_error_event_is_an_infrastructure_error(
    plugins: Any, domain: Any, server_factory: Any
) -> None:
    task = task_of(domain, "create_with_description")
    outage = {"type": "server_error", "message": "The server had an error."}
    server = server_factory(
        solving_script(task), error_after=1, error_event="response.create", error=outage
    )
    agent = build_agent(plugins, domain.environment(), task, server)
    run = await voice_run(domain, task, agent, scripted_user(plugins, task))
    assert run.termination_reason == TerminationReason.INFRASTRUCTURE_ERROR


async def test_a_refused_key_stops_the_run_as_a_config_error(
    plugins: Any, domain: Any, server_factory: Any
) -> None:
    task = task_of(domain, "create_with_description")
    server = server_factory(solving_script(task))
    wrong = "sk-wrong-key-abcdefghijkl"
    agent = build_agent(plugins, domain.environment(), task, server, llm_args={"api_key": wrong})
    with pytest.raises(ConfigError) as error:
        await voice_run(domain, task, agent, scripted_user(plugins, task))
    assert "HTTP 401" in str(error.value) and wrong not in str(error.value)
    assert server.refused == 1 and server.connections == 0  # not retried


def test_a_missing_key_is_a_config_error(plugins: Any, domain: Any, monkeypatch: Any) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    task = task_of(domain, "create_with_description")
    with FakeRealtimeServer() as server:
        with pytest.raises(ConfigError, match="OPENAI_API_KEY"):
            build_agent(plugins, domain.environment(), task, server, llm_args={"api_key": None})


async def test_the_key_may_come_from_the_environment(
    plugins: Any, domain: Any, server_factory: Any, monkeypatch: Any
) -> None:
    task = task_of(domain, "create_with_description")
    server = server_factory(solving_script(task))
    monkeypatch.setenv("OPENAI_API_KEY", server.api_key)
    agent = build_agent(plugins, domain.environment(), task, server, llm_args={"api_key": None})
    assert server.api_key not in repr(agent.config)
    run = await voice_run(domain, task, agent, scripted_user(plugins, task))
    assert run.reward_info.reward == 1.0
    assert_no_key(run, server.api_key)

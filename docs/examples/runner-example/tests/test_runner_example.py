"""How a plugin author tests a domain, an agent and a user: with runner's public API only."""

from __future__ import annotations

import asyncio

import pytest
from runner import AssistantMessage, ToolCall, UserMessage
from runner.plugins import PluginOptions, load_plugins


@pytest.fixture(scope="module")
def plugins():
    # only this distribution (and the core's built-ins): other installed plugins do not matter
    return load_plugins(PluginOptions(only=("runner-example",), strict=True))


def test_plugin_registers_its_parts(plugins) -> None:
    assert "library" in plugins.registry("domains")
    assert "librarian" in plugins.registry("agents") and "patron" in plugins.registry("users")


def test_tasks_load_and_tools_work(plugins) -> None:
    domain = plugins.registry("domains").get("library").obj
    assert [t.id for t in domain.tasks()] == ["borrow_dune", "ask_neuromancer"]
    env = domain.environment()
    found = env.execute(ToolCall(id="1", name="find_book", arguments={"title": "dune"}))
    assert not found.error and '"book_id": "b1"' in found.content
    lent = env.execute(
        ToolCall(id="2", name="borrow_book", arguments={"book_id": "b1", "patron": "alice"})
    )
    assert '"due": "2025-06-23"' in lent.content
    again = env.execute(
        ToolCall(id="3", name="borrow_book", arguments={"book_id": "b1", "patron": "carol"})
    )
    assert again.error and "on loan until 2025-06-23" in again.content
    assert domain.environment().state_hash() != env.state_hash()  # every environment is fresh


def test_librarian_looks_up_then_lends(plugins) -> None:
    domain = plugins.registry("domains").get("library").obj
    env = domain.environment()
    agent = plugins.registry("agents").get("librarian").obj(_context(env))
    state = agent.get_init_state()
    reply, state = agent.generate_next_message(
        UserMessage(content='I am alice, may I borrow "Dune"?'), state
    )
    assert reply.tool_calls[0].name == "find_book"
    reply, state = agent.generate_next_message(env.execute(reply.tool_calls[0]), state)
    assert reply.tool_calls[0].name == "borrow_book"
    reply, state = agent.generate_next_message(env.execute(reply.tool_calls[0]), state)
    assert "until 2025-06-23" in reply.content


def test_patron_opens_with_the_ticket_and_stops(plugins) -> None:
    domain = plugins.registry("domains").get("library").obj
    task = domain.tasks()[0]
    user = plugins.registry("users").get("patron").obj(_context(domain.environment(), task))
    first, state = asyncio.run(
        user.agenerate_next_message(AssistantMessage(content="Hi!"), user.get_init_state())
    )
    assert first.content == task.ticket and not user.is_stop(first)
    second, _ = user.generate_next_message(AssistantMessage(content="Done."), state)
    assert user.is_stop(second)


def _context(env, task=None):
    from runner import BuildContext

    return BuildContext(
        environment=env,
        tools=[t.openai_schema() for t in env.tools()],
        policy=env.policy,
        task=task,
    )

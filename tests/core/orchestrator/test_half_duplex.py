"""The half-duplex orchestrator: routing, termination reasons, limits, histories, seeds.

Uses runner.testing's FakeDomain (an in-memory to-do tracker) for its tools.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest
from runner import (
    AssistantMessage,
    ContextWindowExceededError,
    HalfDuplexAgent,
    HalfDuplexUser,
    InfrastructureError,
    MultiToolMessage,
    Task,
    ToolCall,
    ToolMessage,
    UserMessage,
)
from runner.builtins.replay import ReplayAgent
from runner.builtins.scripted import ScriptedUser
from runner.constants import GREETING, STOP_TOKEN
from runner.errors import ConfigError
from runner.orchestrator import HalfDuplexOrchestrator
from runner.testing import FakeDomain


@pytest.fixture(scope="module")
def domain() -> Any:
    return FakeDomain()


def make_task(**extra: Any) -> Task:
    data = {
        "id": "t1",
        "user_scenario": {"instructions": "Mark task_1 completed."},
        "ticket": "Please mark task_1 as completed.",
    }
    data.update(extra)
    return Task.model_validate(data)


class ScriptAgent(HalfDuplexAgent[list]):
    """Async agent that sends prepared messages in order and records what it received."""

    def __init__(self, replies: list[Any]) -> None:
        self.replies = list(replies)
        self.received: list[Any] = []
        self.history: Any = "unset"

    def get_init_state(self, message_history: list[Any] | None = None) -> list:
        self.history = message_history
        return []

    async def agenerate_next_message(self, message: Any, state: list) -> tuple[Any, list]:
        self.received.append(message)
        reply = self.replies.pop(0) if self.replies else AssistantMessage(content="ok")
        if isinstance(reply, BaseException):
            raise reply
        return (reply() if callable(reply) else reply), state


class EchoUser(HalfDuplexUser[None]):
    """Sync user: says 'hello' first, then stops after the n-th message it receives."""

    def __init__(self, stop_after: int = 2, replies: list[Any] | None = None) -> None:
        self.stop_after = stop_after
        self.replies = list(replies or [])
        self.received: list[Any] = []
        self.threads: set[int] = set()
        self.seed_seen: Any = "unset"
        self.history: Any = "unset"

    def set_seed(self, seed: int | None) -> None:
        self.seed_seen = seed

    def get_init_state(self, message_history: list[Any] | None = None) -> None:
        self.history = message_history
        return None

    def generate_next_message(self, message: Any, state: None) -> tuple[Any, None]:
        self.threads.add(threading.get_ident())
        self.received.append(message)
        if self.replies:
            reply = self.replies.pop(0)
            if isinstance(reply, BaseException):
                raise reply
            return reply, state
        if len(self.received) >= self.stop_after:
            return UserMessage(content=STOP_TOKEN), state
        return UserMessage(content="hello"), state


def orchestrate(
    domain: Any, agent: Any, user: Any, task: Task | None = None, **kw: Any
) -> HalfDuplexOrchestrator:
    return HalfDuplexOrchestrator(
        environment=domain.environment(), agent=agent, user=user, task=task or make_task(), **kw
    )


async def test_replay_and_scripted_open_with_greeting_and_number_turns(domain: Any) -> None:
    task = make_task(
        evaluation_criteria={
            "actions": [
                {
                    "action_id": "a",
                    "name": "update_task_status",
                    "arguments": {"task_id": "task_1", "status": "completed"},
                }
            ]
        }
    )
    orch = orchestrate(domain, ReplayAgent(task), ScriptedUser(task), task, seed=7)
    run = await orch.run()
    assert run.termination_reason.value == "user_stop"
    roles = [m.role for m in run.messages]
    assert roles == ["assistant", "user", "assistant", "tool", "assistant", "user"]
    assert run.messages[0].content == GREETING
    assert run.messages[1].content == "Please mark task_1 as completed."
    assert [m.turn_idx for m in run.messages] == list(range(6))
    assert all(m.timestamp for m in run.messages)
    assert run.messages[-1].content == STOP_TOKEN
    assert orch.environment.toolkit.db.tasks["task_1"].status == "completed"
    assert run.task_id == "t1" and run.seed == 7 and run.trial == 0
    assert len(run.id) == 32 and int(run.id, 16) >= 0
    assert run.reward_info is None and run.error is None
    assert run.duration >= 0 and run.start_time <= run.end_time


async def test_sync_participant_runs_in_a_worker_thread_and_gets_seed(domain: Any) -> None:
    user = EchoUser(stop_after=2)
    run = await orchestrate(domain, ScriptAgent([]), user, seed=11).run()
    assert run.termination_reason.value == "user_stop"
    assert threading.get_ident() not in user.threads
    assert user.seed_seen == 11
    assert user.history is None


async def test_agent_that_raises_ends_with_agent_error_and_redacts_keys(domain: Any) -> None:
    agent = ScriptAgent([RuntimeError("boom with api_key=sk-abcdefghijklmnop")])
    run = await orchestrate(domain, agent, EchoUser(stop_after=5)).run()
    assert run.termination_reason.value == "agent_error"
    assert run.error.startswith("agent: RuntimeError: boom")
    assert "sk-abcdefghijklmnop" not in run.error
    assert "\n" not in run.error


async def test_user_that_raises_ends_with_user_error(domain: Any) -> None:
    run = await orchestrate(
        domain, ScriptAgent([]), EchoUser(replies=[ValueError("bad user")])
    ).run()
    assert run.termination_reason.value == "user_error"
    assert run.error == "user: ValueError: bad user"
    assert [m.role for m in run.messages] == ["assistant"]


@pytest.mark.parametrize(
    ("exc", "reason"),
    [
        (InfrastructureError("provider down"), "infrastructure_error"),
        (ContextWindowExceededError("too long"), "context_window_exceeded"),
    ],
)
async def test_infrastructure_and_context_errors_from_either_side(
    domain: Any, exc: Exception, reason: str
) -> None:
    run = await orchestrate(domain, ScriptAgent([exc]), EchoUser(stop_after=5)).run()
    assert run.termination_reason.value == reason
    run = await orchestrate(domain, ScriptAgent([]), EchoUser(replies=[exc])).run()
    assert run.termination_reason.value == reason


async def test_failing_tool_becomes_error_tool_message_and_the_run_goes_on(domain: Any) -> None:
    bad = AssistantMessage(
        tool_calls=[
            ToolCall(id="c1", name="create_task", arguments={"user_id": "user_99", "title": "x"})
        ]
    )
    agent = ScriptAgent([bad, AssistantMessage(content="sorry")])
    run = await orchestrate(domain, agent, EchoUser(stop_after=2)).run()
    assert run.termination_reason.value == "user_stop"
    tool = run.messages[3]
    assert (
        isinstance(tool, ToolMessage)
        and tool.error
        and tool.content == "Error: User user_99 not found"
    )
    assert agent.received[1] is not None and agent.received[1].error


async def test_agent_looping_on_tools_hits_max_steps(domain: Any) -> None:
    def call() -> AssistantMessage:
        return AssistantMessage(tool_calls=[ToolCall(id="c", name="get_users")])

    agent = ScriptAgent([call] * 1000)
    run = await orchestrate(domain, agent, EchoUser(stop_after=100), max_steps=10).run()
    assert run.termination_reason.value == "max_steps"
    # greeting + 11 steps: step 10 is a tool call, which is answered (step 11) before stopping
    assert len(run.messages) == 12
    assert run.messages[-1].role == "tool"


async def test_timeout_ends_a_hanging_agent(domain: Any) -> None:
    class Hanging(HalfDuplexAgent[None]):
        async def agenerate_next_message(self, message: Any, state: None) -> Any:
            await asyncio.Event().wait()

    run = await orchestrate(domain, Hanging(), EchoUser(stop_after=5), timeout=0.05).run()
    assert run.termination_reason.value == "timeout"
    assert "timeout" in run.error


async def test_total_tool_errors_reach_max_errors(domain: Any) -> None:
    def unknown() -> AssistantMessage:
        return AssistantMessage(tool_calls=[ToolCall(id="c", name="no_such_tool")])

    ok = AssistantMessage(content="fine")
    # errors are counted in total, not consecutively: successes in between do not reset them
    agent = ScriptAgent([unknown, ok, unknown, ok, unknown, ok, unknown])
    run = await orchestrate(domain, agent, EchoUser(stop_after=100), max_errors=3).run()
    assert run.termination_reason.value == "too_many_errors"
    errors = [m for m in run.messages if isinstance(m, ToolMessage) and m.error]
    assert len(errors) == 3
    assert errors[0].content == "Error: Tool 'no_such_tool' not found."


async def test_several_tool_calls_in_one_message(domain: Any) -> None:
    msg = AssistantMessage(
        content="Let me check.",
        tool_calls=[
            ToolCall(id="a", name="get_users"),
            ToolCall(
                id="b",
                name="update_task_status",
                arguments={"task_id": "task_1", "status": "completed"},
            ),
        ],
    )
    agent = ScriptAgent([msg, AssistantMessage(content="done")])
    orch = orchestrate(domain, agent, EchoUser(stop_after=2))
    run = await orch.run()
    assert [m.role for m in run.messages] == [
        "assistant",
        "user",
        "assistant",
        "tool",
        "tool",
        "assistant",
        "user",
    ]
    assert run.messages[2].content == "Let me check."  # the text of a tool-calling message stays
    assert [m.id for m in run.messages[3:5]] == ["a", "b"]
    results = agent.received[1]
    assert isinstance(results, MultiToolMessage) and [m.id for m in results.tool_messages] == [
        "a",
        "b",
    ]
    assert orch.environment.toolkit.db.tasks["task_1"].status == "completed"


async def test_user_tool_calls_go_to_user_tools_and_results_back_to_user(domain: Any) -> None:
    # the user forgets to set requestor="user": the orchestrator routes by sender anyway
    check = UserMessage(tool_calls=[ToolCall(id="u1", name="check_notifications")])
    user = EchoUser(replies=[check, UserMessage(content="thanks"), UserMessage(content=STOP_TOKEN)])
    agent = ScriptAgent([AssistantMessage(content="anything else?")])
    run = await orchestrate(domain, agent, user).run()
    assert [m.role for m in run.messages] == [
        "assistant",
        "user",
        "tool",
        "user",
        "assistant",
        "user",
    ]
    assert run.messages[1].tool_calls[0].requestor == "user"
    result = run.messages[2]
    assert result.requestor == "user" and not result.error and "notif_1" in result.content
    assert user.received[1] is result
    assert all(not isinstance(m, ToolMessage) for m in agent.received)


async def test_agent_stop(domain: Any) -> None:
    agent = ScriptAgent([AssistantMessage(content=f"bye {STOP_TOKEN}")])
    run = await orchestrate(domain, agent, EchoUser(stop_after=5)).run()
    assert run.termination_reason.value == "agent_stop"
    assert run.messages[-1].role == "assistant"


async def test_wrong_reply_type_is_an_agent_error(domain: Any) -> None:
    run = await orchestrate(
        domain, ScriptAgent([UserMessage(content="hi")]), EchoUser(stop_after=5)
    ).run()
    assert run.termination_reason.value == "agent_error"
    assert "UserMessage" in run.error


async def test_environment_bug_is_unexpected_error(domain: Any) -> None:
    orch = orchestrate(
        domain,
        ScriptAgent([AssistantMessage(tool_calls=[ToolCall(name="get_users")])]),
        EchoUser(stop_after=5),
    )

    def broken(call: Any) -> Any:
        raise KeyError("bug")

    orch.environment.execute = broken
    run = await orch.run()
    assert run.termination_reason.value == "unexpected_error"
    assert run.error == "KeyError: 'bug'"


async def test_costs_and_usage_are_summed_per_side(domain: Any) -> None:
    agent = ScriptAgent(
        [
            AssistantMessage(content="a", cost=0.5, usage={"prompt_tokens": 10}),
            AssistantMessage(content="b", cost=0.25, usage={"prompt_tokens": 5}),
        ]
    )
    user = EchoUser(
        replies=[
            UserMessage(content="x", cost=0.1),
            UserMessage(content="y", cost=0.2),
            UserMessage(content=STOP_TOKEN),
        ]
    )
    run = await orchestrate(domain, agent, user).run()
    assert run.agent_cost == pytest.approx(0.75) and run.user_cost == pytest.approx(0.3)
    assert run.usage == {"agent": {"prompt_tokens": 15}}


HISTORY = [
    {"role": "assistant", "content": GREETING},
    {"role": "user", "content": "Create 'Demo' for user_4."},
    {
        "role": "assistant",
        "tool_calls": [
            {"id": "h1", "name": "create_task", "arguments": {"user_id": "user_4", "title": "Demo"}}
        ],
    },
    {"role": "tool", "id": "h1", "content": "{}"},
    {"role": "assistant", "content": "Created task_5."},
]


@pytest.mark.parametrize(
    ("cut", "first_to", "first_kind"),
    [
        (5, "user", AssistantMessage),  # ends with the agent's text: the user speaks next
        (2, "agent", UserMessage),  # ends with the user's text: the agent speaks next
        (4, "agent", ToolMessage),  # ends with a tool result: the agent reads it next
    ],
)
async def test_message_history_is_applied_and_continued(
    domain: Any, cut: int, first_to: str, first_kind: type
) -> None:
    history = HISTORY[:cut]
    task = make_task(initial_state={"message_history": history})
    agent = ScriptAgent([AssistantMessage(content="sure")])
    user = EchoUser(stop_after=1 if first_to == "user" else 2)
    orch = orchestrate(domain, agent, user, task)
    run = await orch.run()
    assert run.termination_reason.value == "user_stop"
    assert [m.role for m in run.messages[:cut]] == [h["role"] for h in history]
    assert [m.turn_idx for m in run.messages] == list(range(len(run.messages)))
    assert GREETING not in [m.content for m in run.messages[cut:]]
    first = (user.received if first_to == "user" else agent.received)[0]
    assert isinstance(first, first_kind)
    created = "task_5" in orch.environment.toolkit.db.tasks
    assert created == (cut >= 3)  # the history's write calls were replayed
    # the agent never sees the user's tool traffic, the user never sees the agent's
    assert all(not (isinstance(m, UserMessage) and m.tool_calls) for m in agent.history)
    assert all(not (isinstance(m, AssistantMessage) and m.tool_calls) for m in user.history)
    assert task.initial_state.message_history[0].turn_idx is None  # the task is not mutated


async def test_history_ending_with_a_pending_tool_call_executes_it_first(domain: Any) -> None:
    task = make_task(initial_state={"message_history": HISTORY[:3]})
    agent = ScriptAgent([AssistantMessage(content="sure")])
    orch = orchestrate(domain, agent, EchoUser(stop_after=1), task)
    run = await orch.run()
    assert [m.role for m in run.messages] == [
        "assistant",
        "user",
        "assistant",
        "tool",
        "assistant",
        "user",
    ]
    assert isinstance(agent.received[0], ToolMessage) and '"task_5"' in agent.received[0].content
    assert len(orch.environment.toolkit.db.users["user_4"].tasks) == 1  # executed once, not twice


async def test_initial_state_is_applied_before_the_first_turn(domain: Any) -> None:
    task = make_task(
        initial_state={
            "initialization_actions": [
                {
                    "env_type": "assistant",
                    "func_name": "update_task_status",
                    "arguments": {"task_id": "task_1", "status": "completed"},
                }
            ]
        }
    )
    orch = orchestrate(domain, ScriptAgent([]), EchoUser(stop_after=1), task)
    await orch.run()
    assert orch.environment.toolkit.db.tasks["task_1"].status == "completed"


async def test_async_participant_runs_on_the_loop_and_a_non_participant_is_a_config_error(
    domain: Any,
) -> None:
    class DuckAsyncUser:  # no base class: its own async method is used, not a thread
        threads: set[int] = set()

        def get_init_state(self, message_history: Any = None) -> None:
            return None

        def is_stop(self, message: Any) -> bool:
            return STOP_TOKEN in (message.content or "")

        async def agenerate_next_message(self, message: Any, state: None) -> tuple[Any, None]:
            self.threads.add(threading.get_ident())
            return UserMessage(content=STOP_TOKEN), state

    user = DuckAsyncUser()
    run = await orchestrate(domain, ScriptAgent([]), user).run()
    assert run.termination_reason.value == "user_stop"
    assert user.threads == {threading.get_ident()}

    with pytest.raises(ConfigError, match="is not a participant: it has neither"):
        orchestrate(domain, object(), EchoUser(stop_after=1))

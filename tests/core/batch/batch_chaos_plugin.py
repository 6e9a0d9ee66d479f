"""Test plugin for the batch layer: agents and a user that misbehave on chosen mock tasks.

Loaded with ``-p batch_chaos_plugin`` (tests put this folder on ``sys.path`` / PYTHONPATH).
Every other task is played by the built-in replay agent and scripted user, so it scores 1.0.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable
from typing import Any

from runner import (
    AssistantMessage,
    HalfDuplexAgent,
    HalfDuplexUser,
    InfrastructureError,
    ToolCall,
    hookimpl,
)

#: What the chaos agent does on each mock task (other tasks: replay).
AGENT_MODES = {
    "create_for_new_user": "raise",  # -> agent_error
    "create_with_description": "loop",  # -> max_steps (calls a tool forever)
    "complete_report": "tool_raises",  # -> too_many_errors (the tool raises every time)
    "reopen_offsite": "hang",  # -> timeout (never answers)
    "create_then_complete": "flaky",  # infrastructure error twice, then fine
    "find_user_id": "infra",  # infrastructure error on every attempt
}
USER_MODES = {"create_two_tasks": "raise"}  # -> user_error
FLAKY_FAILURES = 2
#: Attempts seen per (task id, seed), to fail the first ones of a "flaky" unit.
ATTEMPTS: dict[tuple[str, int | None], int] = {}
_ids = itertools.count()


class ChaosAgent(HalfDuplexAgent):
    def __init__(self, ctx: Any) -> None:
        from runner.builtins.replay import build_replay_agent

        self.mode = AGENT_MODES.get(ctx.task.id)
        self.inner = build_replay_agent(ctx)
        self.delay = float(ctx.options.get("delay", 0))
        key = (ctx.task.id, ctx.seed)
        if self.mode == "flaky":
            ATTEMPTS[key] = ATTEMPTS.get(key, 0) + 1
        self.attempt = ATTEMPTS.get(key, 0)

    def get_init_state(self, message_history: Any = None) -> Any:
        return self.inner.get_init_state(message_history)

    async def agenerate_next_message(self, message: Any, state: Any) -> Any:
        if self.delay:
            await asyncio.sleep(self.delay)
        mode = self.mode
        if mode == "raise":
            raise RuntimeError("chaos agent failure")
        if mode == "loop":
            return AssistantMessage(
                tool_calls=[ToolCall(id=f"c{next(_ids)}", name="get_users")]
            ), state
        if mode == "tool_raises":
            call = ToolCall(
                id=f"c{next(_ids)}",
                name="update_task_status",
                arguments={"task_id": "no_such_task", "status": "completed"},
            )
            return AssistantMessage(tool_calls=[call]), state
        if mode == "hang":
            await asyncio.sleep(3600)
        if mode == "infra" or (mode == "flaky" and self.attempt <= FLAKY_FAILURES):
            raise InfrastructureError("provider unavailable (test)")
        return await self.inner.agenerate_next_message(message, state)


class ChaosUser(HalfDuplexUser):
    def __init__(self, ctx: Any) -> None:
        from runner.builtins.scripted import build_scripted_user

        self.mode = USER_MODES.get(ctx.task.id)
        self.inner = build_scripted_user(ctx)

    def get_init_state(self, message_history: Any = None) -> Any:
        return self.inner.get_init_state(message_history)

    async def agenerate_next_message(self, message: Any, state: Any) -> Any:
        if self.mode == "raise":
            raise ValueError("chaos user failure")
        return await self.inner.agenerate_next_message(message, state)


@hookimpl
def register_agents(register: Callable[..., None]) -> None:
    register("bt_chaos", ChaosAgent, "replay, except on the tasks of AGENT_MODES")
    register("bt_broken", _broken, "an agent factory that raises")
    register("bt_slow", _slow, "replay with a delay per message (option delay=SECONDS)")


def _slow(ctx: Any) -> ChaosAgent:
    agent = ChaosAgent(ctx)
    agent.mode = None
    agent.delay = agent.delay or 0.02
    return agent


def _broken(ctx: Any) -> Any:
    raise RuntimeError("factory exploded")


@hookimpl
def register_users(register: Callable[..., None]) -> None:
    register("bt_chaos", ChaosUser, "scripted, except on the tasks of USER_MODES")
    register("bt_broken", _broken, "a user factory that raises")
